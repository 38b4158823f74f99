//! The one orchestrator: [`Site::load`] reads `shop.yaml` (with the China rules), the theme
//! and the content into a [`Model`], with the same [`Options`] for every command; `build`,
//! `check`, `serve` and `deploy --build` all get their site here.

mod changes;
mod renderers;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config, Document};
use crate::content::{self, Model};
use crate::images::{self, Images, Mode, Progress};
use crate::output::incremental::{Applied, Incremental};
use crate::output::{Folder, Memory, Output, Staging};
use crate::rules;
use crate::util::diag::{BuildError, Diagnostic};

pub use crate::content::LoadOptions as Options;
pub use changes::Changes;
pub use renderers::Renderers;

/// Read and validate `<root>/shop.yaml`, the China rules included: the config, the document it
/// came from, and the warnings.
pub fn load_config(root: &Path) -> Result<(Config, Document, Vec<Diagnostic>), BuildError> {
    let (config, doc) = config::load(root)?;
    let (errors, warnings) = rules::validate(&config, &doc);
    if errors.is_empty() {
        Ok((config, doc, warnings))
    } else {
        Err(errors.into())
    }
}

/// A loaded site: its model, ready to render.
pub struct Site {
    /// The default language's model (the site's own, at its root).
    pub model: Model,
    /// The model of each further language (`languages:`), in their order.
    pub languages: Vec<Model>,
    pub opts: Options,
}

impl Site {
    /// Load and validate the site at `root`. All problems are reported together.
    pub fn load(root: &Path, opts: &Options) -> Result<Site, BuildError> {
        let (config, doc, warnings) = load_config(root)?;
        let mut model = content::load(root, config, doc, warnings, opts)?;
        let mut languages = content::languages::models(&model, &[])?;
        for m in &mut languages {
            model.warnings.append(&mut m.warnings);
        }
        Ok(Site {
            model,
            languages,
            opts: opts.clone(),
        })
    }

    /// Every language's model, the default language's first.
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        std::iter::once(&self.model).chain(&self.languages)
    }

    /// Problems worth a look that did not stop the load.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.model.warnings
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.model.root
    }

    /// Plan the photos' variants; in [`Mode::Encode`] make the ones not in the cache.
    pub fn images(&self, mode: Mode, progress: Option<Progress>) -> Result<Images, BuildError> {
        images::prepare(&self.model, &self.languages, mode, progress)
    }

    /// Render every page into memory (photos' variants made in the cache, as for a build, so
    /// the output is the one `build` writes).
    pub fn render(&self) -> Result<Output, BuildError> {
        let images = Arc::new(self.images(Mode::Encode, None)?);
        let mut renderers = Renderers::new(self, images)?;
        renderers.render(self, &[], &[], &Memory)?;
        Ok(renderers.into_output())
    }

    /// Render every language into `sink`: the pages go to the sink as they are rendered;
    /// the returned [`Output`] holds the other files.
    fn render_into(
        &self,
        images: Arc<Images>,
        sink: &dyn crate::output::Sink,
    ) -> Result<(Output, crate::render::Rendered), BuildError> {
        let mut renderers = Renderers::new(self, images)?;
        let done = renderers.render(self, &[], &[], sink)?;
        Ok((renderers.into_output(), done))
    }

    /// Render and write the site into `output` (default `<site>/public`), writing only the
    /// files that changed; with `clean`, the whole output anew.
    pub fn build(&self, output: Option<&Path>, clean: bool) -> Result<BuildReport, BuildError> {
        self.build_with(output, clean, None)
    }

    /// [`Site::build`], telling `progress` how the photos' encoding goes.
    pub fn build_with(
        &self,
        output: Option<&Path>,
        clean: bool,
        progress: Option<Progress>,
    ) -> Result<BuildReport, BuildError> {
        let m = &self.model;
        let images = Arc::new(self.images(Mode::Encode, progress)?);
        let output_dir = output
            .map(Path::to_path_buf)
            .unwrap_or_else(|| m.root.join("public"));
        let (files, rendered, applied) = if clean {
            // Pages go straight into a staging folder that replaces the output folder only when
            // everything is written (dropped on error, it is removed).
            let staging = Staging::new(&output_dir)?;
            let (out, done) = self.render_into(images.clone(), &Folder(staging.root()))?;
            staging.write(&out)?;
            staging.commit()?;
            let files = out.files.len() + done.pages;
            let written = Applied {
                written: files,
                ..Applied::default()
            };
            (files, done.clone(), written)
        } else {
            // Each page is compared as it is rendered; only changed files wait in a staging
            // folder, and the output changes only once everything has rendered.
            let inc = Incremental::new(&m.root, &output_dir)?;
            let (out, done) = self.render_into(images.clone(), &inc)?;
            inc.put_output(&out)?;
            let applied = inc.apply()?;
            // Every file the output now holds: made, held from before, or kept.
            (applied.written + applied.unchanged, done.clone(), applied)
        };
        // The build succeeded: cache entries no photo uses any more go.
        images.prune();
        Ok(BuildReport {
            images: images.stats.clone(),
            image_warnings: images.warnings.clone(),
            rendered: rendered.rendered,
            search: rendered.search,
            search_kept: rendered.search_kept,
            written: applied.written,
            deleted: applied.deleted,
            output_dir,
            products: m.products.len(),
            pages: m.pages.len(),
            categories: m
                .categories
                .iter()
                .filter(|c| !c.products.is_empty())
                .count(),
            files,
        })
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    /// Pages rendered (a rebuild does not render a page whose data and file are unchanged).
    pub rendered: usize,
    /// The search index, when it was made again.
    pub search: Option<crate::render::search::SearchStats>,
    /// The output already held the search index made from the same data: it was kept.
    pub search_kept: bool,
    /// Files written (all of them with `--clean`), and files deleted as no longer produced.
    pub written: usize,
    pub deleted: usize,
    pub products: usize,
    pub pages: usize,
    pub categories: usize,
    pub files: usize,
    /// Photos: variants encoded and from the cache, bytes saved.
    pub images: images::Stats,
    /// Photos published as they are (animated), worth a look.
    pub image_warnings: Vec<Diagnostic>,
}
