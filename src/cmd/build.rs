//! `shopgen build`: load, render and write the site.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use shopgen::Site;

use super::LoadArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    load: LoadArgs,
    /// Where to write the site
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Write the whole output anew instead of only what changed
    #[arg(long)]
    clean: bool,
}

pub fn run(a: Args) -> ExitCode {
    let start = Instant::now();
    let result = Site::load(&a.load.site, &a.load.options()).and_then(|site| {
        super::print_warnings(site.warnings());
        site.build(a.output.as_deref(), a.clean)
    });
    match result {
        Ok(r) => {
            println!(
                "built {} products, {} pages, {} categories → {} ({} files: {} written, {} deleted; {} pages rendered) in {} ms",
                r.products,
                r.pages,
                r.categories,
                r.output_dir.display(),
                r.files,
                r.written,
                r.deleted,
                r.rendered,
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
