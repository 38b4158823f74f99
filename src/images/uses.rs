//! Where each photo of the site is shown, and as what: product photos in the gallery, its
//! thumbnails and cards; images in a product's or page's Markdown as 详情; every image
//! shop.yaml names as its own use. Only raster files of the site's `static/` are photos here;
//! SVG and everything else is published as it is.

use std::collections::BTreeMap;
use std::path::PathBuf;

use pulldown_cmark::{Event, Parser, Tag};

use crate::content::Model;

/// What names a photo: a product or page file (with the field, for product `images`), or a
/// field of shop.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    File(PathBuf, Option<String>),
    Config(String),
}

/// One photo and everything that shows it.
#[derive(Debug, Clone, Default)]
pub struct Use {
    /// The presets it is shown with.
    pub presets: Vec<&'static str>,
    pub by: Vec<By>,
}

pub use crate::content::images::is_raster;

/// A local image reference as written in Markdown, as a path below `static/` (`None` for an
/// external or data URL).
pub fn local_path(url: &str) -> Option<String> {
    let external =
        url.contains("://") || url.starts_with("//") || url.starts_with("data:") || url.is_empty();
    if external || url.starts_with('#') {
        return None;
    }
    let rel = url.trim_start_matches("./").trim_start_matches('/');
    let rel = rel.strip_prefix("static/").unwrap_or(rel);
    let rel = rel.split(['?', '#']).next().unwrap_or(rel);
    Some(
        percent_encoding::percent_decode_str(rel)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// The images of a Markdown text.
pub fn markdown_images(md: &str) -> Vec<String> {
    if !md.contains("![") {
        return Vec::new();
    }
    Parser::new(md)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Image { dest_url, .. }) => local_path(&dest_url),
            _ => None,
        })
        .collect()
}

/// Every photo of a site (by its path below `static/`) with its uses, in the default
/// language (`site`) and the others (`languages`: a translation may show its own photos).
pub fn collect(site: &Model, languages: &[Model]) -> BTreeMap<String, Use> {
    let mut uses: BTreeMap<String, Use> = BTreeMap::new();
    for m in std::iter::once(site).chain(languages) {
        collect_into(m, &mut uses);
    }
    uses
}

fn collect_into(site: &Model, uses: &mut BTreeMap<String, Use>) {
    let mut add = |path: &str, preset: &'static str, by: By| {
        let path = path.trim_start_matches('/');
        if !is_raster(path) {
            return;
        }
        let u = uses.entry(path.to_string()).or_default();
        if !u.presets.contains(&preset) {
            u.presets.push(preset);
        }
        if !u.by.contains(&by) {
            u.by.push(by);
        }
    };
    for p in &site.products {
        for (i, img) in p.meta.images.iter().enumerate() {
            let by = || By::File(p.source.clone(), Some(format!("images[{i}]")));
            add(img, "gallery", by());
            add(img, "thumb", by());
            if i == 0 {
                add(img, "card", by());
            }
        }
        for img in markdown_images(&p.body) {
            add(&img, "detail", By::File(p.source.clone(), None));
        }
    }
    for pg in &site.pages {
        for img in markdown_images(&pg.body) {
            add(&img, "detail", By::File(pg.source.clone(), None));
        }
    }
    for (field, path) in crate::content::config_image_fields(&site.config) {
        let preset = match field.as_str() {
            "logo" => "logo",
            "contact.wechat_qr" => "qr",
            "home.hero.image" => "hero",
            "home.story.image" => "story",
            f if f.starts_with("home.endorsements") => "avatar",
            _ => "category",
        };
        add(path, preset, By::Config(field));
    }
}
