//! What changed on disk, and bringing a loaded site up to date with it (for `serve`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::Renderers;
use super::Site;
use crate::content::languages;
use crate::output::Memory;
use crate::render::Rendered;
use crate::util::diag::BuildError;
use crate::util::walk;

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `shop.yaml`: everything is loaded again.
    pub config: bool,
    /// Product files (or folders of them) added, changed or removed.
    pub products: BTreeSet<PathBuf>,
    /// The catalog sheet (`content/products.csv` or `.xlsx`).
    pub catalog: bool,
    /// Page files (or folders of them) added, changed or removed.
    pub pages: BTreeSet<PathBuf>,
    /// The site's `templates/`.
    pub templates: bool,
    /// The site's `styles/`.
    pub styles: bool,
    /// The site's `i18n/`.
    pub strings: bool,
    /// The site's `static/`.
    pub statics: bool,
    /// The site's `assets/` (fingerprinted scripts and data).
    pub assets: bool,
    /// A theme under the site's `themes/`.
    pub theme: bool,
    /// Every file that changed, for the terminal.
    pub files: BTreeSet<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.catalog |= other.catalog;
        self.products.extend(other.products);
        self.pages.extend(other.pages);
        self.templates |= other.templates;
        self.styles |= other.styles;
        self.strings |= other.strings;
        self.statics |= other.statics;
        self.assets |= other.assets;
        self.theme |= other.theme;
        self.files.extend(other.files);
    }

    /// Only stylesheets changed: the browser can swap the stylesheet without reloading.
    pub fn css_only(&self) -> bool {
        self.styles
            && !(self.config
                || self.templates
                || self.strings
                || self.statics
                || self.assets
                || self.theme
                || self.catalog
                || !self.products.is_empty()
                || !self.pages.is_empty())
    }
}

impl Site {
    /// Bring the model and `renderer` up to date with the files in `ch`: only those are read
    /// again, and only the pages whose data changed are rendered. On error the renderer keeps
    /// the last good output.
    pub fn apply(
        &mut self,
        renderers: &mut Renderers,
        ch: &Changes,
    ) -> Result<Rendered, BuildError> {
        let (site, opts) = (&mut self.model, &self.opts);
        if ch.theme {
            site.reload_theme()?;
        }
        if ch.statics || ch.theme {
            site.reload_static()?;
            renderers.all_mut().for_each(|r| r.reload_static());
        }
        let products = expand(
            &ch.products,
            site.products.iter().map(|p| &p.source),
            &site.root,
        );
        let pages = expand(&ch.pages, site.pages.iter().map(|p| &p.source), &site.root);
        // Translations (`<name>.en.md`) are read with their language's model.
        let mut translations = Vec::new();
        let products = languages::split(products, &site.config.languages, false, &mut translations);
        let pages = languages::split(pages, &site.config.languages, true, &mut translations);
        // A detail story of the catalog's product (`content/products/<slug>.md`) is read
        // with the catalog.
        let (stories, products): (Vec<PathBuf>, Vec<PathBuf>) =
            products.into_iter().partition(|f| is_story(site, f));
        let mut catalog = Vec::new();
        if ch.catalog || !stories.is_empty() {
            catalog = site.reload_catalog(opts)?;
        }
        if !products.is_empty() {
            site.reload_products(&products, opts)?;
        }
        if !pages.is_empty() {
            site.reload_pages(&pages, opts)?;
        }
        for t in &translations {
            site.translations.retain(|u| u.file != t.file);
            if t.file.is_file() {
                site.translations.push(t.clone());
            }
        }
        let changed: Vec<PathBuf> = products.into_iter().chain(pages).chain(catalog).collect();
        // Each further language is made again from the default language's model (its
        // converted text follows every edit); its renderer renders only what changed.
        let mut translated = Vec::new();
        if !site.config.languages.is_empty() {
            let mut models = languages::models(site, &self.languages)?;
            for m in &mut models {
                site.warnings.append(&mut m.warnings);
            }
            for m in &models {
                let lang = m.config.language;
                translated.push(
                    translations
                        .iter()
                        .filter(|t| t.lang == lang)
                        .filter_map(|t| languages::translated(site, t))
                        .collect::<Vec<_>>(),
                );
            }
            self.languages = models;
        }
        let site = &self.model;
        let reload = |r: &mut crate::render::Renderer,
                      m: &crate::content::Model|
         -> Result<(), BuildError> {
            if ch.templates || ch.theme {
                r.reload_templates(m)?;
            }
            if ch.strings || ch.theme {
                r.reload_strings(m)?;
            }
            if ch.styles || ch.theme {
                r.reload_css(m)?;
            }
            if ch.assets || ch.theme {
                r.reload_assets(m)?;
            }
            Ok(())
        };
        reload(&mut renderers.main, site)?;
        for ((_, r), m) in renderers.languages.iter_mut().zip(&self.languages) {
            reload(r, m)?;
        }
        let touched = !changed.is_empty() || translated.iter().any(|t| !t.is_empty());
        if ch.statics
            || ch.theme
            || (touched && renderers.images().plans_other_uses(site, &self.languages))
        {
            // Photos are planned again (a replaced photo gets new variant names; an unchanged
            // one is known from the cache index and read not at all); an edit that shows the
            // same photos as before needs no new plan.
            let images = std::sync::Arc::new(crate::images::prepare(
                site,
                &self.languages,
                crate::images::Mode::Lazy,
                None,
            )?);
            renderers.main.set_images(site, images.clone());
            for ((_, r), m) in renderers.languages.iter_mut().zip(&self.languages) {
                r.set_images(m, images.clone());
            }
        }
        renderers.render(self, &changed, &translated, &Memory)
    }
}

/// The Markdown files that `paths` stand for: a `.md` path as it is; a folder (added, moved or
/// removed) as the files loaded from it and the files now in it.
fn expand<'a>(
    paths: &BTreeSet<PathBuf>,
    loaded: impl Iterator<Item = &'a PathBuf>,
    root: &Path,
) -> Vec<PathBuf> {
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    let folders: Vec<&PathBuf> = paths.iter().filter(|p| p.extension().is_none()).collect();
    files.extend(paths.iter().filter(|p| is_markdown(p)).cloned());
    if !folders.is_empty() {
        files.extend(
            loaded
                .filter(|s| folders.iter().any(|f| s.starts_with(f)))
                .cloned(),
        );
        for f in folders.iter().filter(|f| f.is_dir()) {
            let found = walk::files(f, root).unwrap_or_default();
            files.extend(
                found
                    .files
                    .into_iter()
                    .map(|f| f.path)
                    .filter(|p| is_markdown(p)),
            );
        }
    }
    files.into_iter().collect()
}

/// Whether `f` is named after a product of the catalog sheet (and so is, or was, or will be
/// its detail story rather than a product of its own).
fn is_story(site: &crate::content::Model, f: &Path) -> bool {
    let Some(catalog) = &site.catalog else {
        return false;
    };
    let Some(stem) = f.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    let has_front_matter = crate::util::fsread::read_text(f)
        .is_ok_and(|raw| crate::content::frontmatter::starts_with_front_matter(&raw));
    !has_front_matter
        && site
            .products
            .iter()
            .any(|p| p.slug == stem && crate::content::catalog::is_from(p, catalog))
}

/// A content file as the loader sees it: `*.md`, not ignored.
fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == "md")
        && p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !walk::is_ignored(n))
}
