//! Reloading a loaded site file by file, for `shopgen serve`.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{
    Checks, LoadOptions, Model, Product, catalog, collect_ok, config_images, duplicate_slug,
    frontmatter, image_sizes, images, page, page_order, product, product_order, read, spacing,
    static_files, taxonomy,
};
use crate::config;
use crate::content::theme::Theme;
use crate::util::diag::BuildError;
use crate::util::walk;

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
        let fresh = collect_ok(parsed, &mut errors);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        self.replace_products(|p| files.contains(&p.source), fresh, opts)
    }

    /// Read the catalog sheet (`content/products.csv` or `.xlsx`) and its products' detail
    /// stories again; its products replace the ones it had. Returns the sources of the
    /// products that were added, changed or removed.
    pub fn reload_catalog(&mut self, opts: &LoadOptions) -> Result<Vec<PathBuf>, BuildError> {
        let file = catalog::find(&self.root)?;
        let checks = Checks::new(&self.static_files, &self.theme);
        let mut fresh = match &file {
            Some(f) => catalog::load(f, &checks)?,
            None => Vec::new(),
        };
        if !fresh.is_empty() {
            let dir = self.root.join("content").join("products");
            let by_slug: HashMap<String, usize> = fresh
                .iter()
                .enumerate()
                .map(|(i, p)| (p.slug.clone(), i))
                .collect();
            let found = walk::files(&dir, &self.root).unwrap_or_default();
            for f in found.files {
                let path = f.path;
                let Some(&i) = path
                    .extension()
                    .is_some_and(|x| x == "md")
                    .then(|| path.file_stem().and_then(|s| s.to_str()))
                    .flatten()
                    .and_then(|stem| by_slug.get(stem))
                else {
                    continue;
                };
                let raw = read(&path)?;
                if !frontmatter::starts_with_front_matter(&raw) {
                    catalog::attach_story(&mut fresh[i], &path, &raw)?;
                }
            }
        }
        let before: HashMap<PathBuf, u64> = self
            .products
            .iter()
            .filter(|p| {
                self.catalog
                    .as_ref()
                    .is_some_and(|c| catalog::is_from(p, c))
            })
            .map(|p| (p.source.clone(), p.digest))
            .collect();
        let mut changed: Vec<PathBuf> = fresh
            .iter()
            .filter(|p| before.get(&p.source) != Some(&p.digest))
            .map(|p| p.source.clone())
            .collect();
        changed.extend(
            before
                .keys()
                .filter(|s| !fresh.iter().any(|p| &p.source == *s))
                .cloned(),
        );
        self.replace_products(|p| before.contains_key(&p.source), fresh, opts)?;
        self.catalog = file;
        Ok(changed)
    }

    /// Put `fresh` in place of the products `gone` selects: spacing, drafts, slug checks,
    /// order and categories as a full load makes them. On error the products are as before.
    fn replace_products(
        &mut self,
        gone: impl Fn(&Product) -> bool,
        mut fresh: Vec<Product>,
        opts: &LoadOptions,
    ) -> Result<(), BuildError> {
        let mut errors = Vec::new();
        fresh.retain(|p| opts.drafts || !p.meta.draft);
        if self.config.typography.cjk_spacing {
            fresh.iter_mut().for_each(|p| p.meta.space_text());
        }
        for p in &fresh {
            if let Some(other) = self
                .products
                .iter()
                .filter(|o| !gone(o))
                .chain(&fresh)
                .find(|o| o.slug == p.slug && o.source != p.source)
            {
                errors.push(duplicate_slug(&p.source, &p.slug, "product", &other.source));
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let old: Vec<Product> = self.products.extract_if(.., |p| gone(p)).collect();
        let sizes = images::sizes(
            &self.root.join("static"),
            fresh
                .iter()
                .flat_map(|p| p.meta.images.iter().map(String::as_str))
                .filter(|p| !images::is_raster(p)),
        );
        self.image_sizes.extend(sizes);
        let sources: Vec<PathBuf> = fresh.iter().map(|p| p.source.clone()).collect();
        self.products.extend(fresh);
        self.products.sort_by(product_order);
        let config_file = self.root.join(config::CONFIG_FILE);
        (self.categories, self.tags) =
            taxonomy::group(&self.config, &config_file, &mut self.products, &mut errors);
        if errors.is_empty() {
            return Ok(());
        }
        // Put the previous products back.
        self.products.retain(|p| !sources.contains(&p.source));
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
