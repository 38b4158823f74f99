//! `shopgen serve`: the live preview.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (holds shop.yaml)
    #[arg(default_value = ".")]
    site: PathBuf,
    /// The port to listen on (0: any free port)
    #[arg(short, long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on (0.0.0.0 makes the preview visible to your network)
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Open the preview in the browser
    #[arg(long)]
    open: bool,
    /// Include products and pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
}

pub fn run(a: Args) -> ExitCode {
    match shopgen::serve::run(shopgen::serve::Options {
        site: a.site,
        bind: a.bind,
        port: a.port,
        open: a.open,
        drafts: a.drafts,
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", e.to_text(false));
            ExitCode::FAILURE
        }
    }
}
