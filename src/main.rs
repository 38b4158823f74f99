//! The `shopgen` command line. Parses flags and calls the library; nothing else.

use std::io::{BufRead, IsTerminal, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
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
    /// Sync the built site to Aliyun OSS, an S3-protocol bucket or a folder (deploy: in shop.yaml)
    ///
    /// Uploads only new and changed files (compared by MD5), assets first and pages last.
    /// Keys come from the environment: OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and
    /// OSS_SECURITY_TOKEN for OSS; AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
    /// AWS_SESSION_TOKEN for S3; BAIDU_PUSH_TOKEN for --baidu-push.
    Deploy {
        /// The site folder (holds shop.yaml)
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Print what would be uploaded and deleted, and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Delete files in the bucket (below the prefix) that are no longer in the site
        #[arg(long)]
        delete: bool,
        /// Build the site first (in memory) instead of deploying <SITE>/public
        #[arg(long)]
        build: bool,
        /// Do not ask before deleting (needed for --delete without a terminal, e.g. in CI)
        #[arg(short, long)]
        yes: bool,
        /// OSS: set static website hosting (index.html, 404.html, sub-folder index pages)
        #[arg(long)]
        configure_website: bool,
        /// Submit the changed pages to Baidu (token in BAIDU_PUSH_TOKEN)
        #[arg(long)]
        baidu_push: bool,
        /// Uploads at a time
        #[arg(short, long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
        jobs: u16,
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
        Command::Deploy {
            site,
            dry_run,
            delete,
            build,
            yes,
            configure_website,
            baidu_push,
            jobs,
        } => {
            let opts = shopgen::deploy::Options {
                dry_run,
                delete,
                build,
                configure_website,
                baidu_push,
                jobs: usize::from(jobs),
                progress: std::io::stderr().is_terminal(),
            };
            match deploy(&site, opts, yes) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
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

/// Plan, print the plan, confirm deletes, run.
fn deploy(site: &Path, opts: shopgen::deploy::Options, yes: bool) -> Result<(), String> {
    use shopgen::deploy;
    let dry_run = opts.dry_run;
    let env = |name: &str| std::env::var(name).ok();
    let prepared = deploy::prepare(site, opts, &env).map_err(|e| e.to_string())?;
    for w in &prepared.warnings {
        eprintln!("warning: {w}");
    }
    println!("{}", prepared.describe(dry_run));
    if dry_run {
        println!("dry run: nothing was changed");
        return Ok(());
    }
    let n = prepared.deletes().len();
    if n > 0 && !yes {
        if !std::io::stdin().is_terminal() {
            return Err(format!(
                "refusing to delete {n} file(s) from {} without --yes (there is no terminal to confirm on); nothing was changed",
                prepared.target()
            ));
        }
        for d in prepared.deletes().iter().take(20) {
            eprintln!("  - {d}");
        }
        if n > 20 {
            eprintln!("  … and {} more", n - 20);
        }
        eprint!(
            "delete these {n} file(s) from {}? [y/N] ",
            prepared.target()
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES") {
            return Err("not confirmed; nothing was changed".into());
        }
    }
    let report = prepared.execute().map_err(|e| e.to_string())?;
    println!("{}", report.summary());
    for answer in &report.baidu {
        println!("Baidu push: {answer}");
    }
    Ok(())
}
