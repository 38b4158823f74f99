//! `shopgen deploy`: plan, print the plan, confirm deletes, run.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use shopgen::deploy::{self, DeployError, Source};
use shopgen::{BuildError, Site, site};

use super::LoadArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    load: LoadArgs,
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
}

pub fn run(a: Args) -> ExitCode {
    match deploy(a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed::Load(e)) => {
            for d in &e.diagnostics {
                eprintln!("{}", d.to_text(false));
            }
            eprintln!("nothing was deployed");
            ExitCode::FAILURE
        }
        Err(Failed::Deploy(d)) => {
            eprintln!("{}", d.to_text(false));
            ExitCode::FAILURE
        }
    }
}

/// Why a deploy did not happen: the site did not load (or build), or the deploy failed.
#[allow(clippy::large_enum_variant)]
enum Failed {
    Load(BuildError),
    Deploy(DeployError),
}

impl From<BuildError> for Failed {
    fn from(e: BuildError) -> Failed {
        Failed::Load(e)
    }
}

impl From<DeployError> for Failed {
    fn from(d: DeployError) -> Failed {
        Failed::Deploy(d)
    }
}

/// The built site: rendered in memory with `--build`, otherwise read from `public/`.
fn source(a: &Args) -> Result<Source, Failed> {
    let root = &a.load.site;
    if a.build {
        let site = Site::load(root, &a.load.options())?;
        let output = site.render()?;
        let warnings = site.warnings().to_vec();
        Ok(Source {
            root: root.clone(),
            config: site.model.config,
            output,
            warnings,
        })
    } else {
        let (config, _, warnings) = site::load_config(root)?;
        Ok(Source::folder(root, config, warnings)?)
    }
}

fn deploy(a: Args) -> Result<(), Failed> {
    let opts = deploy::Options {
        dry_run: a.dry_run,
        delete: a.delete,
        configure_website: a.configure_website,
        baidu_push: a.baidu_push,
        jobs: usize::from(a.jobs),
        progress: std::io::stderr().is_terminal(),
        say: |line| eprintln!("{line}"),
    };
    let env = |name: &str| std::env::var(name).ok();
    let prepared = deploy::prepare(source(&a)?, opts, &env)?;
    super::print_warnings(&prepared.warnings);
    println!("{}", prepared.describe(a.dry_run));
    if a.dry_run {
        println!("dry run: nothing was changed");
        return Ok(());
    }
    let n = prepared.deletes().len();
    if n > 0 && !a.yes {
        if !std::io::stdin().is_terminal() {
            return Err(Failed::Deploy(deploy::failure(format!(
                "refusing to delete {n} file(s) from {} without --yes (there is no terminal to confirm on); nothing was changed",
                prepared.target()
            ))));
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
            return Err(Failed::Deploy(deploy::failure(
                "not confirmed; nothing was changed",
            )));
        }
    }
    let report = prepared.execute()?;
    println!("{}", report.summary());
    for answer in &report.baidu {
        println!("Baidu push: {answer}");
    }
    Ok(())
}
