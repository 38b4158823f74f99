//! Diagnostics: every error names the file, the line and the field, and says how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found while building, with enough context to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in (as given to the build, not canonicalised).
    pub file: PathBuf,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The field (`price`, `hosting.icp`, …) the problem is about, when there is one.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            hint: None,
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

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// An I/O failure on `path`, with what to check.
    pub fn io(path: impl AsRef<Path>, action: &str, err: &std::io::Error) -> Self {
        Diagnostic::new(path, format!("cannot {action}: {err}"))
            .hint("check that the path exists and is readable/writable")
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)?;
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
            write!(f, "error: {d}")?;
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
