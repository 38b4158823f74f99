//! The `shopgen` command line: parses the verb and hands it to `cmd/`, one file per verb.

// Diagnostics are large on purpose (file, line, field, message, hint) and only travel the
// error path, so boxing them would buy nothing.
#![allow(clippy::result_large_err)]

mod cmd;

use std::process::ExitCode;

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
    Build(cmd::build::Args),
    /// Build the site in memory and check it for mainland China: blocked hosts, the ICP link,
    /// mixed content, broken links and missing files (errors), absolute advertising terms
    /// (warnings). Exit code 1 on any error.
    Check(cmd::check::Args),
    /// Preview the site: serve it from memory and rebuild what changed on every edit
    Serve(cmd::serve::Args),
    /// Sync the built site to Aliyun OSS, an S3-protocol bucket or a folder (deploy: in shop.yaml)
    ///
    /// Uploads only new and changed files (compared by MD5), assets first and pages last.
    /// Keys come from the environment: OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and
    /// OSS_SECURITY_TOKEN for OSS; AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
    /// AWS_SESSION_TOKEN for S3; BAIDU_PUSH_TOKEN for --baidu-push.
    Deploy(cmd::deploy::Args),
    /// Create a new site from the example shop
    Init(cmd::init::Args),
    /// Bring a catalog in from another shop system: one product file a product, photos
    /// fetched into static/ (existing product files are kept unless --force)
    Import(cmd::import::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Deploy(a) => cmd::deploy::run(a),
        Command::Init(a) => cmd::init::run(a),
        Command::Import(a) => cmd::import::run(a),
    }
}
