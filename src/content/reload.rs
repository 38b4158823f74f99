//! Reloading a loaded site file by file, for `shopgen serve`.

use std::path::PathBuf;

use rayon::prelude::*;

use super::{
    Checks, LoadOptions, Model, Product, collect_ok, config_images, duplicate_slug, image_sizes,
    images, page, page_order, product, product_order, read, spacing, static_files, taxonomy,
};
use crate::config;
use crate::content::theme::Theme;
use crate::util::diag::BuildError;

/// Changing a loaded site file by file, for the live preview: only the named files are read
/// again; sorting, categories and slug checks are redone over the whole (in-memory) site.
/// Every method leaves the site exactly as it was when it returns an error.
impl Model {
    /// Read the product files `files` again: each one that exists is parsed and replaces (or
    /// adds) the product from that file; one that is gone (or is now a draft) is removed.
    pub fn reload_products(
        &mut self,
        files: &[PathBuf],
        opts: &LoadOptions,
    ) -> Result<(), BuildError> {
        let checks = Checks::new(&self.static_files, &self.theme);
        let parsed: Vec<_> = files
            .par_iter()
            .filter(|f| f.is_file())
            .map(|f| read(f).and_then(|raw| product::parse(&raw, f, &checks)))
            .collect();
        let mut errors = Vec::new();
        let mut fresh = collect_ok(parsed, &mut errors);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        fresh.retain(|p| opts.drafts || !p.meta.draft);
        if self.config.typography.cjk_spacing {
            fresh.iter_mut().for_each(|p| p.meta.space_text());
        }
        for p in &fresh {
            if let Some(other) = self
                .products
                .iter()
                .filter(|o| !files.contains(&o.source))
                .chain(&fresh)
                .find(|o| o.slug == p.slug && o.source != p.source)
            {
                errors.push(duplicate_slug(&p.source, &p.slug, "product", &other.source));
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let old: Vec<Product> = self
            .products
            .extract_if(.., |p| files.contains(&p.source))
            .collect();
        let sizes = images::sizes(
            &self.root.join("static"),
            fresh
                .iter()
                .flat_map(|p| p.meta.images.iter().map(String::as_str))
                .filter(|p| !images::is_raster(p)),
        );
        self.image_sizes.extend(sizes);
        self.products.extend(fresh);
        self.products.sort_by(product_order);
        let config_file = self.root.join(config::CONFIG_FILE);
        (self.categories, self.tags) =
            taxonomy::group(&self.config, &config_file, &mut self.products, &mut errors);
        if errors.is_empty() {
            return Ok(());
        }
        // Put the previous products back.
        self.products.retain(|p| !files.contains(&p.source));
        self.products.extend(old);
        self.products.sort_by(product_order);
        (self.categories, self.tags) = taxonomy::group(
            &self.config,
            &config_file,
            &mut self.products,
            &mut Vec::new(),
        );
        Err(errors.into())
    }

    /// Read the page files `files` again (added, changed or deleted), like
    /// [`Model::reload_products`].
    pub fn reload_pages(
        &mut self,
        files: &[PathBuf],
        opts: &LoadOptions,
    ) -> Result<(), BuildError> {
        let parsed: Vec<_> = files
            .iter()
            .filter(|f| f.is_file())
            .map(|f| read(f).and_then(|raw| page::parse(&raw, f)))
            .collect();
        let mut errors = Vec::new();
        let mut fresh = collect_ok(parsed, &mut errors);
        fresh.retain(|p| opts.drafts || !p.meta.draft);
        if self.config.typography.cjk_spacing {
            for p in &mut fresh {
                p.meta.title = spacing::space(&p.meta.title).into_owned();
            }
        }
        for p in &fresh {
            if let Some(other) = self
                .pages
                .iter()
                .filter(|o| !files.contains(&o.source))
                .chain(&fresh)
                .find(|o| o.slug == p.slug && o.source != p.source)
            {
                errors.push(duplicate_slug(&p.source, &p.slug, "page", &other.source));
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        self.pages.retain(|p| !files.contains(&p.source));
        self.pages.extend(fresh);
        self.pages.sort_by(page_order);
        Ok(())
    }

    /// List the site's `static/` folder again (and measure its images again).
    pub fn reload_static(&mut self) -> Result<(), BuildError> {
        let mut errors = Vec::new();
        let files = static_files(
            &self.root.join("static"),
            &self.root,
            &mut errors,
            &mut Vec::new(),
        );
        let checks = Checks::new(&files, &self.theme);
        errors.extend(config_images(&self.config, &self.config_doc, &checks));
        if !errors.is_empty() {
            return Err(errors.into());
        }
        self.static_files = files;
        self.image_sizes = image_sizes(&self.root, &self.config, &self.products);
        Ok(())
    }

    /// Read the site's theme again (after an edit under `themes/<name>/`).
    pub fn reload_theme(&mut self) -> Result<(), BuildError> {
        self.theme = Theme::load(&self.root, &self.config.theme)?;
        Ok(())
    }
}
