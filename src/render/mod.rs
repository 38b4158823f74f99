//! The render stage: the model in, pages and the other files of the site out, through a
//! [`Sink`] (memory or a folder). Parallel per page; no other I/O than the sink's.
//!
//! A [`Renderer`] is made of parts, each in its own file: the parsed templates and UI strings
//! (`templates.rs`), the CSS bundle and fingerprinted assets (`assets.rs`), the view cache
//! (`cache.rs`: each product's and page's view, its Markdown already HTML), the page plan
//! (`plan.rs`: which pages exist and what each depends on) and the output set (`outputs.rs`:
//! every file of the last good render, with collision checks). Rendering again after an edit
//! renders only the pages whose dependencies changed: that is how `shopgen serve` stays fast
//! on a large shop.

pub mod alternates;
pub mod assets;
mod cache;
pub mod markdown;
pub mod offers;
mod outputs;
mod page;
pub mod picture;
mod plan;
pub mod qr;
pub mod search;
pub mod share;
pub mod sitemap;
pub mod snippets;
pub mod templates;
pub mod views;

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use crate::content::Model;
use crate::images::Images;
use crate::output::{Memory, Output, Sink};
use crate::util::diag::{BuildError, Diagnostic};
use alternates::Alternates;
use assets::Css;
use cache::ViewCache;
use outputs::{Generated, OutputSet};
use plan::{Dep, Job, deps, jobs, lastmod_of, source_of};
use templates::Templates;
use views::Urls;

/// The first 8 bytes of a blake3 digest.
pub(crate) fn digest64(h: &blake3::Hash) -> u64 {
    let b = h.as_bytes();
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// The kind of a page, for its fingerprint (listing pages of one kind share a template).
fn rel_of(job: Job) -> &'static str {
    match job {
        Job::Home => "home",
        Job::NotFound => "404",
        Job::Product(_) => "product",
        Job::List(..) => "list",
        Job::Page(_) => "page",
        Job::Search => "search",
    }
}

/// Where each page of `site` is written (below its language's folder), in the order of the
/// page plan: what [`Alternates`] is made from.
pub fn page_paths(site: &Model) -> Vec<String> {
    jobs(site).into_iter().map(|(_, rel)| rel).collect()
}

/// Render the whole site into memory.
pub fn render(site: &Model, images: Arc<Images>) -> Result<Output, BuildError> {
    let mut renderer = Renderer::new(site, images)?;
    renderer.render(site, &[], &Memory)?;
    Ok(renderer.into_output())
}

/// Render the whole site for `build`: each page goes to `sink` as soon as it is rendered (a
/// large shop's pages are never all in memory at once); the returned [`Output`] holds the
/// other files (sitemaps, CSS, scripts, static files), with what was rendered.
pub fn render_into(
    site: &Model,
    images: Arc<Images>,
    sink: &dyn Sink,
) -> Result<(Output, Rendered), BuildError> {
    let mut renderer = Renderer::new(site, images)?;
    let done = renderer.render(site, &[], sink)?;
    Ok((renderer.into_output(), done))
}

/// What one [`Renderer::render`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Pages rendered this time (the others had not changed).
    pub rendered: usize,
    /// Their output paths, in the order of the page plan.
    pub paths: Vec<String>,
    /// Pages the site has.
    pub pages: usize,
    /// Pages that are gone (a deleted product, a changed slug).
    pub removed: usize,
    /// The search files, when they were made again.
    pub search: Option<search::SearchStats>,
    /// The output already held the search files made from the same data: they were kept.
    pub search_kept: bool,
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
    /// The `site` variable of every template; when it changes, every page is rendered again.
    site_view: Value,
    views: ViewCache,
    /// A digest of what every page shows (shopgen's version, the templates, the UI strings,
    /// `site`): when it changes, every page is rendered again. Digests, not counters, so a
    /// later build can tell which pages an earlier one rendered from the same data.
    generation: u64,
    out: OutputSet,
    /// The photos and their variants.
    images: Arc<Images>,
    /// Each document's search terms, and what the search files were made from.
    search: search::SearchCache,
    /// The site's languages and which of them have each page.
    alternates: Arc<Alternates>,
}

impl Renderer {
    /// Parse the templates, bundle the CSS and read the UI strings of `site`. Nothing is
    /// rendered until [`Renderer::render`].
    pub fn new(site: &Model, images: Arc<Images>) -> Result<Renderer, BuildError> {
        let urls = Urls::new(site, &images);
        let functions = {
            let (images, urls) = (images.clone(), Arc::new(urls.clone()));
            move |tera: &mut tera::Tera| picture::register(tera, images.clone(), urls.clone())
        };
        let ((css, fingerprinted), (templates, strings)) = rayon::join(
            || {
                (
                    assets::bundle_css(site),
                    assets::fingerprint(&site.theme, &site.root),
                )
            },
            || {
                rayon::join(
                    || Templates::load(site, &functions),
                    || templates::strings(site),
                )
            },
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
        let mut out = OutputSet::new();
        // A further language's renderer writes its pages only: the files every language
        // shares (CSS, assets, static files, photos) are the default language's.
        out.shared = site.prefix.is_empty();
        // Static files are copied from inside the site only, checked again at every read.
        out.output.root = site.root.canonicalize().ok();
        Ok(Renderer {
            images,
            urls,
            templates,
            strings,
            css,
            assets: fingerprinted,
            site_view: Value::none(),
            views: ViewCache::default(),
            generation: 0,
            out,
            search: search::SearchCache::default(),
            alternates: Arc::default(),
        })
    }

    /// The site's languages and their pages, for the links between them; pages whose
    /// languages changed are rendered again.
    pub fn set_alternates(&mut self, alternates: Arc<Alternates>) {
        self.alternates = alternates;
    }

    /// Everything rendered so far (the last good site).
    pub fn output(&self) -> &Output {
        &self.out.output
    }

    pub fn into_output(self) -> Output {
        self.out.output
    }

    /// The URL of the current CSS bundle.
    pub fn css_url(&self) -> String {
        self.urls.url(&self.css.rel)
    }

    /// Parse the templates again; every page is rendered by the next [`Renderer::render`].
    /// On error the current templates stay.
    pub fn reload_templates(&mut self, site: &Model) -> Result<(), BuildError> {
        let (images, urls) = (self.images.clone(), Arc::new(self.urls.clone()));
        let functions =
            move |tera: &mut tera::Tera| picture::register(tera, images.clone(), urls.clone());
        let mut templates = Templates::load(site, &functions)?;
        let globals = templates.tera.global_context();
        globals.insert_value("site", self.site_view.clone());
        globals.insert("t", &self.strings);
        self.templates = templates;
        self.generation = self.generation_digest();
        Ok(())
    }

    /// Read the UI strings again.
    pub fn reload_strings(&mut self, site: &Model) -> Result<(), BuildError> {
        let strings = templates::strings(site)?;
        if strings != self.strings {
            self.templates.tera.global_context().insert("t", &strings);
            self.strings = strings;
            self.generation = self.generation_digest();
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
        self.out.assets_stale = true;
        Ok(())
    }

    /// The photos changed (a photo replaced, added or removed, or `images:` settings): every
    /// page that shows one is rendered again with the new variants.
    pub fn set_images(&mut self, site: &Model, images: Arc<Images>) {
        if images.digest == self.images.digest {
            return;
        }
        self.images = images;
        self.urls = Urls::new(site, &self.images);
        picture::register(
            &mut self.templates.tera,
            self.images.clone(),
            Arc::new(self.urls.clone()),
        );
        self.views.stale = true;
        self.views.html_stale = true;
        self.out.statics_stale = true;
        self.generation = self.generation_digest();
    }

    /// The photos this renderer publishes.
    pub fn images(&self) -> &Arc<Images> {
        &self.images
    }

    /// The site's static files changed (added or removed); list them again on the next render.
    pub fn reload_static(&mut self) {
        self.out.statics_stale = true;
        self.views.stale = true;
    }

    /// Bring the views up to date with `site` and render every page whose data changed (all of
    /// them the first time) into `sink`. `changed` names the content files whose text changed
    /// since the last call: their Markdown is rendered again; other views are rebuilt only when
    /// what they show changed. The output is updated only if every page renders.
    pub fn render(
        &mut self,
        site: &Model,
        changed: &[PathBuf],
        sink: &dyn Sink,
    ) -> Result<Rendered, BuildError> {
        self.update_site_view(site);
        let (images, urls) = (&self.images, &self.urls);
        let pictures = |rel: &str, alt: &str| {
            let show = picture::Show {
                preset: "detail",
                alt,
                ..Default::default()
            };
            images
                .get(rel)
                .map(|pic| picture::picture(images, urls, pic, &show))
        };
        // A new renderer takes the views' digests an earlier build of this output kept.
        let known = if self.views.is_empty() {
            sink.read_state(cache::STATE)
        } else {
            None
        };
        self.views
            .update(site, changed, urls, images, &pictures, known.as_deref());
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
            .map(|(job, rel)| self.fingerprint(site, *job, rel))
            .collect();
        let stale: Vec<usize> = (0..jobs.len())
            .filter(|&k| self.out.rendered.get(&jobs[k].1) != Some(&prints[k]))
            .collect();
        // What the sink already holds from an earlier build is not rendered again.
        let (held, todo): (Vec<usize>, Vec<usize>) = stale
            .into_par_iter()
            .partition(|&k| sink.holds(&jobs[k].1, prints[k]));
        // The search files are made beside the pages, from the views of the documents whose
        // terms are not known yet; the pages to render need the views they show.
        let mut search_cache = std::mem::take(&mut self.search);
        let plan = search::plan(&mut search_cache, &self.views, images, urls, sink);
        let (mut products, mut pages) = plan.unknown(site.products.len());
        for &k in &todo {
            for dep in deps(site, jobs[k].0) {
                match dep {
                    Dep::Product(i) => products.push(i),
                    Dep::Page(i) => pages.push(i),
                    _ => {}
                }
            }
        }
        products.sort_unstable();
        products.dedup();
        pages.sort_unstable();
        pages.dedup();
        self.views.ensure(site, urls, &pictures, &products, &pages);
        sink.put_state(cache::STATE, &|| self.views.state());
        let (results, search) = rayon::join(
            || -> Vec<Result<_, Diagnostic>> {
                todo.par_iter()
                    .map(|&k| {
                        let (job, rel) = (jobs[k].0, &jobs[k].1);
                        let html = self.render_page(site, job, rel)?;
                        sink.put(rel, prints[k], html)
                    })
                    .collect()
            },
            || match plan {
                search::Plan::Unchanged => search::Made::Unchanged,
                search::Plan::Kept => search::Made::Kept,
                search::Plan::Make { key, terms } => search::make(
                    &mut search_cache,
                    (key, terms),
                    site,
                    &self.views,
                    &self.images,
                    &self.urls,
                    sink,
                ),
            },
        );
        self.search = search_cache;
        let search_kept = matches!(search, search::Made::Kept);
        let (search_files, search_stats) = match search {
            search::Made::Files(files, stats) => (Some(files), Some(stats)),
            _ => (None, None),
        };

        let (sitemap_key, sitemaps) = self.sitemaps(site, &jobs);
        let generated = Generated {
            sitemaps,
            css: (&self.css.rel, &self.css.bytes),
            assets: &self.assets.files,
            images: &self.images,
            search: search_files,
        };
        errors.extend(self.out.collisions(site, &paths, &generated));
        let mut pages = Vec::with_capacity(todo.len());
        for (&k, r) in todo.iter().zip(results) {
            match r {
                Ok(entry) => pages.push((jobs[k].1.clone(), prints[k], entry)),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            // The search files were not kept: make them again next time.
            self.search.key = None;
            return Err(errors.into());
        }
        // Everything rendered: bring the output up to date.
        if generated.sitemaps.is_some() {
            self.out.sitemap_key = Some(sitemap_key);
        }
        let removed = self.out.apply(site, &paths, pages, generated);
        for k in held {
            self.out.rendered.insert(jobs[k].1.clone(), prints[k]);
        }
        Ok(Rendered {
            rendered: todo.len(),
            paths: todo.iter().map(|&k| jobs[k].1.clone()).collect(),
            pages: jobs.len(),
            removed,
            search: search_stats,
            search_kept,
        })
    }

    /// The `site` variable of every template; a change re-renders every page.
    fn update_site_view(&mut self, site: &Model) {
        let site_view = Value::from_serializable(&views::site_view(
            site,
            self.urls.url(&self.css.rel),
            &self.assets.names,
            &self.urls,
        ));
        if site_view != self.site_view {
            self.templates
                .tera
                .global_context()
                .insert_value("site", site_view.clone());
            self.site_view = site_view;
            self.generation = self.generation_digest();
        }
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
            (rel, lastmod_of(site, *job), self.alternates.mask(rel)).hash(&mut h);
        }
        let key = h.finish();
        if self.out.sitemap_key == Some(key) {
            return (key, None);
        }
        let entries: Vec<sitemap::Entry> = jobs
            .iter()
            // The 404 page is no page of the site; the search page is `noindex`.
            .filter(|(job, _)| !matches!(job, Job::NotFound | Job::Search))
            .map(|(job, rel)| sitemap::Entry {
                loc: self
                    .urls
                    .page_permalink(rel.strip_suffix("index.html").unwrap_or(rel)),
                lastmod: lastmod_of(site, *job).map(str::to_string),
                alternates: self
                    .alternates
                    .of(rel, &site.prefix)
                    .into_iter()
                    .filter(|l| l.exists)
                    .map(|l| (l.hreflang, l.permalink))
                    .collect(),
            })
            .collect();
        let root = site.base.root();
        let here = format!("{root}{}", site.prefix);
        let mut files: Vec<(String, Vec<u8>)> = sitemap::sitemaps(&entries, &here)
            .into_iter()
            .map(|(name, xml)| (name, xml.into_bytes()))
            .collect();
        files.push((
            sitemap::URL_LIST.into(),
            sitemap::url_list(&entries).into_bytes(),
        ));
        if self.out.shared {
            // One robots.txt at the root names every language's sitemap.
            let sitemaps: Vec<String> = self
                .alternates
                .prefixes()
                .map(|p| format!("{root}{p}sitemap.xml"))
                .collect();
            files.push((
                "robots.txt".into(),
                sitemap::robots(&root, &sitemaps).into_bytes(),
            ));
        }
        (key, Some(files))
    }

    fn generation_digest(&self) -> u64 {
        let mut h = blake3::Hasher::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&self.templates.digest.to_le_bytes());
        h.update(&serde_json::to_vec(&self.strings).unwrap_or_default());
        h.update(&serde_json::to_vec(&self.site_view).unwrap_or_default());
        h.update(&self.images.digest.to_le_bytes());
        digest64(&h.finalize())
    }

    /// A digest of everything page `job` is rendered from besides what every page shows (the
    /// generation): its dependencies in the page plan.
    fn fingerprint(&self, site: &Model, job: Job, rel: &str) -> u64 {
        // blake3, not the std hasher: the fingerprint is kept between builds.
        let mut h = blake3::Hasher::new();
        h.update(&self.generation.to_le_bytes());
        h.update(rel_of(job).as_bytes());
        h.update(&self.alternates.mask(rel).to_le_bytes());
        let mut num = |tag: u8, v: u64| {
            h.update(&[tag]);
            h.update(&v.to_le_bytes());
        };
        for dep in deps(site, job) {
            match dep {
                Dep::Product(i) => num(0, self.views.products[i].rev),
                Dep::Page(i) => num(1, self.views.pages[i].rev),
                Dep::ProductCount => num(2, site.products.len() as u64),
                Dep::Categories => num(3, self.views.categories_digest),
                Dep::Pager { n, total } => {
                    num(4, n as u64);
                    num(5, total as u64);
                }
            }
        }
        digest64(&h.finalize())
    }
}
