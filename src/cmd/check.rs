//! `shopgen check`: build in memory and report what would break or be blocked in China.

use std::process::ExitCode;

use super::LoadArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    load: LoadArgs,
    /// `text` for people, `json` (one document) for CI
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(a: Args) -> ExitCode {
    let report = shopgen::check::check_site(&a.load.site, &a.load.options());
    match a.format {
        Format::Text => println!("{}", report.to_text()),
        Format::Json => println!("{}", report.to_json()),
    }
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
