//! The render stage: Model in, [`Output`] out. Pure and parallel per page.
//!
//! A [`Renderer`] keeps what the pages share — the parsed templates, the CSS bundle, the UI
//! strings, and the product and page views with their Markdown already turned into HTML — and
//! remembers what each page was rendered from. Rendering again after an edit renders only the
//! pages whose data changed: that is how `shopgen serve` stays fast on a large shop.
//! [`render`] is the one-shot form that `build` uses.

pub mod assets;
mod jobs;
pub mod markdown;
mod page;
pub mod qr;
pub mod share;
pub mod sitemap;
pub mod snippets;
pub mod templates;
pub mod views;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Value;

use crate::content::Model;
use crate::output::{self, Entry, Output};
use crate::util::diag::{BuildError, Diagnostic};
use assets::Css;
use jobs::{Job, jobs, lastmod_of, listing_items, related, source_of};
use templates::Templates;
use views::{CategoryRef, PageView, ProductView, Urls};

/// Render the whole site.
pub fn render(site: &Model) -> Result<Output, BuildError> {
    let mut renderer = Renderer::new(site)?;
    renderer.render(site, &[])?;
    Ok(renderer.into_output())
}

/// Render the whole site for `build`: each page is written into folder `root` as soon as it is
/// rendered (a large shop's pages are never all in memory at once); the returned [`Output`]
/// holds the other files (sitemaps, CSS, scripts, static files) and the number of pages written.
pub fn render_into(site: &Model, root: &Path) -> Result<(Output, usize), BuildError> {
    let mut renderer = Renderer::new(site)?;
    renderer.direct = Some(root.to_path_buf());
    let done = renderer.render(site, &[])?;
    Ok((renderer.into_output(), done.rendered))
}

/// The view of one product or page, as templates see it.
struct Cached {
    source: PathBuf,
    /// The product's category as its view shows it (the count changes as products come and go).
    category: Option<CategoryRef>,
    view: Value,
    /// A new number whenever `view` is rebuilt, so a page knows when its data changed.
    rev: u64,
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

/// What one [`Renderer::render`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Pages rendered this time (the others had not changed).
    pub rendered: usize,
    /// Pages the site has.
    pub pages: usize,
    /// Pages that are gone (a deleted product, a changed slug).
    pub removed: usize,
}

/// A long-lived renderer of one site: see the module documentation.
///
/// The views follow the [`Model`] given to [`Renderer::render`]; the output changes only when a
/// render succeeds, so after an error it still holds the last good site.
pub struct Renderer {
    urls: Urls,
    templates: Templates,
    strings: BTreeMap<String, String>,
    css: Css,
    /// The `assets/` files, published under fingerprinted names.
    assets: assets::Fingerprinted,
    /// Their output paths in `output`.
    assets_written: Vec<String>,
    /// `assets` changed since they were put in `output`.
    assets_stale: bool,
    /// The `site` variable of every template; when it changes, every page is rendered again.
    site_view: Value,
    categories: Vec<CategoryRef>,
    /// In the order of `Model::products`.
    products: Vec<Cached>,
    /// Every product view in order, for the home page.
    all_products: Value,
    /// In the order of `Model::pages`.
    pages: Vec<Cached>,
    /// Every product view must be built again (the images they show may have changed).
    views_stale: bool,
    /// Goes up when something every page shows changes (templates, strings, `site`).
    generation: u64,
    next_rev: u64,
    /// Page path → fingerprint of the data it was rendered from, for the pages in `output`.
    rendered: HashMap<String, u64>,
    /// Sitemaps, urls.txt and robots.txt in `output`, and a digest of what they list.
    sitemap_files: Vec<String>,
    sitemap_key: Option<u64>,
    /// The CSS bundle in `output`.
    css_written: Option<String>,
    /// Static files in `output`.
    statics: Vec<String>,
    /// The site's static files changed: list them again on the next render.
    statics_stale: bool,
    output: Output,
    /// Pages are written into this folder as they are rendered, not kept in `output`.
    direct: Option<PathBuf>,
}

impl Renderer {
    /// Parse the templates, bundle the CSS and read the UI strings of `site`. Nothing is
    /// rendered until [`Renderer::render`].
    pub fn new(site: &Model) -> Result<Renderer, BuildError> {
        let ((css, fingerprinted), (templates, strings)) = rayon::join(
            || {
                (
                    assets::bundle_css(site),
                    assets::fingerprint(&site.theme, &site.root),
                )
            },
            || rayon::join(|| Templates::load(site), || templates::strings(site)),
        );
        let mut errors = Vec::new();
        let css = css.map_err(|d| errors.push(d)).ok();
        let fingerprinted = fingerprinted.map_err(|d| errors.push(d)).ok();
        let templates = templates.map_err(|d| errors.push(d)).ok();
        let strings = strings.map_err(|d| errors.push(d)).ok();
        let (Some(css), Some(fingerprinted), Some(mut templates), Some(strings)) =
            (css, fingerprinted, templates, strings)
        else {
            return Err(errors.into());
        };
        templates.tera.global_context().insert("t", &strings);
        Ok(Renderer {
            urls: Urls::new(site),
            templates,
            strings,
            css,
            assets: fingerprinted,
            assets_written: Vec::new(),
            assets_stale: true,
            site_view: Value::none(),
            categories: Vec::new(),
            products: Vec::new(),
            all_products: Value::none(),
            pages: Vec::new(),
            views_stale: false,
            generation: 0,
            next_rev: 0,
            rendered: HashMap::new(),
            sitemap_files: Vec::new(),
            sitemap_key: None,
            css_written: None,
            statics: Vec::new(),
            statics_stale: true,
            output: Output::default(),
            direct: None,
        })
    }

    /// Everything rendered so far (the last good site).
    pub fn output(&self) -> &Output {
        &self.output
    }

    pub fn into_output(self) -> Output {
        self.output
    }

    /// The URL of the current CSS bundle.
    pub fn css_url(&self) -> String {
        self.urls.url(&self.css.rel)
    }

    /// Parse the templates again; every page is rendered by the next [`Renderer::render`].
    /// On error the current templates stay.
    pub fn reload_templates(&mut self, site: &Model) -> Result<(), BuildError> {
        let mut templates = Templates::load(site)?;
        let globals = templates.tera.global_context();
        globals.insert_value("site", self.site_view.clone());
        globals.insert("t", &self.strings);
        self.templates = templates;
        self.generation += 1;
        Ok(())
    }

    /// Read the UI strings again.
    pub fn reload_strings(&mut self, site: &Model) -> Result<(), BuildError> {
        let strings = templates::strings(site)?;
        if strings != self.strings {
            self.templates.tera.global_context().insert("t", &strings);
            self.strings = strings;
            self.generation += 1;
        }
        Ok(())
    }

    /// Bundle the CSS again. A new bundle has a new name, so every page links to it.
    pub fn reload_css(&mut self, site: &Model) -> Result<(), BuildError> {
        self.css = assets::bundle_css(site)?;
        Ok(())
    }

    /// Fingerprint the `assets/` files again. Changed files get new names, so every page that
    /// links one is rendered again.
    pub fn reload_assets(&mut self, site: &Model) -> Result<(), BuildError> {
        self.assets = assets::fingerprint(&site.theme, &site.root)?;
        self.assets_stale = true;
        Ok(())
    }

    /// The site's static files changed (added or removed); list them again on the next render.
    pub fn reload_static(&mut self) {
        self.statics_stale = true;
        self.views_stale = true;
    }

    /// Bring the views up to date with `site` and render every page whose data changed (all of
    /// them the first time). `changed` names the content files whose text changed since the last
    /// call: their Markdown is rendered again; other views are rebuilt only when what they show
    /// changed. The output is updated only if every page renders.
    pub fn render(&mut self, site: &Model, changed: &[PathBuf]) -> Result<Rendered, BuildError> {
        self.update(site, changed);
        let jobs = jobs(site);
        let mut errors = Vec::new();
        let mut paths: HashMap<&str, usize> = HashMap::with_capacity(jobs.len());
        for (k, (job, rel)) in jobs.iter().enumerate() {
            if let Some(first) = paths.insert(rel, k) {
                errors.push(
                    Diagnostic::new(
                        source_of(site, *job, rel),
                        format!(
                            "two pages would be written to `{rel}` (the other one is from {})",
                            source_of(site, jobs[first].0, rel).display()
                        ),
                    )
                    .hint("rename one of them (a page slug may clash with another page)"),
                );
            }
        }
        let prints: Vec<u64> = jobs
            .par_iter()
            .map(|(job, _)| self.fingerprint(site, *job))
            .collect();
        let todo: Vec<usize> = (0..jobs.len())
            .filter(|&k| self.rendered.get(&jobs[k].1) != Some(&prints[k]))
            .collect();
        // A page written straight to disk comes back as `None`.
        let results: Vec<Result<Option<Vec<u8>>, Diagnostic>> = todo
            .par_iter()
            .map(|&k| {
                let (job, rel) = (jobs[k].0, &jobs[k].1);
                let html = self.render_page(site, job, rel)?;
                match &self.direct {
                    Some(root) => output::write_file(root, rel, &html).map(|()| None),
                    None => Ok(Some(html)),
                }
            })
            .collect();

        let (sitemap_key, sitemaps) = self.sitemaps(site, &jobs);
        // Every file shopgen writes besides the pages.
        let mut generated: Vec<&str> = match &sitemaps {
            Some(files) => files.iter().map(|(rel, _)| rel.as_str()).collect(),
            None => self.sitemap_files.iter().map(String::as_str).collect(),
        };
        generated.push(&self.css.rel);
        generated.extend(self.assets.files.iter().map(|(rel, _)| rel.as_str()));
        for rel in &generated {
            if paths.contains_key(rel) {
                errors.push(
                    Diagnostic::new(
                        rel,
                        format!("a page would be written to `{rel}`, which shopgen writes itself"),
                    )
                    .hint("give the page another slug"),
                );
            }
        }
        let generated_at = |rel: &str| paths.contains_key(rel) || generated.contains(&rel);
        for (rel, _) in site.theme.under("static") {
            if generated_at(rel) {
                errors.push(
                    Diagnostic::new(
                        site.theme.display_path(&format!("static/{rel}")),
                        format!("this static file of the theme would overwrite the generated `{rel}`"),
                    )
                    .hint("rename or move it: generated pages, the sitemap and robots.txt take these paths"),
                );
            }
        }
        for f in &site.static_files {
            if generated_at(&f.rel) {
                errors.push(
                    Diagnostic::new(&f.source, format!("this static file would overwrite the generated `{}`", f.rel))
                        .hint("rename or move it: generated pages, the sitemap and robots.txt take these paths"),
                );
            }
        }
        let mut pages = Vec::with_capacity(todo.len());
        for (&k, r) in todo.iter().zip(results) {
            match r {
                Ok(html) => pages.push((k, html)),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }

        // Everything rendered: bring the output up to date.
        let mut removed = 0;
        let out = &mut self.output.files;
        self.rendered.retain(|rel, _| {
            let keep = paths.contains_key(rel.as_str());
            if !keep {
                out.remove(rel);
                removed += 1;
            }
            keep
        });
        if let Some(files) = sitemaps {
            for rel in self.sitemap_files.drain(..) {
                out.remove(&rel);
            }
            for (rel, bytes) in files {
                out.insert(rel.clone(), Entry::Bytes(Cow::Owned(bytes)));
                self.sitemap_files.push(rel);
            }
            self.sitemap_key = Some(sitemap_key);
        }
        if self.assets_stale {
            for rel in self.assets_written.drain(..) {
                out.remove(&rel);
            }
            for (rel, bytes) in &self.assets.files {
                out.insert(rel.clone(), Entry::Bytes(Cow::Owned(bytes.clone())));
                self.assets_written.push(rel.clone());
            }
            self.assets_stale = false;
        }
        if self.css_written.as_deref() != Some(self.css.rel.as_str()) {
            if let Some(old) = self.css_written.take() {
                out.remove(&old);
            }
            let css = Entry::Bytes(Cow::Owned(self.css.bytes.clone()));
            out.insert(self.css.rel.clone(), css);
            self.css_written = Some(self.css.rel.clone());
        }
        if self.statics_stale {
            for rel in self.statics.drain(..) {
                out.remove(&rel);
            }
        }
        for (k, html) in pages {
            let rel = &jobs[k].1;
            if let Some(html) = html {
                out.insert(rel.clone(), Entry::Bytes(Cow::Owned(html)));
            }
            self.rendered.insert(rel.clone(), prints[k]);
        }
        if self.statics_stale {
            for (rel, bytes) in site.theme.under("static") {
                let entry = match site.theme.files.get(&format!("static/{rel}")) {
                    Some(Cow::Borrowed(b)) => Entry::Bytes(Cow::Borrowed(b)),
                    _ => Entry::Bytes(Cow::Owned(bytes.to_vec())),
                };
                out.insert(rel.to_string(), entry);
                self.statics.push(rel.to_string());
            }
            // The site's own files replace the theme's.
            for f in &site.static_files {
                out.insert(f.rel.clone(), Entry::Copy(f.source.clone()));
                self.statics.push(f.rel.clone());
            }
            self.statics_stale = false;
        }
        Ok(Rendered {
            rendered: todo.len(),
            pages: jobs.len(),
            removed,
        })
    }

    /// Rebuild the views that `site` and `changed` make stale.
    fn update(&mut self, site: &Model, changed: &[PathBuf]) {
        let urls = &self.urls;
        self.categories = site
            .categories
            .iter()
            .map(|c| CategoryRef::new(c, site, urls))
            .collect();
        let site_view = Value::from_serializable(&views::site_view(
            site,
            urls.url(&self.css.rel),
            &self.assets.names,
            urls,
        ));
        if site_view != self.site_view {
            self.templates
                .tera
                .global_context()
                .insert_value("site", site_view.clone());
            self.site_view = site_view;
            self.generation += 1;
        }

        let cat_index: HashMap<&str, usize> = site
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.as_str(), i))
            .collect();
        let categories = &self.categories;
        let codes = snippets::PaymentCodes::new(site);
        let spacing = site.config.typography.cjk_spacing;
        let all_stale = std::mem::take(&mut self.views_stale);
        let base = self.next_rev;
        let old = realign(
            std::mem::take(&mut self.products),
            site.products.iter().map(|p| p.source.as_path()),
        );
        self.products = site
            .products
            .par_iter()
            .zip(old)
            .enumerate()
            .map(|(i, (p, old))| {
                let category = p
                    .category_slug
                    .as_deref()
                    .and_then(|s| cat_index.get(s))
                    .map(|&i| &categories[i]);
                let edited = changed
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
                                markdown::to_html(&p.body, &urls.base_path, spacing)
                            });
                        let permalink = urls.permalink(&p.path());
                        let image = p
                            .meta
                            .images
                            .first()
                            .map(|i| urls.permalink(i))
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
                            image_sizes: p.meta.images.iter().map(|i| site.image_size(i)).collect(),
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
                            view,
                            rev: base + i as u64,
                        }
                    }
                }
            })
            .collect();
        self.next_rev += site.products.len() as u64;
        self.all_products = Value::from(
            self.products
                .iter()
                .map(|c| c.view.clone())
                .collect::<Vec<_>>(),
        );

        let base = self.next_rev;
        let old = realign(
            std::mem::take(&mut self.pages),
            site.pages.iter().map(|p| p.source.as_path()),
        );
        self.pages = site
            .pages
            .par_iter()
            .zip(old)
            .enumerate()
            .map(|(i, (p, old))| match old {
                Some(c)
                    if !changed
                        .iter()
                        .any(|c| c.as_os_str() == p.source.as_os_str()) =>
                {
                    c
                }
                _ => Cached {
                    source: p.source.clone(),
                    category: None,
                    view: Value::from_serializable(&PageView::new(
                        p,
                        markdown::to_html(&p.body, &urls.base_path, spacing),
                        urls,
                    )),
                    rev: base + i as u64,
                },
            })
            .collect();
        self.next_rev += site.pages.len() as u64;
    }

    /// The sitemaps, urls.txt and robots.txt for `jobs`, with a digest of what they list; no
    /// files when the digest is the one already written (most edits change no page's URL or date).
    #[allow(clippy::type_complexity)]
    fn sitemaps(
        &self,
        site: &Model,
        jobs: &[(Job, String)],
    ) -> (u64, Option<Vec<(String, Vec<u8>)>>) {
        let mut h = DefaultHasher::new();
        for (job, rel) in jobs {
            (rel, lastmod_of(site, *job)).hash(&mut h);
        }
        let key = h.finish();
        if self.sitemap_key == Some(key) {
            return (key, None);
        }
        let entries: Vec<sitemap::Entry> = jobs
            .iter()
            .filter(|(job, _)| !matches!(job, Job::NotFound))
            .map(|(job, rel)| sitemap::Entry {
                loc: self
                    .urls
                    .permalink(rel.strip_suffix("index.html").unwrap_or(rel)),
                lastmod: lastmod_of(site, *job).map(str::to_string),
            })
            .collect();
        let root = site.base.root();
        let mut files: Vec<(String, Vec<u8>)> = sitemap::sitemaps(&entries, &root)
            .into_iter()
            .map(|(name, xml)| (name, xml.into_bytes()))
            .collect();
        files.push((
            sitemap::URL_LIST.into(),
            sitemap::url_list(&entries).into_bytes(),
        ));
        files.push(("robots.txt".into(), sitemap::robots(&root).into_bytes()));
        (key, Some(files))
    }

    /// A digest of everything page `job` is rendered from, besides the templates.
    fn fingerprint(&self, site: &Model, job: Job) -> u64 {
        let mut h = DefaultHasher::new();
        self.generation.hash(&mut h);
        match job {
            Job::Home => self.products.iter().for_each(|c| c.rev.hash(&mut h)),
            Job::NotFound => {}
            Job::Product(i) => {
                self.products[i].rev.hash(&mut h);
                related(site, i).for_each(|j| self.products[j].rev.hash(&mut h));
            }
            Job::List(cat, n) => {
                let (items, total) = listing_items(site, cat, n);
                (n, total).hash(&mut h);
                items
                    .iter()
                    .for_each(|&i| self.products[i].rev.hash(&mut h));
            }
            Job::Page(i) => self.pages[i].rev.hash(&mut h),
        }
        h.finish()
    }
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
