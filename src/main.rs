//! The `shopgen` command line. Parses flags and calls the library; nothing else.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "shopgen",
    version,
    about = "Static brand shops for mainland China and Hong Kong"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into static HTML (default: <SITE>/public)
    Build {
        /// The site folder (holds shop.yaml)
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Where to write the site
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Use this base URL instead of base_url in shop.yaml
        #[arg(long)]
        base_url: Option<String>,
        /// Include products and pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Build the site in memory and check it for mainland China: blocked hosts, the ICP link,
    /// mixed content, broken links and missing files (errors), absolute advertising terms
    /// (warnings). Exit code 1 on any error.
    Check {
        /// The site folder (holds shop.yaml)
        #[arg(default_value = ".")]
        site: PathBuf,
        /// `text` for people, `json` (one document) for CI
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Use this base URL instead of base_url in shop.yaml
        #[arg(long)]
        base_url: Option<String>,
        /// Include products and pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site: serve it from memory and rebuild what changed on every edit
    Serve {
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
    },
    /// Create a new site from the example shop
    Init {
        /// The folder to create
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            drafts,
        } => {
            let start = Instant::now();
            let opts = shopgen::LoadOptions { drafts, base_url };
            match shopgen::build(&site, output.as_deref(), &opts) {
                Ok(r) => {
                    for w in &r.warnings {
                        eprintln!("warning: {w}");
                    }
                    println!(
                        "built {} products, {} pages, {} categories → {} ({} files) in {} ms",
                        r.products,
                        r.pages,
                        r.categories,
                        r.output_dir.display(),
                        r.files,
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
        Command::Check {
            site,
            format,
            base_url,
            drafts,
        } => {
            let opts = shopgen::LoadOptions { drafts, base_url };
            let report = shopgen::china::check::check_site(&site, &opts);
            match format {
                Format::Text => println!("{}", report.to_text()),
                Format::Json => println!("{}", report.to_json()),
            }
            if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            drafts,
        } => match shopgen::serve::run(shopgen::serve::Options {
            site,
            bind,
            port,
            open,
            drafts,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Init { dir } => match shopgen::init::init(&dir) {
            Ok(n) => {
                println!(
                    "created {} ({n} files); build it with: shopgen build {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
