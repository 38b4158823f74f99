//! The view cache: each product's and page's view as templates see it (its Markdown already
//! turned into HTML), rebuilt only when what it shows changed. Every view carries its
//! content digest, which is how the page plan knows a page's data changed (in this build and
//! against an earlier one).
//!
//! A build in a new process need not build a view at all: the sink keeps, from the last build,
//! each view's digest by a digest of what the view is made from (its file's text, its category
//! and everything site-wide a view shows). A view whose inputs are unchanged gets its digest
//! from there, and is built only if a page that shows it is rendered or search indexes it
//! ([`ViewCache::ensure`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Value;

use super::views::{self, CategoryRef, PageView, ProductView, Urls};
use super::{markdown, snippets};
use crate::content::{Model, Page, Product};
use crate::images::Images;

/// The name the views' digests are kept under between builds (see [`crate::output::Sink`]).
pub(super) const STATE: &str = "views";

/// The view of one product or page, as templates see it.
pub(super) struct Cached {
    pub source: PathBuf,
    /// The product's category as its view shows it (the count changes as products come and go).
    pub category: Option<CategoryRef>,
    /// `None` while only its digest is known (from an earlier build): see [`ViewCache::ensure`].
    pub view: Option<Value>,
    /// The content digest of `view`: a page knows from it when its data changed.
    pub rev: u64,
    /// A digest of what `view` is made from.
    pub input: u64,
}

impl Cached {
    /// The Markdown body as HTML, as rendered when the view was built.
    fn html(&self) -> Option<String> {
        self.view
            .as_ref()?
            .get_from_path("content")
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// The view (an empty one if it was never built, which [`ViewCache::ensure`] prevents for
    /// every page rendered).
    pub fn value(&self) -> Value {
        debug_assert!(self.view.is_some(), "view of {:?} not built", self.source);
        self.view.clone().unwrap_or_else(Value::none)
    }
}

/// What an earlier build knew of each view: by source, its input digest and its digest.
#[derive(Serialize, Deserialize, Default)]
struct Known {
    v: u32,
    views: Vec<(String, u64, u64)>,
}

/// Raise when what a view holds changes in a way its inputs do not show.
const KNOWN_FORMAT: u32 = 1;

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

/// What building a view needs, besides the product or page.
struct Builder<'a> {
    site: &'a Model,
    urls: &'a Urls,
    pictures: markdown::Pictures<'a>,
    codes: snippets::PaymentCodes,
    categories: &'a [CategoryRef],
    cat_index: HashMap<&'a str, usize>,
}

impl<'a> Builder<'a> {
    fn new(
        site: &'a Model,
        urls: &'a Urls,
        pictures: markdown::Pictures<'a>,
        categories: &'a [CategoryRef],
    ) -> Builder<'a> {
        Builder {
            site,
            urls,
            pictures,
            codes: snippets::PaymentCodes::new(site),
            categories,
            cat_index: site
                .categories
                .iter()
                .enumerate()
                .map(|(i, c)| (c.slug.as_str(), i))
                .collect(),
        }
    }

    fn category(&self, p: &Product) -> Option<usize> {
        p.category_slug
            .as_deref()
            .and_then(|s| self.cat_index.get(s))
            .copied()
    }

    fn markdown(&self, body: &str) -> String {
        markdown::to_html(
            body,
            &self.urls.base_path,
            self.site.config.typography.cjk_spacing,
            self.pictures,
        )
    }

    /// The view of `p` (its body's HTML given when it is known already).
    fn product(&self, p: &Product, content: Option<String>, input: u64) -> Cached {
        let (site, urls) = (self.site, self.urls);
        let category = self.category(p).map(|i| self.categories[i].clone());
        let content = content.unwrap_or_else(|| self.markdown(&p.body));
        let permalink = urls.page_permalink(&p.path());
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
            payments: self.codes.for_product(site, p),
            share: snippets::share(site, &shared),
            image_sizes: p
                .meta
                .images
                .iter()
                .map(|i| urls.image_size(i).or_else(|| site.image_size(i)))
                .collect(),
        };
        let view = Value::from_serializable(&ProductView::new(p, extras, &site.config, urls));
        Cached {
            source: p.source.clone(),
            category,
            rev: digest(&view, ""),
            view: Some(view),
            input,
        }
    }

    fn page(&self, p: &Page, input: u64) -> Cached {
        let html = self.markdown(&p.body);
        let view = Value::from_serializable(&PageView::new(p, html, self.urls));
        Cached {
            source: p.source.clone(),
            category: None,
            // The template a page names is part of what it is rendered from.
            rev: digest(&view, p.meta.template.as_deref().unwrap_or("")),
            view: Some(view),
            input,
        }
    }
}

/// A digest of everything site-wide that a view shows: shopgen's version, the configuration,
/// the base URL, the photos' variants and the other images' sizes.
fn context_digest(site: &Model, urls: &Urls, images: &Images) -> blake3::Hasher {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&KNOWN_FORMAT.to_le_bytes());
    h.update(&serde_json::to_vec(&site.config).unwrap_or_default());
    h.update(urls.origin.as_bytes());
    h.update(b"\0");
    h.update(urls.base_path.as_bytes());
    h.update(&images.digest.to_le_bytes());
    let mut sizes: Vec<(&String, &(u32, u32))> = site.image_sizes.iter().collect();
    sizes.sort_unstable();
    for (path, (w, h2)) in sizes {
        h.update(path.as_bytes());
        h.update(&w.to_le_bytes());
        h.update(&h2.to_le_bytes());
    }
    h
}

fn input_digest(context: &blake3::Hasher, source: &Path, text: u64, extra: &[u8]) -> u64 {
    let mut h = context.clone();
    h.update(source.as_os_str().as_encoded_bytes());
    h.update(&text.to_le_bytes());
    h.update(extra);
    super::digest64(&h.finalize())
}

impl ViewCache {
    /// Whether no view was built or restored yet (a new renderer).
    pub fn is_empty(&self) -> bool {
        self.products.is_empty() && self.pages.is_empty()
    }

    /// What the next build in a new process needs to know of these views (see
    /// [`ViewCache::update`]).
    pub fn state(&self) -> Vec<u8> {
        let known = Known {
            v: KNOWN_FORMAT,
            views: self
                .products
                .iter()
                .chain(&self.pages)
                .map(|c| (c.source.to_string_lossy().into_owned(), c.input, c.rev))
                .collect(),
        };
        serde_json::to_vec(&known).unwrap_or_default()
    }

    /// Bring the views up to date with `site`: the views of the files in `changed` are built
    /// again (their Markdown too), the others only when what they show changed. `known` is
    /// what an earlier build left ([`ViewCache::state`]): a view whose inputs it knows is not
    /// built, only its digest is taken.
    pub fn update(
        &mut self,
        site: &Model,
        changed: &[PathBuf],
        urls: &Urls,
        images: &Images,
        pictures: markdown::Pictures,
        known: Option<&[u8]>,
    ) {
        self.categories = site
            .categories
            .iter()
            .map(|c| CategoryRef::new(c, site, urls))
            .collect();
        let known: HashMap<String, (u64, u64)> = known
            .and_then(|b| serde_json::from_slice::<Known>(b).ok())
            .filter(|k| k.v == KNOWN_FORMAT)
            .map(|k| k.views)
            .unwrap_or_default()
            .into_iter()
            .map(|(s, i, r)| (s, (i, r)))
            .collect();
        let context = context_digest(site, urls, images);
        let cat_digests: Vec<Vec<u8>> = self
            .categories
            .iter()
            .map(|c| serde_json::to_vec(c).unwrap_or_default())
            .collect();
        let categories = std::mem::take(&mut self.categories);
        let b = Builder::new(site, urls, pictures, &categories);
        let html_stale = std::mem::take(&mut self.html_stale);
        let all_stale = std::mem::take(&mut self.stale) || html_stale;
        let edited = |source: &Path| {
            html_stale || changed.iter().any(|c| c.as_os_str() == source.as_os_str())
        };
        let restored = |source: &Path, input: u64| -> Option<u64> {
            let (i, rev) = known.get(source.to_str()?)?;
            (*i == input).then_some(*rev)
        };
        let old = realign(
            std::mem::take(&mut self.products),
            site.products.iter().map(|p| p.source.as_path()),
        );
        self.products = site
            .products
            .par_iter()
            .zip(old)
            .map(|(p, old)| {
                let ci = b.category(p);
                let input = input_digest(
                    &context,
                    &p.source,
                    p.digest,
                    ci.map_or(&[][..], |i| &cat_digests[i]),
                );
                let category = ci.map(|i| &categories[i]);
                let edited = edited(&p.source);
                match old {
                    Some(c) if !edited && !all_stale && c.category.as_ref() == category => c,
                    old => match restored(&p.source, input) {
                        Some(rev) if !edited => Cached {
                            source: p.source.clone(),
                            category: category.cloned(),
                            view: None,
                            rev,
                            input,
                        },
                        _ => {
                            let content = old.filter(|_| !edited).and_then(|c| c.html());
                            b.product(p, content, input)
                        }
                    },
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
            .map(|(p, old)| {
                let template = p.meta.template.as_deref().unwrap_or("");
                let input = input_digest(&context, &p.source, p.digest, template.as_bytes());
                match old {
                    Some(c) if !edited(&p.source) => c,
                    _ => match restored(&p.source, input) {
                        Some(rev) if !edited(&p.source) => Cached {
                            source: p.source.clone(),
                            category: None,
                            view: None,
                            rev,
                            input,
                        },
                        _ => b.page(p, input),
                    },
                }
            })
            .collect();
        drop(b);
        self.categories = categories;
        let mut h = blake3::Hasher::new();
        h.update(&serde_json::to_vec(&self.categories).unwrap_or_default());
        self.categories_digest = super::digest64(&h.finalize());
    }

    /// Build the views of `products` and `pages` (indices into the model) that only their
    /// digest was known of.
    pub fn ensure(
        &mut self,
        site: &Model,
        urls: &Urls,
        pictures: markdown::Pictures,
        products: &[usize],
        pages: &[usize],
    ) {
        let products: Vec<usize> = products
            .iter()
            .copied()
            .filter(|&i| self.products[i].view.is_none())
            .collect();
        let pages: Vec<usize> = pages
            .iter()
            .copied()
            .filter(|&i| self.pages[i].view.is_none())
            .collect();
        if products.is_empty() && pages.is_empty() {
            return;
        }
        let categories = std::mem::take(&mut self.categories);
        let b = Builder::new(site, urls, pictures, &categories);
        let built: Vec<(usize, Cached)> = products
            .par_iter()
            .map(|&i| {
                (
                    i,
                    b.product(&site.products[i], None, self.products[i].input),
                )
            })
            .collect();
        for (i, c) in built {
            self.products[i] = c;
        }
        let built: Vec<(usize, Cached)> = pages
            .par_iter()
            .map(|&i| (i, b.page(&site.pages[i], self.pages[i].input)))
            .collect();
        for (i, c) in built {
            self.pages[i] = c;
        }
        drop(b);
        self.categories = categories;
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
