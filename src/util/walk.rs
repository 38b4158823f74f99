//! The one site walker. Every folder shopgen reads (content, static, templates, styles,
//! assets, themes, a built `public/`) is walked here, with the one ignore policy of
//! [`super::ignore`].

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

pub use super::ignore::{is_ignored, is_ignored_path};
use crate::util::diag::Diagnostic;

/// A file found by [`files`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its path (the folder joined with `rel`).
    pub path: PathBuf,
    /// Its path below the folder, with `/` separators.
    pub rel: String,
}

/// Every file below `dir`, sorted by name, without the ignored ones (nor anything inside an
/// ignored folder). A folder that does not exist has none. Only regular files are listed.
pub fn files(dir: &Path) -> Result<Vec<Found>, Diagnostic> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let walk = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_name().to_str().is_none_or(|n| !is_ignored(n)));
    for entry in walk {
        let entry = entry.map_err(|e| {
            let at = e.path().unwrap_or(dir).to_path_buf();
            Diagnostic::new(at, format!("cannot read the folder: {e}"))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let Some(rel) = rel.to_str() else {
            return Err(Diagnostic::new(entry.path(), "the file name is not UTF-8")
                .hint("rename it with UTF-8 characters (ASCII is safest in URLs)"));
        };
        out.push(Found {
            path: entry.path().to_path_buf(),
            rel: rel.replace('\\', "/"),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_without_ignored_files_and_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        for f in [
            "a.md",
            "sub/b.md",
            ".DS_Store",
            "sub/.b.md.swp",
            "sub/b.md~",
            ".hidden/c.md",
            "Thumbs.db",
        ] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), "x").unwrap();
        }
        let rels: Vec<String> = files(d).unwrap().into_iter().map(|f| f.rel).collect();
        assert_eq!(rels, ["a.md", "sub/b.md"]);
        assert!(files(&d.join("missing")).unwrap().is_empty());
    }
}
