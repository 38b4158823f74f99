//! shopgen: a static-site generator for brand shops that sell into mainland China and Hong Kong.
//!
//! The pipeline runs one way: [`content::load`] (shop.yaml, content/, theme) → [`content::Site`]
//! → [`render::render`] → [`output::Output`] → written atomically by [`output::Output::write_atomic`],
//! or synced to a bucket by [`deploy`]. `build` uses [`render::render_into`], which writes each
//! page into the staging folder as soon as it is rendered, so a large shop is never all in memory.

// Diagnostics are large on purpose (file, line, field, message, hint) and only travel the
// error path, so boxing them would buy nothing.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod china;
pub mod config;
pub mod content;
pub mod deploy;
pub mod error;
pub mod init;
pub mod markdown;
pub mod output;
pub mod render;
pub mod serve;
pub mod theme;
pub mod yaml;

use output::Staging;
use std::path::{Path, PathBuf};

pub use content::LoadOptions;
pub use error::{BuildError, Diagnostic};

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub products: usize,
    pub pages: usize,
    pub categories: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Load, render and write the site at `site` into `output` (default `<site>/public`).
pub fn build(
    site: &Path,
    output: Option<&Path>,
    opts: &LoadOptions,
) -> Result<BuildReport, BuildError> {
    let loaded = content::load(site, opts)?;
    let output_dir = output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| site.join("public"));
    // Pages go straight into the staging folder; it replaces the output folder only when
    // everything is written (dropped on error, it is removed).
    let staging = Staging::new(&output_dir)?;
    let (out, pages) = render::render_into(&loaded, staging.root())?;
    staging.write(&out)?;
    staging.commit()?;
    Ok(BuildReport {
        output_dir,
        products: loaded.products.len(),
        pages: loaded.pages.len(),
        categories: loaded
            .categories
            .iter()
            .filter(|c| !c.products.is_empty())
            .count(),
        files: out.files.len() + pages,
        warnings: loaded.warnings,
    })
}
