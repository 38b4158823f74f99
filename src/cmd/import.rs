//! `shopgen import shopify FILE.csv [SITE]`: a Shopify product export as the site's product
//! files and photos.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    from: From,
}

#[derive(clap::Subcommand)]
enum From {
    /// A Shopify product export (Products → Export → CSV), in the old or the current layout
    Shopify(Shopify),
}

#[derive(clap::Args)]
struct Shopify {
    /// The exported CSV file
    file: PathBuf,
    /// The site folder (holds shop.yaml)
    #[arg(default_value = ".")]
    site: PathBuf,
    /// Take the photos from this folder, by the file names in their URLs, instead of
    /// downloading them
    #[arg(long, value_name = "DIR")]
    images: Option<PathBuf>,
    /// Overwrite product files that exist
    #[arg(long)]
    force: bool,
    /// Make the category from the first tag that starts with PREFIX (`tag:分类:`), not from
    /// the product type
    #[arg(long, value_name = "tag:PREFIX")]
    category_from: Option<String>,
    /// Write the products as translations into this further language of the site (`en`):
    /// `<name>.en.md` beside each product the site already has
    #[arg(long, value_name = "CODE")]
    language: Option<String>,
}

pub fn run(a: Args) -> ExitCode {
    let From::Shopify(s) = a.from;
    let category_tag = match s.category_from.as_deref() {
        None => None,
        Some(c) => match c.strip_prefix("tag:") {
            Some(p) if !p.is_empty() => Some(p.to_string()),
            _ => {
                eprintln!(
                    "error: --category-from takes `tag:PREFIX`, e.g. `--category-from tag:分类:`"
                );
                return ExitCode::FAILURE;
            }
        },
    };
    let opts = shopgen::import::Options {
        file: s.file,
        site: s.site,
        images: s.images,
        force: s.force,
        category_tag,
        language: s.language,
    };
    let bar = progress_bar();
    let tick = |done: usize, total: usize| {
        if let Some(b) = &bar {
            if b.is_hidden() && total > 0 {
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let result = shopgen::import::shopify(&opts, &tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match result {
        Ok(r) => {
            if let Some(e) = r.encoding {
                println!("read the export as {e} text");
            }
            for f in &r.written {
                println!("wrote {}", f.display());
            }
            for (f, why) in &r.skipped {
                println!("skipped {}: {why}", f.display());
            }
            let p = &r.photos;
            println!(
                "imported {} products: {} files written, {} skipped; photos: {} fetched, {} already there, {} failed",
                r.products,
                r.written.len(),
                r.skipped.len(),
                p.fetched,
                p.kept,
                p.failed.len()
            );
            if !p.failed.is_empty() {
                eprintln!(
                    "these photos could not be had (their products were written without them):"
                );
                for f in &p.failed {
                    eprintln!("  {}: {} — {}", f.product, f.url, f.reason);
                }
                eprintln!(
                    "  help: run the import again to retry them (what arrived is kept), or give --images DIR"
                );
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// A progress bar for the photos on a terminal; nothing otherwise.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::hidden();
    bar.set_style(
        indicatif::ProgressStyle::with_template("fetching photos {bar:30} {pos}/{len} {eta}")
            .ok()?,
    );
    Some(bar)
}
