//! The site kept in memory while serving: the loaded [`Site`] and its [`Renderer`], brought up
//! to date change by change. A change that fails leaves the last good output in place and is
//! tried again with the next change, so the error stays until the file is fixed.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::content::{self, LoadOptions, Site};
use crate::error::{BuildError, Diagnostic};
use crate::output::Output;
use crate::render::{Rendered, Renderer};

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `shop.yaml`: everything is loaded again.
    pub config: bool,
    /// Product files (or folders of them) added, changed or removed.
    pub products: BTreeSet<PathBuf>,
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
                || !self.products.is_empty()
                || !self.pages.is_empty())
    }
}

/// What a successful rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub rendered: Rendered,
    /// Everything was loaded and rendered again.
    pub full: bool,
    /// Static files changed (they are not rendered, but the browser must reload).
    pub statics: bool,
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// Whether the browser has anything new to show.
    pub fn changed(&self) -> bool {
        self.full || self.statics || self.rendered.rendered > 0 || self.rendered.removed > 0
    }
}

/// The site being served.
pub struct Live {
    root: PathBuf,
    opts: LoadOptions,
    /// `None` until the site has loaded once.
    state: Option<(Site, Renderer)>,
    /// Changes not applied because of an error; applied again with the next change.
    pending: Changes,
    errors: Vec<Diagnostic>,
}

impl Live {
    /// Load and render the site at `root`. If that fails the errors are kept (see
    /// [`Live::errors`]) and the site is loaded again on the next change.
    pub fn new(root: PathBuf, opts: LoadOptions) -> (Live, Result<Report, BuildError>) {
        let mut live = Live {
            root,
            opts,
            state: None,
            pending: Changes::default(),
            errors: Vec::new(),
        };
        let r = live.apply(Changes {
            config: true,
            ..Changes::default()
        });
        (live, r)
    }

    /// The problems of the last rebuild (none when it succeeded).
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// Whether there is a site to serve (it has built once).
    pub fn ready(&self) -> bool {
        self.state.is_some()
    }

    /// A file of the last good build, by its path below the site root.
    pub fn file(&self, rel: &str) -> Option<Cow<'_, [u8]>> {
        self.state.as_ref()?.1.output().get_bytes(rel)
    }

    /// The last good build.
    pub fn output(&self) -> Option<&Output> {
        self.state.as_ref().map(|(_, r)| r.output())
    }

    /// The URL of the current stylesheet.
    pub fn css_url(&self) -> Option<String> {
        self.state.as_ref().map(|(_, r)| r.css_url())
    }

    /// Apply `changes` (and any that failed before). On error the last good output stays.
    pub fn apply(&mut self, changes: Changes) -> Result<Report, BuildError> {
        let mut all = std::mem::take(&mut self.pending);
        all.merge(changes);
        let result = match &mut self.state {
            Some((site, renderer)) if !all.config => incremental(site, renderer, &all, &self.opts)
                .map(|rendered| Report {
                    rendered,
                    statics: all.statics || all.theme,
                    ..Report::default()
                }),
            _ => self.full(),
        };
        match &result {
            Ok(_) => self.errors.clear(),
            Err(e) => {
                self.errors = e.diagnostics.clone();
                self.pending = all;
            }
        }
        result
    }

    fn full(&mut self) -> Result<Report, BuildError> {
        let mut site = content::load(&self.root, &self.opts)?;
        let mut renderer = Renderer::new(&site)?;
        let rendered = renderer.render(&site, &[])?;
        let warnings = std::mem::take(&mut site.warnings);
        self.state = Some((site, renderer));
        Ok(Report {
            rendered,
            full: true,
            statics: true,
            warnings,
        })
    }
}

fn incremental(
    site: &mut Site,
    renderer: &mut Renderer,
    ch: &Changes,
    opts: &LoadOptions,
) -> Result<Rendered, BuildError> {
    if ch.theme {
        site.reload_theme()?;
    }
    if ch.statics || ch.theme {
        site.reload_static()?;
        renderer.reload_static();
    }
    let products = expand(&ch.products, site.products.iter().map(|p| &p.source));
    if !products.is_empty() {
        site.reload_products(&products, opts)?;
    }
    let pages = expand(&ch.pages, site.pages.iter().map(|p| &p.source));
    if !pages.is_empty() {
        site.reload_pages(&pages, opts)?;
    }
    if ch.templates || ch.theme {
        renderer.reload_templates(site)?;
    }
    if ch.strings || ch.theme {
        renderer.reload_strings(site)?;
    }
    if ch.styles || ch.theme {
        renderer.reload_css(site)?;
    }
    if ch.assets || ch.theme {
        renderer.reload_assets(site)?;
    }
    let changed: Vec<PathBuf> = products.into_iter().chain(pages).collect();
    renderer.render(site, &changed)
}

/// The Markdown files that `paths` stand for: a `.md` path as it is; a folder (added, moved or
/// removed) as the files loaded from it and the files now in it.
fn expand<'a>(
    paths: &BTreeSet<PathBuf>,
    loaded: impl Iterator<Item = &'a PathBuf>,
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
            files.extend(
                walkdir::WalkDir::new(f)
                    .into_iter()
                    .flatten()
                    .filter(|e| e.file_type().is_file() && is_markdown(e.path()))
                    .map(|e| e.into_path()),
            );
        }
    }
    files.into_iter().collect()
}

/// A content file as the loader sees it: `*.md`, not hidden.
fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == "md")
        && !p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
}
