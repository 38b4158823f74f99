//! `import --language CODE`: an export in another language of the site becomes translations
//! of the products the site has — `<name>.<code>.md` beside each product's `<name>.md`, with
//! the texts a buyer reads and, for a language priced in another currency, its prices. The
//! slug, SKU, category and default price stay the product's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::{Config, Currency, Language};
use crate::content::frontmatter;
use crate::content::product::ProductMeta;
use crate::util::diag::Diagnostic;

use super::shopify::Listing;

/// The language imported into and what its translations need to know.
pub struct Target {
    pub lang: Language,
    /// Its currency, when it is not the default language's: the prices are written for it.
    pub currency: Option<Currency>,
    /// The products of the site: slug → (file, photos).
    products: BTreeMap<String, (PathBuf, Vec<String>)>,
}

impl Target {
    /// `code` as a further language of the site whose configuration is `config`.
    pub fn new(site: &Path, config: &Config, code: &str) -> Result<Target, Diagnostic> {
        let known: Vec<&str> = config.languages.keys().map(|l| l.code()).collect();
        let Some((lang, lc)) = config.languages.iter().find(|(l, _)| l.code() == code) else {
            let msg = if code == config.language.code() {
                format!("`{code}` is the site's default language: import without --language")
            } else {
                format!("`{code}` is not one of the site's languages")
            };
            let hint = if known.is_empty() {
                "add it under `languages:` in shop.yaml first (`en: { path: en }`)".to_string()
            } else {
                format!("the site's further languages: {}", known.join(", "))
            };
            return Err(Diagnostic::new(site.join(crate::config::CONFIG_FILE), msg).hint(hint));
        };
        let currency = lc.currency.filter(|c| *c != config.currency);
        Ok(Target {
            lang: *lang,
            currency,
            products: products(site, &config.languages),
        })
    }

    /// The file of the translation of the site's product `slug`, and that product's photos;
    /// None when the site has no such product.
    pub fn file_of(&self, slug: &str) -> Option<(PathBuf, &[String])> {
        let (file, photos) = self.products.get(slug)?;
        let stem = file.file_stem()?.to_str()?;
        Some((
            file.with_file_name(format!("{stem}.{}.md", self.lang.code())),
            photos,
        ))
    }
}

/// Every product file of the site (not a translation) by its slug, with its photos.
fn products(
    site: &Path,
    languages: &BTreeMap<Language, crate::config::languages::LanguageConfig>,
) -> BTreeMap<String, (PathBuf, Vec<String>)> {
    let dir = site.join("content/products");
    let mut found = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return found;
    };
    for e in entries.flatten() {
        let path = e.path();
        let Some(stem) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|_| path.extension().is_some_and(|x| x == "md"))
        else {
            continue;
        };
        if languages
            .keys()
            .any(|l| stem.ends_with(&format!(".{}", l.code())))
        {
            continue;
        }
        let Ok(text) = crate::util::fsread::read_text(&path) else {
            continue;
        };
        let meta = frontmatter::split(&text, &path).ok().and_then(|s| {
            crate::config::yaml::parse::<ProductMeta>(&s.yaml, &path, s.yaml_line).ok()
        });
        let Some(meta) = meta else { continue };
        let slug = meta
            .slug
            .clone()
            .unwrap_or_else(|| crate::util::slug::slugify(stem));
        found.insert(slug, (path, meta.images));
    }
    found
}

#[derive(Serialize)]
struct Front<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    images: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    variants: Vec<super::VariantOut<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    prices: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_prices: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extra: BTreeMap<&'static str, &'a str>,
}

/// The translation's front matter: the listing's texts; its photos only where they are not
/// the product's; its prices when the language has its own currency.
pub fn front_matter(
    t: &Target,
    l: &Listing,
    images: Vec<&str>,
    product_photos: &[String],
    variants: Vec<super::VariantOut<'_>>,
    extra: BTreeMap<&'static str, &str>,
) -> String {
    let first = &l.variants[0];
    let mut prices = BTreeMap::new();
    let mut original_prices = BTreeMap::new();
    if let Some(c) = t.currency {
        let code = c.code();
        prices.insert(code, super::yuan(first.price));
        if let Some(o) = first.compare.filter(|o| *o > first.price) {
            original_prices.insert(code, super::yuan(o));
        }
    }
    let same_photos = images.is_empty()
        || images.len() == product_photos.len()
            && images.iter().zip(product_photos).all(|(a, b)| a == b);
    let front = Front {
        title: &l.title,
        description: l.seo_description.as_deref(),
        tags: l.tags.iter().map(String::as_str).collect(),
        images: if same_photos { Vec::new() } else { images },
        variants,
        prices,
        original_prices,
        extra,
    };
    serde_saphyr::to_string(&front).unwrap_or_default()
}
