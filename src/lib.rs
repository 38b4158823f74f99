//! shopgen: a static-site generator for brand shops that sell into mainland China and Hong Kong.
//!
//! The pipeline runs one way: [`Site::load`] (shop.yaml, the theme, content/) → the plain-data
//! [`content::Model`] → [`render`] → [`output::Output`] → written to a folder, served by
//! [`serve`] or synced to a bucket by [`deploy`]. The layers and what each may import are in
//! ARCHITECTURE.md at the project root (and held by `tests/layers.rs`).

// Diagnostics are large on purpose (file, line, field, message, hint) and only travel the
// error path, so boxing them would buy nothing.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod config;
pub mod content;
pub mod deploy;
pub mod images;
pub mod import;
pub mod output;
pub mod render;
pub mod rules;
pub mod search;
pub mod serve;
pub mod site;
pub mod util;

pub use site::{Options, Site};
pub use util::diag::{BuildError, Diagnostic};
