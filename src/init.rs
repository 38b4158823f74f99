//! `shopgen init DIR`: a new site, copied from the example shop built into the binary.

use std::path::Path;

use crate::error::Diagnostic;

/// Write the example site into `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<usize, Diagnostic> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::new(dir, "the folder exists and is not empty")
                .hint("choose a new folder name; shopgen init never overwrites files"));
        }
    }
    let files = crate::theme::example_site();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::io(parent, "create folder", &e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Diagnostic::io(&path, "write", &e))?;
    }
    Ok(files.len())
}
