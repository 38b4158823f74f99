//! Diagnostics: every problem names the file, the line and the field, and says how to fix it;
//! one type, one printer and one JSON form for build, check and deploy alike.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is. Errors stop a build and fail a check; warnings do not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem, with enough context to fix it: the one type for build errors, check findings
/// and deploy errors, printed by [`Diagnostic::to_text`] and serialised (as JSON) by its
/// `Serialize`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What found it: `build` (loading and rendering), `deploy`, or a rule of `shopgen check`
    /// (`blocked-host`, `icp-link`, …).
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
    /// The field (`price`, `hosting.icp`, `categories[1].slug`) the problem is about.
    pub field: Option<String>,
    /// How to fix it.
    #[serde(rename = "help")]
    pub hint: Option<String>,
    /// The URL it is about, as written (decoded).
    pub url: Option<String>,
    /// The output file (relative to the output folder), e.g. `products/tote/index.html`.
    pub output: Option<String>,
    /// 1-based line in the output file.
    pub output_line: Option<usize>,
    /// The source file the problem is in (as given to the build, not canonicalised).
    #[serde(rename = "source")]
    pub file: Option<PathBuf>,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The place in a spreadsheet, when the source is one: `sheet 商品, row 12, column 价格 (E)`.
    pub cell: Option<String>,
    /// Further output files with the same problem from the same source line.
    pub also_in: Vec<String>,
}

impl Diagnostic {
    /// An error in `file`, found while building.
    pub fn new(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        let mut d = Diagnostic::plain(message);
        d.file = Some(file.as_ref().to_path_buf());
        d
    }

    /// An error that is in no file (a network failure, a missing setting).
    pub fn plain(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            rule: "build",
            message: message.into(),
            field: None,
            hint: None,
            url: None,
            output: None,
            output_line: None,
            file: None,
            line: None,
            column: None,
            cell: None,
            also_in: Vec::new(),
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// The place in a spreadsheet: `sheet 商品, row 12, column 价格 (E)`.
    pub fn in_cell(mut self, place: impl Into<String>) -> Self {
        self.cell = Some(place.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn rule(mut self, rule: &'static str) -> Self {
        self.rule = rule;
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// An I/O failure on `path`, with what to check.
    pub fn io(path: impl AsRef<Path>, action: &str, err: &std::io::Error) -> Self {
        Diagnostic::new(path, format!("cannot {action}: {err}"))
            .hint("check that the path exists and is readable/writable")
    }

    /// The same problem with its file named relative to `root` when it is inside it.
    pub fn relative_to(&self, root: &Path) -> Diagnostic {
        let mut d = self.clone();
        if let Some(rel) = d.file.as_ref().and_then(|f| f.strip_prefix(root).ok()) {
            d.file = Some(rel.to_path_buf());
        }
        d
    }

    /// `file:line:column`, as far as it is known.
    fn place(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let mut s = file.display().to_string();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        if let Some(cell) = &self.cell {
            s.push_str(&format!(": {cell}"));
        }
        Some(s)
    }

    /// The message, led by the field it is about.
    fn headline(&self) -> String {
        match &self.field {
            Some(f) => format!("field `{f}`: {}", self.message),
            None => self.message.clone(),
        }
    }

    /// The problem for a terminal, in the one layout every command prints:
    ///
    /// ```text
    /// error[blocked-host]: <message>
    ///   --> my-shop/templates/base.html:12:30
    ///   in output index.html:27 and 41 more files
    ///   help: <hint>
    /// ```
    ///
    /// `with_rule` shows the rule after the severity (a check report names many rules; a
    /// build's errors are all `build`).
    pub fn to_text(&self, with_rule: bool) -> String {
        let mut s = String::from(self.severity.as_str());
        if with_rule {
            s.push_str(&format!("[{}]", self.rule));
        }
        s.push_str(": ");
        s.push_str(&self.headline());
        if let Some(place) = self.place() {
            s.push_str(&format!("\n  --> {place}"));
        }
        if let Some(out) = &self.output {
            s.push_str(&format!("\n  in output {out}"));
            if let Some(l) = self.output_line {
                s.push_str(&format!(":{l}"));
            }
            match self.also_in.len() {
                0 => {}
                1 => s.push_str(&format!(" and {}", self.also_in[0])),
                n => s.push_str(&format!(" and {n} more files")),
            }
        }
        if let Some(h) = &self.hint {
            s.push_str(&format!("\n  help: {h}"));
        }
        s
    }
}

/// The short form, for inside other messages: `file:line:col: field `f`: message`, then the help.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(place) = self.place() {
            write!(f, "{place}: ")?;
        }
        write!(f, "{}", self.headline())?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

/// A failed build: all the problems found, not only the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildError {
    pub fn one(d: Diagnostic) -> Self {
        BuildError {
            diagnostics: vec![d],
        }
    }
}

impl From<Diagnostic> for BuildError {
    fn from(d: Diagnostic) -> Self {
        BuildError::one(d)
    }
}

impl From<Vec<Diagnostic>> for BuildError {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        BuildError { diagnostics }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", d.to_text(false))?;
        }
        let n = self.diagnostics.len();
        write!(
            f,
            "\n{n} error{} found; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for BuildError {}

/// The closest candidate to `name` among `candidates`, for "did you mean" hints.
pub fn did_you_mean<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_field_and_hint() {
        let d = Diagnostic::new("content/products/a.md", "must be a number")
            .at(4, 8)
            .field("price")
            .hint("write 1299 or 1299.50");
        assert_eq!(
            d.to_string(),
            "content/products/a.md:4:8: field `price`: must be a number\n  help: write 1299 or 1299.50"
        );
        assert_eq!(
            d.to_text(false),
            "error: field `price`: must be a number\n  --> content/products/a.md:4:8\n  help: write 1299 or 1299.50"
        );
        let mut f = Diagnostic::plain("loads `https://fonts.googleapis.com/x`")
            .rule("blocked-host")
            .severity(Severity::Warning);
        f.output = Some("index.html".into());
        f.output_line = Some(27);
        f.also_in = vec!["a/index.html".into(), "b/index.html".into()];
        assert_eq!(
            f.to_text(true),
            "warning[blocked-host]: loads `https://fonts.googleapis.com/x`\n  in output index.html:27 and 2 more files"
        );
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("titel", &["title", "price", "slug"]),
            Some("title")
        );
        assert_eq!(
            did_you_mean("orginal_price", &["price", "original_price"]),
            Some("original_price")
        );
        assert_eq!(did_you_mean("zzz", &["title", "price"]), None);
    }
}
