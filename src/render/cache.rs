//! The view cache: each product's and page's view as templates see it (its Markdown already
//! turned into HTML), rebuilt only when what it shows changed. Every view carries its
//! content digest, which is how the page plan knows a page's data changed (in this build and
//! against an earlier one).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Value;

use super::views::{self, CategoryRef, PageView, ProductView, Urls};
use super::{markdown, snippets};
use crate::content::Model;

/// The view of one product or page, as templates see it.
pub(super) struct Cached {
    pub source: PathBuf,
    /// The product's category as its view shows it (the count changes as products come and go).
    pub category: Option<CategoryRef>,
    pub view: Value,
    /// The content digest of `view`: a page knows from it when its data changed.
    pub rev: u64,
}

impl Cached {
    /// The Markdown body as HTML, as rendered when the view was built.
    fn html(&self) -> Option<String> {
        self.view
            .get_from_path("content")
            .and_then(Value::as_str)
            .map(str::to_string)
    }
}

/// The views of every product and page, and of the categories they show.
#[derive(Default)]
pub(super) struct ViewCache {
    /// In the order of `Model::categories`.
    pub categories: Vec<CategoryRef>,
    /// In the order of `Model::products`.
    pub products: Vec<Cached>,
    /// In the order of `Model::pages`.
    pub pages: Vec<Cached>,
    /// Every product view must be built again (the images they show may have changed).
    pub stale: bool,
    /// A digest of `categories` (names, links, counts).
    pub categories_digest: u64,
    /// Every Markdown body must be rendered again (the photos it shows changed).
    pub html_stale: bool,
}

impl ViewCache {
    /// Bring the views up to date with `site`: the views of the files in `changed` are built
    /// again (their Markdown too), the others only when what they show changed.
    pub fn update(
        &mut self,
        site: &Model,
        changed: &[PathBuf],
        urls: &Urls,
        pictures: markdown::Pictures,
    ) {
        self.categories = site
            .categories
            .iter()
            .map(|c| CategoryRef::new(c, site, urls))
            .collect();
        let cat_index: HashMap<&str, usize> = site
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.as_str(), i))
            .collect();
        let categories = &self.categories;
        let codes = snippets::PaymentCodes::new(site);
        let spacing = site.config.typography.cjk_spacing;
        let html_stale = std::mem::take(&mut self.html_stale);
        let all_stale = std::mem::take(&mut self.stale) || html_stale;
        let old = realign(
            std::mem::take(&mut self.products),
            site.products.iter().map(|p| p.source.as_path()),
        );
        self.products = site
            .products
            .par_iter()
            .zip(old)
            .map(|(p, old)| {
                let category = p
                    .category_slug
                    .as_deref()
                    .and_then(|s| cat_index.get(s))
                    .map(|&i| &categories[i]);
                let edited = html_stale
                    || changed
                        .iter()
                        .any(|c| c.as_os_str() == p.source.as_os_str());
                match old {
                    Some(c) if !edited && !all_stale && c.category.as_ref() == category => c,
                    old => {
                        let category = category.cloned();
                        let content = old
                            .filter(|_| !edited)
                            .and_then(|c| c.html())
                            .unwrap_or_else(|| {
                                markdown::to_html(&p.body, &urls.base_path, spacing, pictures)
                            });
                        let permalink = urls.permalink(&p.path());
                        let image = p
                            .meta
                            .images
                            .first()
                            .map(|i| format!("{}{}", urls.origin, urls.image(i)))
                            .unwrap_or_default();
                        let shared = crate::render::share::Shared {
                            url: &permalink,
                            title: &p.meta.title,
                            description: p
                                .meta
                                .description
                                .as_deref()
                                .or(p.meta.subtitle.as_deref())
                                .unwrap_or(""),
                            image: &image,
                            site: &site.config.title,
                        };
                        let extras = views::Extras {
                            category: category.clone(),
                            content,
                            payments: codes.for_product(site, p),
                            share: snippets::share(site, &shared),
                            image_sizes: p
                                .meta
                                .images
                                .iter()
                                .map(|i| urls.image_size(i).or_else(|| site.image_size(i)))
                                .collect(),
                        };
                        let view = Value::from_serializable(&ProductView::new(
                            p,
                            extras,
                            &site.config,
                            urls,
                        ));
                        Cached {
                            source: p.source.clone(),
                            category,
                            rev: digest(&view, ""),
                            view,
                        }
                    }
                }
            })
            .collect();
        let old = realign(
            std::mem::take(&mut self.pages),
            site.pages.iter().map(|p| p.source.as_path()),
        );
        self.pages = site
            .pages
            .par_iter()
            .zip(old)
            .map(|(p, old)| match old {
                Some(c)
                    if !html_stale
                        && !changed
                            .iter()
                            .any(|c| c.as_os_str() == p.source.as_os_str()) =>
                {
                    c
                }
                _ => {
                    let view = Value::from_serializable(&PageView::new(
                        p,
                        markdown::to_html(&p.body, &urls.base_path, spacing, pictures),
                        urls,
                    ));
                    Cached {
                        source: p.source.clone(),
                        category: None,
                        // The template a page names is part of what it is rendered from.
                        rev: digest(&view, p.meta.template.as_deref().unwrap_or("")),
                        view,
                    }
                }
            })
            .collect();
        let mut h = blake3::Hasher::new();
        h.update(&serde_json::to_vec(&self.categories).unwrap_or_default());
        self.categories_digest = super::digest64(&h.finalize());
    }
}

/// The content digest of a view (and what else it is rendered with): equal views give equal
/// digests in every build, so a page rendered from them need not be rendered again.
fn digest(view: &Value, extra: &str) -> u64 {
    let mut h = blake3::Hasher::new();
    h.update(&serde_json::to_vec(view).unwrap_or_default());
    h.update(extra.as_bytes());
    super::digest64(&h.finalize())
}

/// Match the cached views in `old` to `sources` (the new order); `None` for a new source.
fn realign<'a>(
    old: Vec<Cached>,
    sources: impl ExactSizeIterator<Item = &'a Path>,
) -> Vec<Option<Cached>> {
    let sources: Vec<&Path> = sources.collect();
    if old.len() == sources.len()
        && old
            .iter()
            .zip(&sources)
            .all(|(c, s)| c.source.as_os_str() == s.as_os_str())
    {
        return old.into_iter().map(Some).collect();
    }
    let mut by_source: HashMap<PathBuf, Cached> =
        old.into_iter().map(|c| (c.source.clone(), c)).collect();
    sources.iter().map(|s| by_source.remove(*s)).collect()
}
