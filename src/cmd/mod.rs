//! One file per verb: its arguments, its terminal output and its exit code. The work itself is
//! the library's; these files only call it and print what it returns.

pub mod build;
pub mod check;
pub mod deploy;
pub mod import;
pub mod init;
pub mod serve;

use std::path::PathBuf;

use shopgen::Diagnostic;

/// The site and the flags that choose what is loaded, the same for every verb that builds it.
#[derive(clap::Args, Debug, Clone)]
pub struct LoadArgs {
    /// The site folder (holds shop.yaml)
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Use this base URL instead of base_url in shop.yaml
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include products and pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

impl LoadArgs {
    pub fn options(&self) -> shopgen::Options {
        shopgen::Options {
            drafts: self.drafts,
            base_url: self.base_url.clone(),
        }
    }
}

/// Warnings on stderr, one after the other.
pub fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}
