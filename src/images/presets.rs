//! The uses of a photo (gallery, card, 详情…): the widths each is published at and the
//! `sizes` attribute the browser picks one by, declared once in the theme's `images.yaml`,
//! widths overridable in shop.yaml (`images.widths`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::config::Config;
use crate::content::theme::Theme;
use crate::util::diag::Diagnostic;

pub const FILE: &str = "images.yaml";

/// One use of a photo.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    pub widths: Vec<u32>,
    pub sizes: String,
    /// Cut images taller than this many pixels (at the published width) into segments.
    #[serde(default)]
    pub segment: Option<u32>,
    /// Lossless WebP and PNG (codes and line art that must stay crisp).
    #[serde(default)]
    pub lossless: bool,
}

pub type Presets = BTreeMap<String, Preset>;

/// The uses every theme must declare, because the theme's pages call them.
pub const REQUIRED: &[&str] = &[
    "gallery", "thumb", "card", "detail", "hero", "story", "category", "avatar", "logo", "qr",
];

/// The theme's presets, with shop.yaml's widths on top.
pub fn load(theme: &Theme, config: &Config) -> Result<Presets, Diagnostic> {
    let shown = theme.display_path(FILE);
    let mut presets: Presets = match theme.get(FILE) {
        Some(bytes) => crate::config::yaml::parse(&String::from_utf8_lossy(bytes), &shown, 1)?,
        None => BTreeMap::new(),
    };
    for name in REQUIRED {
        if !presets.contains_key(*name) {
            return Err(Diagnostic::new(
                &shown,
                format!("the theme does not say at which widths `{name}` photos are published"),
            )
            .hint(format!(
                "add `{name}: {{ widths: [750, 1125], sizes: \"100vw\" }}` to the theme's {FILE}"
            )));
        }
    }
    for (name, p) in &presets {
        if p.widths.is_empty() || p.widths.iter().any(|w| !(16..=8192).contains(w)) {
            return Err(Diagnostic::new(
                &shown,
                format!("`{name}` needs one or more widths from 16 to 8192"),
            ));
        }
    }
    for (name, widths) in &config.images.widths {
        match presets.get_mut(name) {
            Some(p) => {
                p.widths = widths.clone();
            }
            None => {
                return Err(Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    format!("`images.widths.{name}`: the theme has no use called `{name}`"),
                )
                .field(format!("images.widths.{name}"))
                .hint(format!(
                    "the theme's uses are {}",
                    presets.keys().cloned().collect::<Vec<_>>().join(", ")
                )));
            }
        }
    }
    for p in presets.values_mut() {
        p.widths.sort_unstable();
        p.widths.dedup();
    }
    Ok(presets)
}
