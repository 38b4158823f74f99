//! The one ignore policy: names that are never read as content or templates, never
//! published, never deployed and never watched as changes — dotfiles and dot-folders
//! (`.DS_Store`, `.git/`), editor swap and backup files (`*.swp`, `*.swx`, `*.swo`, `*~`,
//! `#name#`, vim's `4913` probe, `*.tmp`), and what Windows leaves behind (`Thumbs.db`,
//! `desktop.ini`). Plain `std`: `build.rs` uses it too, for the theme and example site it
//! embeds.

use std::path::{Component, Path};

/// Whether a file or folder called `name` is left out everywhere.
pub fn is_ignored(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp"]
            .iter()
            .any(|x| lower.ends_with(x))
        || lower == "thumbs.db"
        || lower == "desktop.ini"
}

/// Whether any part of `rel` (a path below a walked folder) is ignored.
pub fn is_ignored_path(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(s) => s.to_str().is_none_or(is_ignored),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ignore_policy() {
        for name in [
            ".DS_Store",
            ".git",
            ".a.md.swp",
            "a.md.swp",
            "base.html.SWO",
            "a.md~",
            "#a.md#",
            "4913",
            "Thumbs.db",
            "desktop.ini",
            "Desktop.ini",
            "x.tmp",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["a.md", "tote-1.jpg", "#hash", "index.html", "swp.png"] {
            assert!(!is_ignored(name), "{name}");
        }
        assert!(is_ignored_path(Path::new("images/.cache/x.jpg")));
        assert!(!is_ignored_path(Path::new("images/bags/x.jpg")));
    }
}
