//! A product: one Markdown file under `content/products/`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::price::Fen;
use super::{Checks, frontmatter};
use crate::config::Document;
use crate::util::diag::Diagnostic;
use crate::util::slug;

/// The front matter of a product file, as the author writes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductMeta {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    pub price: Fen,
    #[serde(default)]
    pub original_price: Option<Fen>,
    /// Prices in other currencies, for a language that sells in them: `prices: { HKD: 1399 }`.
    /// Money is never converted.
    #[serde(default)]
    pub prices: std::collections::BTreeMap<crate::config::Currency, Fen>,
    #[serde(default)]
    pub original_prices: std::collections::BTreeMap<crate::config::Currency, Fen>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub images: Vec<String>,
    #[serde(default)]
    pub badges: Vec<String>,
    #[serde(default)]
    pub variants: Vec<Variant>,
    /// Option combinations with their own price, SKU, stock or photo.
    #[serde(default)]
    pub skus: Vec<super::skus::Sku>,
    #[serde(default)]
    pub stock: Option<u32>,
    #[serde(default)]
    pub fapiao: bool,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub featured: bool,
    #[serde(default)]
    pub specs: Vec<Spec>,
    #[serde(default)]
    pub faq: Vec<Faq>,
    /// This product's own payment codes, replacing the site's.
    #[serde(default)]
    pub payments: Option<crate::config::Payments>,
    /// The theme's own fields, free-form (Zola's `extra`, Hugo's `params`): templates read
    /// them as `product.extra["材质"]`; nothing else does.
    #[serde(default)]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl ProductMeta {
    /// Apply CJK–Latin spacing to the text a buyer reads.
    pub fn space_text(&mut self) {
        use super::spacing::space;
        let fix = |s: &mut String| {
            if let std::borrow::Cow::Owned(o) = space(s) {
                *s = o;
            }
        };
        fix(&mut self.title);
        for s in [&mut self.subtitle, &mut self.description]
            .into_iter()
            .flatten()
        {
            fix(s);
        }
        self.badges.iter_mut().for_each(fix);
        for spec in &mut self.specs {
            fix(&mut spec.value);
        }
        for f in &mut self.faq {
            fix(&mut f.q);
            fix(&mut f.a);
        }
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub name: String,
    pub options: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub q: String,
    pub a: String,
}

/// A loaded, validated product.
#[derive(Debug, Clone)]
pub struct Product {
    /// The source file, as found under the site folder.
    pub source: PathBuf,
    pub slug: String,
    /// Slug of its category, when it has one.
    pub category_slug: Option<String>,
    /// The slug of each of `meta.tags` (empty when a tag makes none), made once here rather
    /// than each time the site is grouped.
    pub tag_slugs: Vec<String>,
    pub meta: ProductMeta,
    /// The Markdown detail story (详情).
    pub body: String,
    /// A digest of the file's text, for caches that outlive the process.
    pub digest: u64,
    /// In a further language's model: a digest of what it was made from (the default
    /// language's product, its translation, the conversion and the currency), so that an
    /// unchanged product is taken from the last model instead of being made again.
    pub made_from: u64,
}

impl Product {
    /// Path of its page below the site root, e.g. `products/zhen-pi-tuo-te-bao/`.
    pub fn path(&self) -> String {
        format!("products/{}/", self.slug)
    }
}

/// Parse and validate one product file.
pub fn parse(raw: &str, file: &Path, checks: &Checks) -> Result<Product, Vec<Diagnostic>> {
    let split = frontmatter::split(raw, file).map_err(|d| vec![d])?;
    let doc = Document::new(file, split.yaml, split.yaml_line);
    let meta: ProductMeta = doc.parse().map_err(|d| vec![d])?;
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let (slug, problems) = check(&meta, stem, checks);
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|p| doc.error(&p.field, p.message).hint(p.hint))
            .collect());
    }
    Ok(finish(
        meta,
        slug,
        split.body,
        file.to_path_buf(),
        super::text_digest(raw),
    ))
}

/// A problem with a product's fields, by the path of the field (`skus[1].options[0]`): the
/// caller knows where that field was written (a front-matter line, a spreadsheet cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
    pub hint: String,
}

/// Validate `meta` and make its slug (from `slug:`, else from `stem` — the file name — else
/// from the title). The slug is empty when there are problems with it.
pub fn check(meta: &ProductMeta, stem: &str, checks: &Checks) -> (String, Vec<Problem>) {
    let mut errs = Vec::new();
    let mut err = |field: &str, message: String, hint: &str| {
        errs.push(Problem {
            field: field.to_string(),
            message,
            hint: hint.to_string(),
        });
    };
    if meta.title.trim().is_empty() {
        err(
            "title",
            "the product title is empty".into(),
            "write the product's name, e.g. `title: 真皮托特包`",
        );
    }
    if let Some(orig) = meta.original_price
        && orig < meta.price
    {
        err(
            "original_price",
            format!(
                "the original price ({}) is lower than the price ({})",
                orig.display("¥", false),
                meta.price.display("¥", false)
            ),
            "original_price is the price before the discount; remove it or make it higher",
        );
    }
    let slug = match &meta.slug {
        Some(s) if slug::is_valid(s) => s.clone(),
        Some(s) => {
            let suggestion = slug::slugify(s);
            err(
                "slug",
                format!("`{s}` is not a valid URL slug"),
                &if suggestion.is_empty() {
                    "use lowercase ASCII letters, digits and -".to_string()
                } else {
                    format!("use lowercase ASCII letters, digits and -, e.g. `slug: {suggestion}`")
                },
            );
            String::new()
        }
        None => {
            let from_title = || slug::slugify(&meta.title);
            let s = slug::slugify(stem);
            let s = if s.is_empty() { from_title() } else { s };
            if s.is_empty() {
                err(
                    "slug",
                    "cannot make a URL slug from the file name or title".into(),
                    "add `slug: my-product` with lowercase ASCII letters, digits and -",
                );
            } else if !slug::is_valid(&s) {
                err(
                    "title",
                    format!(
                        "the URL slug made from the file name or title is {} bytes long; a slug has at most {}",
                        s.len(),
                        slug::MAX_LEN
                    ),
                    "add a short `slug: my-product` (lowercase ASCII letters, digits and -)",
                );
            }
            s
        }
    };
    for (i, img) in meta.images.iter().enumerate() {
        if let Err(m) = checks.static_file(img) {
            err(&format!("images[{i}]"), m, super::IMAGE_HINT);
        }
    }
    if let Some(d) = &meta.date
        && let Err(m) = check_date(d)
    {
        err(
            "date",
            m,
            "write the date as YYYY-MM-DD, e.g. `date: 2026-03-01`",
        );
    }
    if let Some(p) = &meta.payments {
        for (field, msg) in crate::rules::payments::validate(p) {
            err(
                &format!("payments.{field}"),
                msg,
                "copy the collection code's link from the payment app",
            );
        }
    }
    for (i, t) in meta.tags.iter().enumerate() {
        if slug::slugify(t).len() > slug::MAX_LEN {
            err(
                &format!("tags[{i}]"),
                format!(
                    "the tag is too long to be a URL (its slug has more than {} bytes)",
                    slug::MAX_LEN
                ),
                "use a short tag, a word or two",
            );
        }
    }
    if let Some(c) = &meta.category
        && slug::slugify(c).len() > slug::MAX_LEN
    {
        err(
            "category",
            format!(
                "the category name is too long to be a URL (its slug has more than {} bytes)",
                slug::MAX_LEN
            ),
            "use a short category name, or list it under `categories:` in shop.yaml with a `slug:`",
        );
    }
    for (i, v) in meta.variants.iter().enumerate() {
        if v.options.is_empty() {
            err(
                &format!("variants[{i}].options"),
                format!("variant `{}` has no options", v.name),
                "list its choices, e.g. `options: [黑色, 棕色]`",
            );
        }
    }
    for (field, msg, hint) in super::skus::validate(meta) {
        err(&field, msg, &hint);
    }
    for (i, s) in meta.skus.iter().enumerate() {
        if let Some(img) = &s.image
            && let Err(m) = checks.static_file(img)
        {
            err(&format!("skus[{i}].image"), m, super::IMAGE_HINT);
        }
    }
    (slug, errs)
}

/// The validated product: a combination's photo joins the gallery after the product's own.
pub fn finish(
    mut meta: ProductMeta,
    slug: String,
    body: String,
    source: PathBuf,
    digest: u64,
) -> Product {
    for img in meta
        .skus
        .iter()
        .filter_map(|s| s.image.clone())
        .collect::<Vec<_>>()
    {
        if !meta.images.contains(&img) {
            meta.images.push(img);
        }
    }
    Product {
        source,
        slug,
        category_slug: None,
        tag_slugs: meta.tags.iter().map(|t| slug::slugify(t)).collect(),
        meta,
        body,
        digest,
        made_from: 0,
    }
}

/// Accept `YYYY-MM-DD`, optionally followed by a time (`2026-03-01T10:00:00+08:00`).
pub fn check_date(d: &str) -> Result<(), String> {
    let day = d.get(..10).unwrap_or(d);
    let rest = d.get(10..).unwrap_or("");
    let ok = day.parse::<jiff::civil::Date>().is_ok()
        && (rest.is_empty() || rest.starts_with('T') || rest.starts_with(' '));
    if ok {
        Ok(())
    } else {
        Err(format!("`{d}` is not a date"))
    }
}
