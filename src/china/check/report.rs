//! Findings and the report: text for people, JSON for tools; findings from one source line merged.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a finding is. Errors fail the check; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// `blocked-host`, `icp-link`, `mixed-content`, `broken-link`, `missing-file`,
    /// `absolute-term`, `build`, `unreadable`.
    pub rule: &'static str,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The URL the finding is about, as written (decoded).
    pub url: Option<String>,
    /// The output file (relative to the output folder), e.g. `products/tote/index.html`.
    /// Absent only for `build` findings.
    pub output: Option<String>,
    /// 1-based line in the output file.
    pub output_line: Option<usize>,
    /// The source file it came from, when known.
    pub source: Option<PathBuf>,
    /// 1-based line (and column) in `source`.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Further output files with the same finding from the same source line.
    pub also_in: Vec<String>,
}

/// The result of a check.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The site folder as given.
    pub site: PathBuf,
    /// Output files read (HTML and CSS).
    pub files_checked: usize,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    pub(super) fn new(site: &Path, files_checked: usize, findings: Vec<Finding>) -> Report {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Report {
            site: site.to_path_buf(),
            files_checked,
            errors,
            warnings: findings.len() - errors,
            findings,
        }
    }

    /// True when nothing fails the check (warnings are allowed).
    pub fn passed(&self) -> bool {
        self.errors == 0
    }

    /// The report as one JSON document.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The report for a terminal.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for f in &self.findings {
            let sev = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(s, "{sev}[{}]: {}", f.rule, f.message);
            if let Some(src) = &f.source {
                let _ = write!(s, "  --> {}", src.display());
                if let Some(l) = f.line {
                    let _ = write!(s, ":{l}");
                    if let Some(c) = f.column {
                        let _ = write!(s, ":{c}");
                    }
                }
                s.push('\n');
            }
            if let Some(out) = &f.output {
                let _ = write!(s, "  in output {out}");
                if let Some(l) = f.output_line {
                    let _ = write!(s, ":{l}");
                }
                match f.also_in.len() {
                    0 => {}
                    1 => {
                        let _ = write!(s, " and {}", f.also_in[0]);
                    }
                    n => {
                        let _ = write!(s, " and {n} more files");
                    }
                }
                s.push('\n');
            }
            if let Some(h) = &f.help {
                let _ = writeln!(s, "  help: {h}");
            }
        }
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let _ = write!(
            s,
            "checked {}: {}",
            plural(self.files_checked, "file"),
            if self.findings.is_empty() {
                "no problems found".to_string()
            } else {
                format!(
                    "{}, {}",
                    plural(self.errors, "error"),
                    plural(self.warnings, "warning")
                )
            }
        );
        s
    }
}

/// Load and render the site at `root` in memory (nothing is written) and check it.
/// Merge findings that come from the same source line (a template shared by many pages)
/// into one, listing the other output files; sort by source file and line.
pub(super) fn group(findings: Vec<Finding>) -> Vec<Finding> {
    type Key = (
        &'static str,
        Severity,
        String,
        Option<PathBuf>,
        Option<usize>,
        Option<usize>,
    );
    let mut out: Vec<Finding> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for f in findings {
        if f.source.is_none() || f.line.is_none() {
            out.push(f);
            continue;
        }
        let key = (
            f.rule,
            f.severity,
            f.message.clone(),
            f.source.clone(),
            f.line,
            f.column,
        );
        match index.get(&key) {
            Some(&i) => {
                if let Some(o) = f.output
                    && out[i].output.as_ref() != Some(&o)
                    && !out[i].also_in.contains(&o)
                {
                    out[i].also_in.push(o);
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(f);
            }
        }
    }
    out.sort_by(|a, b| {
        (
            a.source.is_none(),
            &a.source,
            a.line,
            a.column,
            &a.output,
            a.output_line,
        )
            .cmp(&(
                b.source.is_none(),
                &b.source,
                b.line,
                b.column,
                &b.output,
                b.output_line,
            ))
    });
    out
}
