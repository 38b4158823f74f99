//! `shopgen init DIR`: a new site, copied from the example shop built into the binary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use shopgen::Diagnostic;

#[derive(clap::Args)]
pub struct Args {
    /// The folder to create
    dir: PathBuf,
}

pub fn run(a: Args) -> ExitCode {
    match init(&a.dir) {
        Ok(n) => {
            println!(
                "created {} ({n} files); build it with: shopgen build {}",
                a.dir.display(),
                a.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", e.to_text(false));
            ExitCode::FAILURE
        }
    }
}

/// Write the example site into `dir`, which must not exist or be empty.
fn init(dir: &Path) -> Result<usize, Diagnostic> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::new(dir, "the folder exists and is not empty")
                .hint("choose a new folder name; shopgen init never overwrites files"));
        }
    }
    let files = shopgen::content::theme::example_site();
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
