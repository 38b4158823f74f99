//! The render stage: Site model in, [`Output`] out. Pure and parallel per page.

pub mod sitemap;
pub mod snippets;
pub mod templates;
pub mod views;

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::assets;
use crate::content::Site;
use crate::error::{BuildError, Diagnostic};
use crate::markdown;
use crate::output::{Entry, Output};
use templates::Templates;
use views::{CategoryRef, PageView, ProductView, Urls};

/// How many featured products the home page shows when none are marked `featured: true`.
const FEATURED_FALLBACK: usize = 8;
/// How many related products a product page shows.
const RELATED: usize = 4;

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    Product(usize),
    /// All products (`None`) or one category, 1-based page number.
    List(Option<usize>, usize),
    Page(usize),
    NotFound,
}

/// Everything shared by all pages of one build, computed once.
struct Shared<'a> {
    site: &'a Site,
    urls: Urls,
    templates: Templates,
    products: Vec<Value>,
    categories: Vec<CategoryRef>,
    pages: Vec<Value>,
}

/// Render the whole site.
pub fn render(site: &Site) -> Result<Output, BuildError> {
    let urls = Urls::new(site);
    let (css, templates) = rayon::join(
        || assets::bundle_css(site),
        || rayon::join(|| Templates::load(site), || templates::strings(site)),
    );
    let (templates, strings) = (templates.0, templates.1);
    let mut errors = Vec::new();
    let css = css.map_err(|d| errors.push(d)).ok();
    let templates = templates.map_err(|d| errors.push(d)).ok();
    let strings = strings.map_err(|d| errors.push(d)).ok();
    let (Some(css), Some(mut templates), Some(strings)) = (css, templates, strings) else {
        return Err(errors.into());
    };

    let site_view = views::site_view(site, urls.url(&css.rel), &urls);
    templates.tera.global_context().insert("site", &site_view);
    templates.tera.global_context().insert("t", &strings);

    let categories: Vec<CategoryRef> = site
        .categories
        .iter()
        .map(|c| CategoryRef::new(c, site, &urls))
        .collect();
    let cat_index: HashMap<&str, usize> = site
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.slug.as_str(), i))
        .collect();
    let codes = snippets::PaymentCodes::new(site);
    let spacing = site.config.typography.cjk_spacing;
    let products: Vec<Value> = site
        .products
        .par_iter()
        .map(|p| {
            let cat = p
                .category_slug
                .as_deref()
                .and_then(|s| cat_index.get(s))
                .map(|&i| categories[i].clone());
            let permalink = urls.permalink(&p.path());
            let image = p
                .meta
                .images
                .first()
                .map(|i| urls.permalink(i))
                .unwrap_or_default();
            let shared = crate::china::share::Shared {
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
                category: cat,
                content: markdown::to_html(&p.body, &urls.base_path, spacing),
                payments: codes.for_product(site, p),
                share: snippets::share(site, &shared),
                image_sizes: p.meta.images.iter().map(|i| site.image_size(i)).collect(),
            };
            Value::from_serializable(&ProductView::new(p, extras, &site.config, &urls))
        })
        .collect();
    let pages: Vec<Value> = site
        .pages
        .par_iter()
        .map(|p| {
            Value::from_serializable(&PageView::new(
                p,
                markdown::to_html(&p.body, &urls.base_path, spacing),
                &urls,
            ))
        })
        .collect();
    let shared = Shared {
        site,
        urls,
        templates,
        products,
        categories,
        pages,
    };

    let per = site.config.paginate.max(1);
    let pages_of = |n: usize| n.div_ceil(per).max(1);
    let mut jobs = vec![Job::Home, Job::NotFound];
    jobs.extend((0..site.products.len()).map(Job::Product));
    jobs.extend((1..=pages_of(site.products.len())).map(|n| Job::List(None, n)));
    for (ci, c) in site.categories.iter().enumerate() {
        if !c.products.is_empty() {
            jobs.extend((1..=pages_of(c.products.len())).map(|n| Job::List(Some(ci), n)));
        }
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));

    let rendered: Vec<Result<(String, String), Diagnostic>> =
        jobs.par_iter().map(|job| shared.render(*job)).collect();
    let mut out = Output::default();
    let mut sitemap = Vec::with_capacity(jobs.len());
    for (job, r) in jobs.iter().zip(rendered) {
        match r {
            Ok((rel, html)) => {
                if !matches!(job, Job::NotFound) {
                    let dir = rel.strip_suffix("index.html").unwrap_or(&rel);
                    let lastmod = match job {
                        Job::Product(i) => site.products[*i]
                            .meta
                            .date
                            .as_ref()
                            .map(|d| d.chars().take(10).collect()),
                        Job::Page(i) => site.pages[*i]
                            .meta
                            .date
                            .as_ref()
                            .map(|d| d.chars().take(10).collect()),
                        _ => None,
                    };
                    sitemap.push(sitemap::Entry {
                        loc: shared.urls.permalink(dir),
                        lastmod,
                    });
                }
                let from = match job {
                    Job::Product(i) => site.products[*i].source.display().to_string(),
                    Job::Page(i) => site.pages[*i].source.display().to_string(),
                    _ => rel.clone(),
                };
                if let Err(d) = out.insert(&rel, Entry::Bytes(Cow::Owned(html.into_bytes())), &from)
                {
                    errors.push(d);
                }
            }
            Err(d) => errors.push(d),
        }
    }
    let root = site.base.root();
    for (name, xml) in sitemap::sitemaps(&sitemap, &root) {
        push(&mut out, &name, xml.into_bytes(), &mut errors);
    }
    let urls = sitemap::url_list(&sitemap).into_bytes();
    push(&mut out, sitemap::URL_LIST, urls, &mut errors);
    push(
        &mut out,
        "robots.txt",
        sitemap::robots(&root).into_bytes(),
        &mut errors,
    );
    push(&mut out, &css.rel, css.bytes, &mut errors);
    for (rel, bytes) in site.theme.under("static") {
        let entry = match site.theme.files.get(&format!("static/{rel}")) {
            Some(Cow::Borrowed(b)) => Entry::Bytes(Cow::Borrowed(b)),
            _ => Entry::Bytes(Cow::Owned(bytes.to_vec())),
        };
        if let Err(d) = out.replace(rel, entry) {
            errors.push(d);
        }
    }
    for f in &site.static_files {
        if out.files.contains_key(&f.rel)
            && !site.theme.files.contains_key(&format!("static/{}", f.rel))
        {
            errors.push(
                Diagnostic::new(&f.source, format!("this static file would overwrite the generated `{}`", f.rel))
                    .hint("rename or move it: generated pages, the sitemap and robots.txt take these paths"),
            );
            continue;
        }
        if let Err(d) = out.replace(&f.rel, Entry::Copy(f.source.clone())) {
            errors.push(d);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors.into())
    }
}

fn push(out: &mut Output, rel: &str, bytes: Vec<u8>, errors: &mut Vec<Diagnostic>) {
    if let Err(d) = out.insert(rel, Entry::Bytes(Cow::Owned(bytes)), rel) {
        errors.push(d);
    }
}

/// The paginator a listing template sees.
#[derive(Serialize)]
struct Paginator {
    items: Vec<Value>,
    current: usize,
    total_pages: usize,
    total_items: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PagerLink>,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Listing<'a> {
    title: &'a str,
    url: String,
    description: Option<&'a str>,
    image: Option<&'a str>,
    kind: &'static str,
}

/// Page `n` of a listing at `base` (`categories/x/`): `base` itself, then `base/page/n/`.
fn page_rel(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

impl Shared<'_> {
    fn render(&self, job: Job) -> Result<(String, String), Diagnostic> {
        let site = self.site;
        let mut ctx = Context::new();
        let (template, rel_dir, title, description): (&str, String, String, Option<String>) =
            match job {
                Job::Home => {
                    let featured: Vec<Value> = {
                        let marked: Vec<Value> = site
                            .products
                            .iter()
                            .zip(&self.products)
                            .filter(|(p, _)| p.meta.featured)
                            .map(|(_, v)| v.clone())
                            .collect();
                        if marked.is_empty() {
                            self.products
                                .iter()
                                .take(FEATURED_FALLBACK)
                                .cloned()
                                .collect()
                        } else {
                            marked
                        }
                    };
                    ctx.insert("featured", &featured);
                    ctx.insert("products", &self.products);
                    ctx.insert(
                        "categories",
                        &self
                            .categories
                            .iter()
                            .filter(|c| c.count > 0)
                            .collect::<Vec<_>>(),
                    );
                    let c = &site.config;
                    (
                        "index.html",
                        String::new(),
                        c.title.clone(),
                        c.description.clone().or_else(|| c.tagline.clone()),
                    )
                }
                Job::NotFound => ("404.html", String::new(), site.config.title.clone(), None),
                Job::Product(i) => {
                    let p = &site.products[i];
                    let related: Vec<Value> = match p
                        .category_slug
                        .as_deref()
                        .and_then(|s| site.categories.iter().find(|c| c.slug == s))
                    {
                        Some(c) => c
                            .products
                            .iter()
                            .filter(|&&j| j != i)
                            .take(RELATED)
                            .map(|&j| self.products[j].clone())
                            .collect(),
                        None => Vec::new(),
                    };
                    ctx.insert_value("product", self.products[i].clone());
                    ctx.insert("related", &related);
                    let desc = p
                        .meta
                        .description
                        .clone()
                        .or_else(|| p.meta.subtitle.clone());
                    ("product.html", p.path(), p.meta.title.clone(), desc)
                }
                Job::List(cat, n) => {
                    let (indices, base, listing): (Vec<usize>, String, Listing) = match cat {
                        None => (
                            (0..site.products.len()).collect(),
                            "products/".to_string(),
                            Listing {
                                title: "",
                                url: self.urls.url("products/"),
                                description: None,
                                image: None,
                                kind: "all",
                            },
                        ),
                        Some(ci) => {
                            let c = &site.categories[ci];
                            let cr = &self.categories[ci];
                            (
                                c.products.clone(),
                                c.path(),
                                Listing {
                                    title: &c.name,
                                    url: cr.url.clone(),
                                    description: c.description.as_deref(),
                                    image: cr.image.as_deref(),
                                    kind: "category",
                                },
                            )
                        }
                    };
                    let per = site.config.paginate.max(1);
                    let total_pages = indices.len().div_ceil(per).max(1);
                    let items: Vec<Value> = indices
                        .iter()
                        .skip((n - 1) * per)
                        .take(per)
                        .map(|&i| self.products[i].clone())
                        .collect();
                    let paginator = Paginator {
                        items,
                        current: n,
                        total_pages,
                        total_items: indices.len(),
                        prev_url: (n > 1).then(|| self.urls.url(&page_rel(&base, n - 1))),
                        next_url: (n < total_pages).then(|| self.urls.url(&page_rel(&base, n + 1))),
                        pages: (1..=total_pages)
                            .map(|k| PagerLink {
                                number: k,
                                url: self.urls.url(&page_rel(&base, k)),
                                current: k == n,
                            })
                            .collect(),
                    };
                    let title = if listing.title.is_empty() {
                        String::new()
                    } else {
                        listing.title.to_string()
                    };
                    let desc = listing.description.map(str::to_string);
                    ctx.insert("listing", &listing);
                    ctx.insert("paginator", &paginator);
                    ("list.html", page_rel(&base, n), title, desc)
                }
                Job::Page(i) => {
                    let p = &site.pages[i];
                    ctx.insert_value("page", self.pages[i].clone());
                    (
                        p.meta.template.as_deref().unwrap_or("page.html"),
                        p.path(),
                        p.meta.title.clone(),
                        p.meta.description.clone(),
                    )
                }
            };
        let rel = if matches!(job, Job::NotFound) {
            "404.html".to_string()
        } else {
            format!("{rel_dir}index.html")
        };
        ctx.insert(
            "kind",
            match job {
                Job::Home => "home",
                Job::Product(_) => "product",
                Job::List(..) => "list",
                Job::Page(_) => "page",
                Job::NotFound => "404",
            },
        );
        ctx.insert("current_url", &self.urls.url(&rel_dir));
        ctx.insert("permalink", &self.urls.permalink(&rel_dir));
        ctx.insert("page_title", &title);
        ctx.insert("page_description", &description);
        let html = self.templates.tera.render(template, &ctx).map_err(|e| {
            let what = match job {
                Job::Product(i) => {
                    format!("/{rel_dir} (from {})", site.products[i].source.display())
                }
                Job::Page(i) => format!("/{rel_dir} (from {})", site.pages[i].source.display()),
                _ => format!("/{rel}"),
            };
            self.templates.diagnostic(&e, Some(&what))
        })?;
        Ok((rel, html))
    }
}
