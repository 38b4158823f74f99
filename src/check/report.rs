//! The report of a check: its findings (diagnostics) as text for people or JSON for tools,
//! those from one source line merged.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::util::diag::{Diagnostic, Severity};

/// The result of a check.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The site folder as given.
    pub site: PathBuf,
    /// Output files read (HTML and CSS).
    pub files_checked: usize,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Diagnostic>,
}

impl Report {
    pub(super) fn new(site: &Path, files_checked: usize, findings: Vec<Diagnostic>) -> Report {
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
            let _ = writeln!(s, "{}", f.to_text(true));
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
pub(super) fn group(findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    type Key = (
        &'static str,
        Severity,
        String,
        Option<PathBuf>,
        Option<usize>,
        Option<usize>,
    );
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for f in findings {
        if f.file.is_none() || f.line.is_none() {
            out.push(f);
            continue;
        }
        let key = (
            f.rule,
            f.severity,
            f.message.clone(),
            f.file.clone(),
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
            a.file.is_none(),
            &a.file,
            a.line,
            a.column,
            &a.output,
            a.output_line,
        )
            .cmp(&(
                b.file.is_none(),
                &b.file,
                b.line,
                b.column,
                &b.output,
                b.output_line,
            ))
    });
    out
}
