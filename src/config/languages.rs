//! `languages:` in shop.yaml (the further languages of a site, each under its own folder) and
//! the shop's own texts in another language (`shop.<code>.yaml`, beside shop.yaml).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Config, Currency, Document, Language, MenuItem, Payments};
use crate::util::diag::Diagnostic;
use crate::util::fsread;

/// One further language: `zh-HK: { path: hk, currency: HKD, from: zh-CN }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The folder its pages are under: `hk` → `/hk/…`.
    pub path: String,
    /// The currency its prices are in (default: the site's). Money is never converted: a
    /// product shows in this language only with a price written in this currency.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// Where no translation exists, convert the text of this language (only `zh-CN` into
    /// `zh-HK`: Hong Kong Traditional).
    #[serde(default)]
    pub from: Option<Language>,
    /// A product without a price in this language's currency: `error` (the default) or
    /// `leave_out` (the product is not shown in this language, with a warning listing them).
    #[serde(default)]
    pub unpriced: Unpriced,
    /// The payment methods shown to this language's buyers, replacing the site's.
    #[serde(default)]
    pub payments: Option<Payments>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Unpriced {
    #[default]
    Error,
    LeaveOut,
}

/// Folders a language may not take: shopgen writes these itself.
const TAKEN: &[&str] = &[
    "products",
    "categories",
    "tags",
    "search",
    "assets",
    "images",
];

/// Check `languages:` against the rest of the configuration.
pub(super) fn validate(c: &Config, doc: &Document, errs: &mut Vec<Diagnostic>) {
    let mut paths: BTreeMap<&str, Language> = BTreeMap::new();
    for (lang, l) in &c.languages {
        let at = |f: &str| format!("languages.{}.{f}", lang.code());
        if *lang == c.language {
            errs.push(
                doc.error(&format!("languages.{}", lang.code()), format!("`{}` is the site's own language", lang.code()))
                    .hint("list only the further languages under `languages:`; the site's own is `language:`"),
            );
        }
        let p = l.path.as_str();
        let well_formed = !p.is_empty()
            && p.len() <= 16
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            errs.push(
                doc.error(&at("path"), format!("`{p}` is not a folder name for a language"))
                    .hint("one short folder name in lower-case letters, digits and `-`, e.g. `path: hk` or `path: en`"),
            );
        } else if TAKEN.contains(&p) {
            errs.push(
                doc.error(
                    &at("path"),
                    format!("`{p}` is a folder shopgen writes itself"),
                )
                .hint("choose another, e.g. `hk` or `en`"),
            );
        } else if let Some(other) = paths.insert(p, *lang) {
            errs.push(
                doc.error(
                    &at("path"),
                    format!("`{}` already has the folder `{p}`", other.code()),
                )
                .hint("give each language its own folder"),
            );
        }
        if let Some(from) = l.from
            && (from != c.language || from != Language::ZhCn || *lang != Language::ZhHk)
        {
            errs.push(
                doc.error(&at("from"), format!("shopgen converts only zh-CN text into zh-HK, not `{}` into `{}`", from.code(), lang.code()))
                    .hint("remove `from:`, and translate this language's texts in its files (`<name>.en.md`, `shop.en.yaml`)"),
            );
        }
    }
}

/// The shop's own texts in one language (`shop.<code>.yaml`): every field is optional, and
/// what it gives replaces the value of shop.yaml (or, for a language converted `from`
/// another, the converted one).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub tagline: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub contact: ContactTexts,
    #[serde(default)]
    pub home: HomeTexts,
    /// By slug: `nv-bao: { name: Women's bags, description: … }`.
    #[serde(default)]
    pub categories: BTreeMap<String, CategoryTexts>,
    /// The whole menu of this language (links as in shop.yaml: `/products/` is this
    /// language's product list).
    #[serde(default)]
    pub menu: Option<Vec<MenuItem>>,
    /// Replaces the keys of shop.yaml's `extra:` it names.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactTexts {
    #[serde(default)]
    pub hours: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeTexts {
    #[serde(default)]
    pub hero: HeroTexts,
    #[serde(default)]
    pub story: StoryTexts,
    /// In the order of shop.yaml's endorsements.
    #[serde(default)]
    pub endorsements: Vec<EndorsementTexts>,
    #[serde(default)]
    pub trust: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeroTexts {
    #[serde(default)]
    pub headline: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub cta_text: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryTexts {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndorsementTexts {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub quote: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryTexts {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// The file of a language's texts: `shop.en.yaml`.
pub fn texts_file(site: &Path, lang: Language) -> std::path::PathBuf {
    site.join(format!("shop.{}.yaml", lang.code()))
}

/// Read `shop.<code>.yaml` when the site has one; its values are checked against `config`
/// (a category slug it names must exist; no more endorsements than shop.yaml has).
pub fn load_texts(
    site: &Path,
    lang: Language,
    config: &Config,
) -> Result<Option<Texts>, Vec<Diagnostic>> {
    let file = texts_file(site, lang);
    if !file.exists() {
        return Ok(None);
    }
    let raw = fsread::read_text(&file).map_err(|d| vec![d])?;
    let text = raw.strip_prefix('\u{feff}').unwrap_or(&raw).to_string();
    let doc = Document::new(&file, text, 1);
    let texts: Texts = doc.parse().map_err(|d| vec![d])?;
    let mut errs = Vec::new();
    let slugs: Vec<String> = config
        .categories
        .iter()
        .map(|c| {
            c.slug
                .clone()
                .unwrap_or_else(|| crate::util::slug::slugify(&c.name))
        })
        .collect();
    for slug in texts.categories.keys() {
        if !slugs.contains(slug) {
            errs.push(
                doc.error(
                    &format!("categories.{slug}"),
                    format!("shop.yaml has no category with the slug `{slug}`"),
                )
                .hint(format!(
                    "name a category by its slug; shop.yaml's are: {}",
                    slugs.join(", ")
                )),
            );
        }
    }
    if texts.home.endorsements.len() > config.home.endorsements.len() {
        let n = config.home.endorsements.len();
        errs.push(
            doc.error(&format!("home.endorsements[{n}]"), format!("shop.yaml has {n} endorsements; this is one more"))
                .hint("translate shop.yaml's endorsements in their order; add a new one to shop.yaml first"),
        );
    }
    if errs.is_empty() {
        Ok(Some(texts))
    } else {
        Err(errs)
    }
}

impl Texts {
    /// Put these texts into `c`.
    pub fn apply(&self, c: &mut Config) {
        let set = |to: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                *to = v.clone();
            }
        };
        let set_opt = |to: &mut Option<String>, v: &Option<String>| {
            if v.is_some() {
                *to = v.clone();
            }
        };
        set(&mut c.title, &self.title);
        set_opt(&mut c.tagline, &self.tagline);
        set_opt(&mut c.description, &self.description);
        set_opt(&mut c.contact.hours, &self.contact.hours);
        set_opt(&mut c.contact.address, &self.contact.address);
        if let Some(h) = &mut c.home.hero {
            set(&mut h.headline, &self.home.hero.headline);
            set_opt(&mut h.text, &self.home.hero.text);
            set_opt(&mut h.cta_text, &self.home.hero.cta_text);
        }
        if let Some(s) = &mut c.home.story {
            set(&mut s.title, &self.home.story.title);
            set_opt(&mut s.text, &self.home.story.text);
        }
        for (e, t) in c.home.endorsements.iter_mut().zip(&self.home.endorsements) {
            set(&mut e.name, &t.name);
            set_opt(&mut e.title, &t.title);
            set(&mut e.quote, &t.quote);
        }
        if let Some(trust) = &self.home.trust {
            c.home.trust = trust.clone();
        }
        for cat in &mut c.categories {
            let slug = cat
                .slug
                .clone()
                .unwrap_or_else(|| crate::util::slug::slugify(&cat.name));
            if let Some(t) = self.categories.get(&slug) {
                // The slug stays: it is the category's URL in every language.
                cat.slug = Some(slug);
                set(&mut cat.name, &t.name);
                set_opt(&mut cat.description, &t.description);
            }
        }
        if let Some(menu) = &self.menu {
            c.menu = Some(menu.clone());
        }
        for (k, v) in &self.extra {
            c.extra.insert(k.clone(), v.clone());
        }
    }
}

/// Apply `f` to every text of `c` a buyer reads (for a converted language): names, titles,
/// descriptions, the home blocks, category names, menu names, contact hours and address.
/// Links, images, numbers and codes stay as they are.
pub fn map_texts(c: &mut Config, f: &dyn Fn(&str) -> String) {
    let one = |s: &mut String| *s = f(s);
    let opt = |s: &mut Option<String>| {
        if let Some(s) = s {
            *s = f(s);
        }
    };
    one(&mut c.title);
    opt(&mut c.tagline);
    opt(&mut c.description);
    opt(&mut c.contact.hours);
    opt(&mut c.contact.address);
    if let Some(h) = &mut c.home.hero {
        one(&mut h.headline);
        opt(&mut h.text);
        opt(&mut h.cta_text);
    }
    if let Some(s) = &mut c.home.story {
        one(&mut s.title);
        opt(&mut s.text);
    }
    for e in &mut c.home.endorsements {
        one(&mut e.name);
        opt(&mut e.title);
        one(&mut e.quote);
    }
    c.home.trust.iter_mut().for_each(one);
    for cat in &mut c.categories {
        // The slug is made from the name it had: the URL stays the same in every language.
        if cat.slug.is_none() {
            cat.slug = Some(crate::util::slug::slugify(&cat.name));
        }
        one(&mut cat.name);
        opt(&mut cat.description);
    }
    for m in c.menu.iter_mut().flatten() {
        one(&mut m.name);
    }
}
