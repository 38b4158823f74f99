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

/// A progress bar for the photos' encoding on a terminal; nothing otherwise.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::hidden();
    bar.set_style(
        indicatif::ProgressStyle::with_template("encoding photos {bar:30} {pos}/{len} {eta}")
            .ok()?,
    );
    Some(bar)
}

fn megabytes(n: u64) -> String {
    format!("{:.1} MB", n as f64 / 1e6)
}

pub fn run(a: Args) -> ExitCode {
    let start = Instant::now();
    let bar = progress_bar();
    let tick = |done: usize, total: usize| {
        if let Some(b) = &bar {
            if b.is_hidden() {
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let result = Site::load(&a.load.site, &a.load.options()).and_then(|site| {
        super::print_warnings(site.warnings());
        site.build_with(a.output.as_deref(), a.clean, Some(&tick))
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match result {
        Ok(r) => {
            super::print_warnings(&r.image_warnings);
            let i = &r.images;
            if i.images > 0 {
                println!(
                    "photos: {} ({} variants encoded, {} from the cache; originals {} → largest variants {}, {} saved)",
                    i.images,
                    i.encoded,
                    i.cached,
                    megabytes(i.source_bytes),
                    megabytes(i.largest_bytes),
                    megabytes(i.source_bytes.saturating_sub(i.largest_bytes)),
                );
            }
            if let Some(s) = &r.search {
                let docs = s.documents.max(1);
                println!(
                    "search: {} documents, {} shard{}, {} ({} bytes a document), indexed in {} ms beside the pages",
                    s.documents,
                    s.shards,
                    if s.shards == 1 { "" } else { "s" },
                    megabytes(s.bytes as u64),
                    s.bytes / docs,
                    s.millis,
                );
            } else if r.search_kept {
                println!("search: nothing it indexes changed, the index kept as it is");
            }
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
