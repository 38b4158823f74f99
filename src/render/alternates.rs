//! The languages of a page: which of the site's languages have the same page (same path below
//! their folder), for `<link rel="alternate" hreflang>`, the sitemap's `xhtml:link` and the
//! language switcher. Made from every language's page plan before any page is rendered, so
//! the links are reciprocal by construction.

use std::collections::HashMap;

use serde::Serialize;

use crate::content::Model;

/// One language of the site.
#[derive(Debug, Clone)]
struct Lang {
    code: &'static str,
    hreflang: &'static str,
    name: &'static str,
    /// Its folder with its `/` (`en/`), empty for the default language.
    prefix: String,
}

/// Every language's pages, by their path below the language's folder.
#[derive(Debug, Clone, Default)]
pub struct Alternates {
    /// The default language first, then those of `languages:`.
    langs: Vec<Lang>,
    /// `products/x/index.html` → the languages (bits, by index in `langs`) that have it.
    pages: HashMap<String, u32>,
    /// `https://www.example.cn`
    origin: String,
    /// `/shop/`
    base_path: String,
}

/// A language as one page shows it: in the `<head>` and the switcher.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct PageLanguage {
    pub code: &'static str,
    pub hreflang: &'static str,
    /// Its name in itself (`繁體中文`).
    pub name: &'static str,
    /// The same page in this language, or (`exists: false`) the language's home page.
    pub url: String,
    /// Absolute, for `hreflang` links.
    pub permalink: String,
    /// The language's home page.
    pub home: String,
    pub exists: bool,
    /// The language of the page itself.
    pub current: bool,
}

impl Alternates {
    /// `models`: the default language's model first, then one per further language, each
    /// with its page paths (as the page plan writes them, below the language's folder).
    pub fn new<'a>(models: impl IntoIterator<Item = (&'a Model, Vec<String>)>) -> Alternates {
        let mut a = Alternates::default();
        for (k, (m, paths)) in models.into_iter().enumerate() {
            if k == 0 {
                a.origin = m.base.origin.clone();
                a.base_path = m.base.path.clone();
            }
            a.langs.push(Lang {
                code: m.config.language.code(),
                hreflang: m.config.language.hreflang(),
                name: m.config.language.own_name(),
                prefix: m.prefix.clone(),
            });
            for p in paths {
                *a.pages.entry(p).or_default() |= 1 << k;
            }
        }
        a
    }

    /// Whether the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.langs.len() > 1
    }

    /// Every language's folder (the default language's is empty); just `""` for a site of
    /// one language.
    pub fn prefixes(&self) -> impl Iterator<Item = &str> {
        let one = self.langs.is_empty().then_some("");
        one.into_iter()
            .chain(self.langs.iter().map(|l| l.prefix.as_str()))
    }

    /// The languages that have the page at `rel` (as bits), for its fingerprint.
    pub fn mask(&self, rel: &str) -> u32 {
        self.pages.get(rel).copied().unwrap_or(0)
    }

    /// The site's languages as the page at `rel` of the language with folder `prefix` shows
    /// them; empty for a site of one language.
    pub fn of(&self, rel: &str, prefix: &str) -> Vec<PageLanguage> {
        if !self.is_multilingual() {
            return Vec::new();
        }
        let mask = self.mask(rel);
        let path = rel.strip_suffix("index.html").unwrap_or(rel);
        let (origin, base_path) = (&self.origin, &self.base_path);
        self.langs
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let exists = mask & (1 << k) != 0;
                let url = if exists {
                    format!("{base_path}{}{path}", l.prefix)
                } else {
                    format!("{base_path}{}", l.prefix)
                };
                PageLanguage {
                    home: format!("{base_path}{}", l.prefix),
                    code: l.code,
                    hreflang: l.hreflang,
                    name: l.name,
                    permalink: format!("{origin}{url}"),
                    url,
                    exists,
                    current: l.prefix == prefix,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alt() -> Alternates {
        Alternates {
            langs: vec![
                Lang {
                    code: "zh-CN",
                    hreflang: "zh-Hans-CN",
                    name: "简体中文",
                    prefix: String::new(),
                },
                Lang {
                    code: "en",
                    hreflang: "en",
                    name: "English",
                    prefix: "en/".into(),
                },
            ],
            pages: [
                ("index.html".to_string(), 3),
                ("tags/皮具/index.html".into(), 1),
            ]
            .into_iter()
            .collect(),
            origin: "https://a.cn".into(),
            base_path: "/shop/".into(),
        }
    }

    #[test]
    fn same_page_or_the_language_home() {
        let a = alt();
        let home = a.of("index.html", "en/");
        assert_eq!(home[0].permalink, "https://a.cn/shop/");
        assert_eq!(home[1].url, "/shop/en/");
        assert!(home[1].current && home[1].exists && !home[0].current);
        let tag = a.of("tags/皮具/index.html", "");
        assert!(tag[0].exists && !tag[1].exists);
        assert_eq!(tag[1].url, "/shop/en/");
        assert_eq!(tag[0].url, "/shop/tags/皮具/");
    }
}
