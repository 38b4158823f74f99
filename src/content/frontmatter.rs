//! Splitting a Markdown file into its YAML front matter and its body.

use std::path::Path;

use crate::util::diag::Diagnostic;

/// A content file split at its `---` fences. Line endings are normalised to `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences.
    pub yaml: String,
    /// 1-based line of the file on which the YAML starts.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: String,
}

/// Whether `raw` begins with a `---` fence (after a BOM).
pub fn starts_with_front_matter(raw: &str) -> bool {
    let text = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    text.lines().next().is_some_and(|l| l.trim_end() == "---")
}

/// Split `raw` (a UTF-8 BOM and CRLF line endings are fine).
pub fn split(raw: &str, file: &Path) -> Result<Split, Diagnostic> {
    let text = raw
        .strip_prefix('\u{feff}')
        .unwrap_or(raw)
        .replace("\r\n", "\n");
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::new(file, "the file does not start with front matter")
            .line(1)
            .hint("begin the file with a line `---`, the YAML fields (title, price, …), then another `---` line"));
    }
    let mut offset = first.len();
    for (i, line) in lines.enumerate() {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let yaml = text[first.len()..offset].to_string();
            let body = text[offset + line.len()..].to_string();
            let _ = i;
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::new(file, "the front matter opened on line 1 is never closed")
            .line(1)
            .hint("add a line `---` after the last YAML field, before the Markdown text"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Split {
        split(s, Path::new("x.md")).unwrap()
    }

    #[test]
    fn plain() {
        let s = ok("---\ntitle: a\n---\nBody\n");
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.yaml_line, 2);
    }

    #[test]
    fn bom_and_crlf() {
        let s = ok("\u{feff}---\r\ntitle: a\r\nprice: 1\r\n---\r\nBody\r\nmore\r\n");
        assert_eq!(s.yaml, "title: a\nprice: 1\n");
        assert_eq!(s.body, "Body\nmore\n");
    }

    #[test]
    fn empty_body_and_no_trailing_newline() {
        assert_eq!(ok("---\ntitle: a\n---").body, "");
    }

    #[test]
    fn unclosed_and_missing() {
        let e = split("---\ntitle: a\nBody", Path::new("x.md")).unwrap_err();
        assert!(e.message.contains("never closed"));
        assert_eq!(e.line, Some(1));
        let e = split("title: a\n", Path::new("x.md")).unwrap_err();
        assert!(e.message.contains("does not start"));
    }
}
