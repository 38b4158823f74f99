//! The site in its further languages (`languages:` in shop.yaml): one [`Model`] per language,
//! made from the default language's model with the translations (`<name>.en.md`,
//! `shop.en.yaml`) put in, the Hong Kong text converted where a `from:` language asks for it,
//! and the prices in the language's currency. Same products (slug, SKU, photos), same
//! categories (slug), same pages.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use super::price::Fen;
use super::product::{Faq, Product, Spec, Variant};
use super::{Model, convert, frontmatter, read, taxonomy};
use crate::config::languages::{self as langs, LanguageConfig, Unpriced};
use crate::config::{Currency, Document, Language};
use crate::rules::hant::Hant;
use crate::util::diag::{BuildError, Diagnostic};
use crate::util::{fsread, slug};

/// A translation file: `content/products/真皮托特包.en.md` is the English side of
/// `真皮托特包.md` (or of the catalog sheet's product with that slug).
#[derive(Debug, Clone)]
pub struct Translation {
    pub lang: Language,
    pub file: PathBuf,
    /// The name of what it translates (`真皮托特包`).
    pub stem: String,
    pub page: bool,
}

/// Take the translations out of `files` (those named `<name>.<code>.md` for a language of
/// `languages:`).
pub fn split(
    files: Vec<PathBuf>,
    languages: &BTreeMap<Language, LanguageConfig>,
    page: bool,
    out: &mut Vec<Translation>,
) -> Vec<PathBuf> {
    if languages.is_empty() {
        return files;
    }
    files
        .into_iter()
        .filter(|f| {
            let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            for lang in languages.keys() {
                if let Some(name) = stem
                    .strip_suffix(lang.code())
                    .and_then(|s| s.strip_suffix('.'))
                {
                    out.push(Translation {
                        lang: *lang,
                        file: f.clone(),
                        stem: name.to_string(),
                        page,
                    });
                    return false;
                }
            }
            true
        })
        .collect()
}

/// The front matter of a product's translation: the texts a buyer reads, its own photos,
/// and its prices in other currencies. The slug, SKU, category and price are the product's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductTexts {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    badges: Option<Vec<String>>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    images: Option<Vec<String>>,
    /// The same variants, their names and options translated, in the same order.
    #[serde(default)]
    variants: Option<Vec<Variant>>,
    #[serde(default)]
    specs: Option<Vec<Spec>>,
    #[serde(default)]
    faq: Option<Vec<Faq>>,
    #[serde(default)]
    prices: BTreeMap<Currency, Fen>,
    #[serde(default)]
    original_prices: BTreeMap<Currency, Fen>,
    #[serde(default)]
    extra: BTreeMap<String, serde_json::Value>,
}

/// Whether `yaml` (the front matter of `file`, from line `line`) is a product translation's.
pub fn check_product_texts(yaml: &str, file: &Path, line: usize) -> Result<(), Diagnostic> {
    crate::config::yaml::parse::<ProductTexts>(yaml, file, line).map(drop)
}

/// The front matter of a page's translation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageTexts {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    extra: BTreeMap<String, serde_json::Value>,
}

/// The glossary of a converted language: `i18n/zh-HK.glossary.yaml`, Simplified word → the
/// word to write.
pub fn glossary_file(root: &Path, lang: Language) -> PathBuf {
    root.join("i18n")
        .join(format!("{}.glossary.yaml", lang.code()))
}

fn read_glossary(root: &Path, lang: Language) -> Result<Vec<(String, String)>, Diagnostic> {
    let file = glossary_file(root, lang);
    if !file.exists() {
        return Ok(Vec::new());
    }
    let raw = fsread::read_text(&file)?;
    let doc = Document::new(&file, raw.trim_start_matches('\u{feff}').to_string(), 1);
    let map: BTreeMap<String, String> = doc.parse()?;
    Ok(map.into_iter().collect())
}

fn digest_of(parts: &[&[u8]]) -> u64 {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    let b = h.finalize();
    let b = b.as_bytes();
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// A digest of a translation file's bytes (what its language's pages are made from besides
/// the default language's file).
fn file_digest(f: &Path) -> u64 {
    std::fs::read(f).map_or(0, |b| digest_of(&[&b]))
}

/// The source of the product or page (in the default language's model) that `t` translates.
pub fn translated(base: &Model, t: &Translation) -> Option<PathBuf> {
    let stem = |f: &Path| f.file_stem().and_then(|s| s.to_str()).map(str::to_string);
    if t.page {
        return base
            .pages
            .iter()
            .find(|p| stem(&p.source).as_deref() == Some(t.stem.as_str()))
            .map(|p| p.source.clone());
    }
    base.products
        .iter()
        .find(|p| {
            let sheet = base
                .catalog
                .as_deref()
                .is_some_and(|c| super::catalog::is_from(p, c));
            if sheet {
                p.slug == t.stem
            } else {
                stem(&p.source).as_deref() == Some(t.stem.as_str())
            }
        })
        .map(|p| p.source.clone())
}

/// The site in each of its further languages, in the order of `languages:`.
/// `previous`: the models an earlier load made (serve), whose products are taken as they are
/// where nothing they were made from changed.
pub fn models(base: &Model, previous: &[Model]) -> Result<Vec<Model>, BuildError> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (lang, lc) in &base.config.languages {
        let before = previous.iter().find(|m| m.config.language == *lang);
        match model(base, *lang, lc, before) {
            Ok(m) => out.push(m),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors.into())
    }
}

fn model(
    base: &Model,
    lang: Language,
    lc: &LanguageConfig,
    before: Option<&Model>,
) -> Result<Model, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let root = &base.root;
    let hant = if lc.from.is_some() {
        let glossary = read_glossary(root, lang).unwrap_or_else(|d| {
            errors.push(d);
            Vec::new()
        });
        let digest = digest_of(&[serde_json::to_vec(&glossary).unwrap_or_default().as_slice()]);
        Some((Hant::new(&glossary), digest))
    } else {
        None
    };
    let conv = |s: &str| match &hant {
        Some((h, _)) => h.convert(s),
        None => s.to_string(),
    };
    let conv: convert::Convert = &conv;
    let converted = hant.is_some();
    let tag = format!("{}:{}", lang.code(), hant.as_ref().map_or(0, |h| h.1));

    // The shop's texts: converted, then the language's own file over them.
    let mut config = base.config.clone();
    let base_currency = base.config.currency;
    config.language = lang;
    config.currency = lc.currency.unwrap_or(base_currency);
    if let Some(p) = &lc.payments {
        config.payments = p.clone();
    }
    if converted {
        langs::map_texts(&mut config, conv);
    }
    match langs::load_texts(root, lang, &base.config) {
        Ok(Some(t)) => t.apply(&mut config),
        Ok(None) => {}
        Err(mut e) => errors.append(&mut e),
    }
    let currency = config.currency;

    let translations: HashMap<(&str, bool), &Translation> = base
        .translations
        .iter()
        .filter(|t| t.lang == lang)
        .map(|t| ((t.stem.as_str(), t.page), t))
        .collect();
    let from_sheet = |p: &Product| {
        base.catalog
            .as_deref()
            .is_some_and(|c| super::catalog::is_from(p, c))
    };
    let stem_of = |p: &Product| -> String {
        if from_sheet(p) {
            p.slug.clone()
        } else {
            p.source
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_string()
        }
    };
    let mut used: std::collections::HashSet<(String, bool)> = Default::default();
    let made: HashMap<u64, &Product> = before
        .map(|m| m.products.iter().map(|p| (p.made_from, p)).collect())
        .unwrap_or_default();
    let currency_tag = format!(
        "{tag} {} {:?}",
        lc.currency.map_or("", |c| c.code()),
        lc.unpriced
    );

    // Products: translated, or converted, or as they are; priced in the language's currency.
    let results: Vec<Result<Option<Product>, Vec<Diagnostic>>> = base
        .products
        .par_iter()
        .map(|p| {
            let stem = stem_of(p);
            let translation = translations.get(&(stem.as_str(), false));
            let own = translation.map_or(0, |t| file_digest(&t.file));
            let from = digest_of(&[
                &p.digest.to_le_bytes(),
                &own.to_le_bytes(),
                currency_tag.as_bytes(),
                p.source.as_os_str().as_encoded_bytes(),
            ]);
            if let Some(q) = made.get(&from) {
                return Ok(Some((*q).clone()));
            }
            let mut p = p.clone();
            if converted {
                convert::product(&mut p, conv);
            }
            if let Some(t) = translation {
                translate_product(&mut p, t, &base.root)?;
            }
            p.made_from = from;
            p.digest = digest_of(&[
                &p.digest.to_le_bytes(),
                &own.to_le_bytes(),
                tag.as_bytes(),
                p.body.as_bytes(),
                p.meta.title.as_bytes(),
            ]);
            if currency != base_currency {
                let sheet = from_sheet(&p);
                return price_in(&mut p, currency, lc.unpriced, lang, sheet);
            }
            Ok(Some(p))
        })
        .collect();
    let mut products = Vec::with_capacity(base.products.len());
    let mut left_out = Vec::new();
    for (r, p) in results.into_iter().zip(&base.products) {
        match r {
            Ok(Some(mut q)) => {
                q.tag_slugs = q.meta.tags.iter().map(|t| slug::slugify(t)).collect();
                products.push(q)
            }
            Ok(None) => left_out.push(p.source.display().to_string()),
            Err(mut e) => errors.append(&mut e),
        }
        used.insert((stem_of(p), false));
    }
    if !left_out.is_empty() {
        warnings.push(
            Diagnostic::new(
                root.join(crate::config::CONFIG_FILE),
                format!(
                    "{} product(s) have no price in {} and are left out of `{}`: {}",
                    left_out.len(),
                    currency.code(),
                    lang.code(),
                    left_out.join(", ")
                ),
            )
            .field(format!("languages.{}.unpriced", lang.code()))
            .hint(format!(
                "give each one `prices: {{ {}: … }}`",
                currency.code()
            ))
            .severity(crate::util::diag::Severity::Warning),
        );
    }

    let mut pages = base.pages.clone();
    for p in &mut pages {
        if converted {
            convert::page(p, conv);
        }
        let stem = p
            .source
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let mut own = 0;
        if let Some(t) = translations.get(&(stem.as_str(), true)) {
            own = file_digest(&t.file);
            if let Err(mut e) = translate_page(p, t) {
                errors.append(&mut e);
            }
        }
        p.digest = digest_of(&[
            &p.digest.to_le_bytes(),
            &own.to_le_bytes(),
            tag.as_bytes(),
            p.body.as_bytes(),
            p.meta.title.as_bytes(),
        ]);
        used.insert((stem, true));
    }
    for t in translations.values() {
        // A translation of a draft is left out with it.
        let draft = t.file.with_file_name(format!("{}.md", t.stem)).is_file();
        if !draft && !used.contains(&(t.stem.clone(), t.page)) {
            errors.push(
                Diagnostic::new(&t.file, format!("this {} translation has no `{}.md` to translate", lang.code(), t.stem))
                    .hint(format!("a translation is named after the file it translates: `{}.md` and `{}.{}.md` side by side", t.stem, t.stem, lang.code())),
            );
        }
    }

    // Same categories (by slug) and tags from the translated names.
    let mut group_errors = Vec::new();
    let (mut categories, tags) = taxonomy::group(
        &base.config,
        &root.join(crate::config::CONFIG_FILE),
        &mut products,
        &mut group_errors,
    );
    let names: HashMap<String, (&String, &Option<String>)> = config
        .categories
        .iter()
        .map(|c| {
            (
                c.slug.clone().unwrap_or_else(|| slug::slugify(&c.name)),
                (&c.name, &c.description),
            )
        })
        .collect();
    for c in &mut categories {
        match names.get(&c.slug) {
            Some((name, desc)) => {
                c.name = (*name).clone();
                c.description = (*desc).clone();
            }
            None => c.name = conv(&c.name),
        }
    }
    errors.extend(group_errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Model {
        root: base.root.clone(),
        config,
        config_doc: base.config_doc.clone(),
        base: base.base.clone(),
        theme: base.theme.clone(),
        prefix: format!("{}/", lc.path),
        products,
        catalog: base.catalog.clone(),
        pages,
        categories,
        tags,
        static_files: base.static_files.clone(),
        warnings,
        image_sizes: base.image_sizes.clone(),
        translations: Vec::new(),
    })
}

/// Put the translation file `t` into `p`.
fn translate_product(
    p: &mut Product,
    t: &Translation,
    _root: &Path,
) -> Result<(), Vec<Diagnostic>> {
    let raw = read(&t.file)?;
    let split = frontmatter::split(&raw, &t.file).map_err(|d| vec![d])?;
    let doc = Document::new(&t.file, split.yaml, split.yaml_line);
    let tr: ProductTexts = doc.parse().map_err(|d| {
        vec![d.hint("a translation gives the texts a buyer reads (title, subtitle, description, badges, tags, variants, specs, faq, extra), its own images, and prices in other currencies (`prices: { HKD: 1399 }`); the slug, SKU, category and price are the product's")]
    })?;
    let m = &mut p.meta;
    let set = |to: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *to = v;
        }
    };
    set(&mut m.title, tr.title);
    if tr.subtitle.is_some() {
        m.subtitle = tr.subtitle;
    }
    if tr.description.is_some() {
        m.description = tr.description;
    }
    if let Some(b) = tr.badges {
        m.badges = b;
    }
    if let Some(t) = tr.tags {
        m.tags = t;
    }
    if let Some(i) = tr.images {
        m.images = i;
    }
    if let Some(s) = tr.specs {
        m.specs = s;
    }
    if let Some(f) = tr.faq {
        m.faq = f;
    }
    if let Some(vs) = tr.variants {
        let same_shape = vs.len() == m.variants.len()
            && vs
                .iter()
                .zip(&m.variants)
                .all(|(a, b)| a.options.len() == b.options.len());
        if !same_shape {
            return Err(vec![doc.error("variants", "the translated variants are not the product's: each variant, and each of its options, is translated in the same order").hint("give as many variants, each with as many options, as the product file")]);
        }
        // The combinations name options by their text: translate them alike.
        for s in &mut m.skus {
            for (k, o) in s.options.iter_mut().enumerate() {
                if let Some(j) = m.variants[k].options.iter().position(|x| x == o) {
                    *o = vs[k].options[j].clone();
                }
            }
        }
        m.variants = vs;
    }
    m.prices.extend(tr.prices);
    m.original_prices.extend(tr.original_prices);
    m.extra.extend(tr.extra);
    if !split.body.trim().is_empty() {
        p.body = split.body;
    }
    Ok(())
}

fn translate_page(p: &mut super::page::Page, t: &Translation) -> Result<(), Vec<Diagnostic>> {
    let raw = read(&t.file)?;
    let split = frontmatter::split(&raw, &t.file).map_err(|d| vec![d])?;
    let doc = Document::new(&t.file, split.yaml, split.yaml_line);
    let tr: PageTexts = doc.parse().map_err(|d| vec![d])?;
    if let Some(title) = tr.title {
        p.meta.title = title;
    }
    if tr.description.is_some() {
        p.meta.description = tr.description;
    }
    p.meta.extra.extend(tr.extra);
    if !split.body.trim().is_empty() {
        p.body = split.body;
    }
    Ok(())
}

/// Give `p` its prices in `currency` (from `prices:`), combinations' alike; without one, an
/// error at the product's `price:` (or the product left out, for `unpriced: leave_out`).
fn price_in(
    p: &mut Product,
    currency: Currency,
    unpriced: Unpriced,
    lang: Language,
    sheet: bool,
) -> Result<Option<Product>, Vec<Diagnostic>> {
    let code = currency.code();
    let Some(&price) = p.meta.prices.get(&currency) else {
        if unpriced == Unpriced::LeaveOut {
            return Ok(None);
        }
        return Err(vec![missing_price(p, code, lang, sheet)]);
    };
    p.meta.price = price;
    p.meta.original_price = p.meta.original_prices.get(&currency).copied();
    let mut errs = Vec::new();
    for (i, s) in p.meta.skus.iter_mut().enumerate() {
        match (s.price.is_some(), s.prices.get(&currency)) {
            (_, Some(&own)) => {
                s.price = Some(own);
                s.original_price = s.original_prices.get(&currency).copied();
            }
            (true, None) => errs.push(
                Diagnostic::new(
                    &p.source,
                    format!(
                        "combination {} has its own price but none in {code}, which `{}` sells in",
                        s.options.join(" × "),
                        lang.code()
                    ),
                )
                .field(format!("skus[{i}].prices"))
                .hint(format!("add `prices: {{ {code}: … }}` to it")),
            ),
            (false, None) => s.original_price = None,
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Some(p.clone()))
}

fn missing_price(p: &Product, code: &str, lang: Language, sheet: bool) -> Diagnostic {
    let msg = format!(
        "`{}` sells in {code}, and this product has no price in {code}: money is never converted",
        lang.code()
    );
    let hint = format!(
        "add `prices: {{ {code}: … }}` beside `price:` (or in its `.{}.md` translation); or set `unpriced: leave_out` under `languages: {}:` to leave such products out",
        lang.code(),
        lang.code()
    );
    if sheet {
        return Diagnostic::new(&p.source, msg).hint(hint);
    }
    let located = read(&p.source).ok().and_then(|raw| {
        let split = frontmatter::split(&raw, &p.source).ok()?;
        Some(Document::new(&p.source, split.yaml, split.yaml_line).error("price", msg.clone()))
    });
    located
        .unwrap_or_else(|| Diagnostic::new(&p.source, msg.clone()))
        .hint(hint)
}
