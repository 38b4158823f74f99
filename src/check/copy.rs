//! Advertising-law absolute terms in product copy (warnings), traced to file, line and column.

use crate::content;
use crate::rules::ad_terms;
use crate::util::diag::{Diagnostic, Severity};

/// Front-matter fields of a product that are its sales copy, and the body.
const COPY_FIELDS: &[&str] = &["title", "subtitle", "description", "badges"];

/// Absolute terms in a product's copy, with the line and column in its file.
pub(super) fn absolute_terms(p: &content::Product) -> Vec<Diagnostic> {
    let Ok(raw) = crate::util::fsread::read_text(&p.source) else {
        return Vec::new();
    };
    let text = raw.strip_prefix('\u{feff}').unwrap_or(&raw);
    let output = format!("{}index.html", p.path());
    let mut findings = Vec::new();
    let mut field: Option<&str> = None;
    let mut fences = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if fences < 2 && matches!(line.trim_end(), "---" | "...") && (fences == 1 || i == 0) {
            fences += 1;
            if fences == 2 {
                field = Some("body");
            }
            continue;
        }
        let scan_from = if fences == 1 {
            // Front matter: a key at the start of a line starts a field; indented lines and
            // list items continue it.
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if !line.starts_with([' ', '\t', '-'])
                && let Some((key, _)) = line.split_once(':')
            {
                field = COPY_FIELDS.iter().find(|f| **f == key.trim()).copied();
                key.len() + 1
            } else {
                0
            }
        } else {
            0
        };
        let Some(f) = field else { continue };
        for hit in ad_terms::find(&line[scan_from..]) {
            let at = scan_from + hit.offset;
            let column = line[..at].chars().count() + 1;
            let mut d = Diagnostic::new(
                &p.source,
                format!("`{}` in the product's {f} is {}", hit.text, hit.term.why),
            )
            .rule("absolute-term")
            .severity(Severity::Warning)
            .at(i + 1, column)
            .hint("state a checkable fact instead (material, size, craft, origin); absolute claims risk fines of RMB 200,000–1,000,000");
            d.output = Some(output.clone());
            findings.push(d);
        }
    }
    findings
}
