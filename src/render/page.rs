//! The context of one page: what its template sees besides `site` and `t`.

use serde::Serialize;
use tera::{Context, Value};

use super::Renderer;
use super::plan::{
    Job, Listed, featured, listing_items, page_rel, pager_window, related, source_of,
};
use crate::content::Model;
use crate::util::diag::Diagnostic;

/// Room for a typical page, so its buffer rarely grows.
const PAGE_CAPACITY: usize = 48 * 1024;

impl Renderer {
    /// Render page `job`, to be written at `rel`.
    pub(super) fn render_page(
        &self,
        site: &Model,
        job: Job,
        rel: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = Context::new();
        let rel_dir = rel.strip_suffix("index.html").unwrap_or("");
        let (template, title, description): (&str, String, Option<String>) = match job {
            Job::Home => {
                let featured: Vec<Value> = featured(site)
                    .into_iter()
                    .map(|i| self.views.products[i].value())
                    .collect();
                ctx.insert_value("featured", Value::from(featured));
                ctx.insert("product_count", &site.products.len());
                ctx.insert("categories", &self.shown_categories());
                let c = &site.config;
                (
                    "index.html",
                    c.title.clone(),
                    c.description.clone().or_else(|| c.tagline.clone()),
                )
            }
            Job::NotFound => ("404.html", site.config.title.clone(), None),
            Job::Search => {
                ctx.insert("categories", &self.shown_categories());
                let t = self.strings.get("search").cloned().unwrap_or_default();
                ("search.html", t, None)
            }
            Job::Product(i) => {
                let p = &site.products[i];
                let related: Vec<Value> = related(site, i)
                    .map(|j| self.views.products[j].value())
                    .collect();
                ctx.insert_value("product", self.views.products[i].value());
                ctx.insert_value("related", Value::from(related));
                let desc = p
                    .meta
                    .description
                    .clone()
                    .or_else(|| p.meta.subtitle.clone());
                ("product.html", p.meta.title.clone(), desc)
            }
            Job::List(cat, n) => {
                let (base, listing) = match cat {
                    Listed::All => (
                        "products/".to_string(),
                        Listing {
                            title: "",
                            url: self.urls.page("products/"),
                            description: None,
                            image: None,
                            image_size: None,
                            kind: "all",
                        },
                    ),
                    Listed::Category(ci) => {
                        let c = &site.categories[ci];
                        let cr = &self.views.categories[ci];
                        (
                            c.path(),
                            Listing {
                                title: &c.name,
                                url: cr.url.clone(),
                                description: c.description.as_deref(),
                                image: cr.image.as_deref(),
                                image_size: cr.image_size,
                                kind: "category",
                            },
                        )
                    }
                    Listed::Tag(ti) => {
                        let t = &site.tags[ti];
                        (
                            t.path(),
                            Listing {
                                title: &t.name,
                                url: self.urls.page(&t.path()),
                                description: None,
                                image: None,
                                image_size: None,
                                kind: "tag",
                            },
                        )
                    }
                };
                let per = site.config.paginate.max(1);
                let (items, total_items) = listing_items(site, cat, n);
                let total_pages = total_items.div_ceil(per).max(1);
                let paginator = Paginator {
                    items: items
                        .iter()
                        .map(|&i| self.views.products[i].value())
                        .collect(),
                    current: n,
                    total_pages,
                    total_items,
                    prev_url: (n > 1).then(|| self.urls.page(&page_rel(&base, n - 1))),
                    next_url: (n < total_pages).then(|| self.urls.page(&page_rel(&base, n + 1))),
                    pages: pager_window(n, total_pages)
                        .map(|(k, gap_before)| PagerLink {
                            number: k,
                            url: self.urls.page(&page_rel(&base, k)),
                            current: k == n,
                            gap_before,
                        })
                        .collect(),
                };
                let title = listing.title.to_string();
                let desc = listing.description.map(str::to_string);
                ctx.insert("listing", &listing);
                ctx.insert("paginator", &paginator);
                ("list.html", title, desc)
            }
            Job::Page(i) => {
                let p = &site.pages[i];
                ctx.insert_value("page", self.views.pages[i].value());
                (
                    p.meta.template.as_deref().unwrap_or("page.html"),
                    p.meta.title.clone(),
                    p.meta.description.clone(),
                )
            }
        };
        ctx.insert(
            "kind",
            match job {
                Job::Home => "home",
                Job::Product(_) => "product",
                Job::List(..) => "list",
                Job::Page(_) => "page",
                Job::NotFound => "404",
                Job::Search => "search",
            },
        );
        // The same page in the site's other languages (empty for a site of one language).
        let mut languages = self.alternates.of(rel, &site.prefix);
        if matches!(job, Job::NotFound) {
            // A missing page has no counterpart: the switcher leads to each language's home.
            for l in &mut languages {
                l.exists = false;
                l.url = l.home.clone();
                l.permalink = format!("{}{}", self.urls.origin, l.home);
            }
        }
        // hreflang links only where the page exists in more than one language; the default
        // language's comes first (it is x-default).
        let mut alternates: Vec<_> = languages.iter().filter(|l| l.exists).collect();
        if alternates.len() < 2 {
            alternates.clear();
        }
        ctx.insert("alternates", &alternates);
        ctx.insert("languages", &languages);
        ctx.insert("current_url", &self.urls.page(rel_dir));
        ctx.insert("permalink", &self.urls.page_permalink(rel_dir));
        let doc_title = self.document_title(site, job, &title);
        let tagline = site.config.tagline.as_deref().filter(|t| !t.is_empty());
        ctx.insert(
            "title",
            &match (doc_title.is_empty(), tagline) {
                (false, _) => format!("{doc_title} - {}", site.config.title),
                (true, Some(tagline)) => format!("{} - {tagline}", site.config.title),
                (true, None) => site.config.title.clone(),
            },
        );
        ctx.insert("doc_title", &doc_title);
        ctx.insert("page_title", &title);
        ctx.insert("page_description", &description);
        // Bytes, not a String: the templates and the data are UTF-8 already, and checking
        // every page again would cost a pass over all of the output.
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.templates
            .tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| {
                let what = match job {
                    Job::Product(_) | Job::Page(_) => {
                        format!("/{rel_dir} (from {})", source_of(site, job, rel).display())
                    }
                    _ => format!("/{rel}"),
                };
                self.templates.diagnostic(&e, Some(&what))
            })?;
        Ok(html)
    }
}

impl Renderer {
    /// The categories that have products, as the home and search pages list them.
    fn shown_categories(&self) -> Vec<&super::views::CategoryRef> {
        self.views
            .categories
            .iter()
            .filter(|c| c.count > 0)
            .collect()
    }

    /// The page's own part of the document title (empty on the home page and wherever it
    /// would only repeat the shop's name): `title` of the page, the UI's words for the 404
    /// page and the all-products listing, and the page number past the first listing page.
    fn document_title(&self, site: &Model, job: Job, title: &str) -> String {
        let t = |k: &str| self.strings.get(k).map_or("", String::as_str);
        let mut doc = match job {
            Job::NotFound => t("not_found_title").to_string(),
            Job::List(..) if title.is_empty() => t("all_products").to_string(),
            Job::Home => String::new(),
            _ if title == site.config.title => String::new(),
            _ => title.to_string(),
        };
        if let Job::List(_, n) = job
            && n > 1
        {
            doc = format!("{doc} - {} {n} {}", t("page_before"), t("page_after"));
        }
        doc
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
    /// Pages were skipped between the previous link and this one (show an ellipsis).
    gap_before: bool,
}

#[derive(Serialize)]
struct Listing<'a> {
    title: &'a str,
    url: String,
    description: Option<&'a str>,
    image: Option<&'a str>,
    /// The image's width and height, from the file.
    image_size: Option<super::views::SizeView>,
    kind: &'static str,
}
