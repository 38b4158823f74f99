//! The site kept in memory while serving: the loaded [`Site`] and its [`Renderer`], brought up
//! to date change by change ([`Site::apply`]). A change that fails leaves the last good output in place and is
//! tried again with the next change, so the error stays until the file is fixed.

use std::borrow::Cow;
use std::path::PathBuf;

use crate::output::{Memory, Output};
use crate::render::Rendered;
pub use crate::site::Changes;
use crate::site::{Options, Renderers, Site};
use crate::util::diag::{BuildError, Diagnostic};

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
    opts: Options,
    /// `None` until the site has loaded once.
    state: Option<(Site, Renderers)>,
    /// Changes not applied because of an error; applied again with the next change.
    pending: Changes,
    errors: Vec<Diagnostic>,
    /// The photos last handed to the background encoder.
    encoding: Option<std::sync::Arc<crate::images::Images>>,
}

impl Live {
    /// Load and render the site at `root`. If that fails the errors are kept (see
    /// [`Live::errors`]) and the site is loaded again on the next change.
    pub fn new(root: PathBuf, opts: Options) -> (Live, Result<Report, BuildError>) {
        let mut live = Live {
            root,
            opts,
            state: None,
            pending: Changes::default(),
            errors: Vec::new(),
            encoding: None,
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

    /// A file of the last good build, by its path below the site root. A photo's variant
    /// not made yet is made now.
    pub fn file(&self, rel: &str) -> Option<Cow<'_, [u8]>> {
        let renderers = &self.state.as_ref()?.1;
        if let Some(b) = renderers.get_bytes(rel) {
            return Some(b);
        }
        renderers.images().ensure(rel)?.ok()?;
        renderers.get_bytes(rel)
    }

    /// Make the photos' missing variants in the background, so pages show them at once when
    /// the browser asks (a variant asked for earlier is made on request).
    fn encode_in_background(&mut self) {
        let Some((_, renderer)) = &self.state else {
            return;
        };
        let images = renderer.images().clone();
        if self
            .encoding
            .as_ref()
            .is_some_and(|e| std::sync::Arc::ptr_eq(&images, e))
        {
            return;
        }
        self.encoding = Some(images.clone());
        std::thread::spawn(move || {
            images.encode_missing(None);
            images.save_index();
        });
    }

    /// The last good build of the default language (the other languages' pages are in
    /// [`Live::file`]).
    pub fn output(&self) -> Option<&Output> {
        self.state.as_ref().map(|(_, r)| r.main.output())
    }

    /// The URL of the current stylesheet.
    pub fn css_url(&self) -> Option<String> {
        self.state.as_ref().map(|(_, r)| r.main.css_url())
    }

    /// Apply `changes` (and any that failed before). On error the last good output stays.
    pub fn apply(&mut self, changes: Changes) -> Result<Report, BuildError> {
        let mut all = std::mem::take(&mut self.pending);
        all.merge(changes);
        let result = match &mut self.state {
            Some((site, renderers)) if !all.config => {
                site.apply(renderers, &all).map(|rendered| Report {
                    rendered,
                    statics: all.statics || all.theme,
                    ..Report::default()
                })
            }
            _ => self.full(),
        };
        match &result {
            Ok(_) => {
                self.errors.clear();
                self.encode_in_background();
            }
            Err(e) => {
                self.errors = e.diagnostics.clone();
                self.pending = all;
            }
        }
        result
    }

    fn full(&mut self) -> Result<Report, BuildError> {
        let mut site = Site::load(&self.root, &self.opts)?;
        // Photos are planned, not encoded: serving starts at once.
        let images = site.images(crate::images::Mode::Lazy, None)?;
        let mut warnings_images = images.warnings.clone();
        let mut renderers = Renderers::new(&site, std::sync::Arc::new(images))?;
        let rendered = renderers.render(&site, &[], &[], &Memory)?;
        let mut warnings = std::mem::take(&mut site.model.warnings);
        warnings.append(&mut warnings_images);
        self.state = Some((site, renderers));
        Ok(Report {
            rendered,
            full: true,
            statics: true,
            warnings,
        })
    }
}
