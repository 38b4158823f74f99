//! The output set: every file a render puts in the [`Output`] — pages, sitemaps, the CSS
//! bundle, the fingerprinted assets, the static files — and what each page was rendered from,
//! so that the next render writes only what changed. Paths that two files would take are
//! found here, before anything is written.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::content::Model;
use crate::output::{Entry, Output};
use crate::util::diag::Diagnostic;

/// The files of the last good render.
#[derive(Default)]
pub(super) struct OutputSet {
    pub output: Output,
    /// Page path → fingerprint of the data it was rendered from, for the pages in `output`.
    pub rendered: HashMap<String, u64>,
    /// Sitemaps, urls.txt and robots.txt in `output`, and a digest of what they list.
    sitemap_files: Vec<String>,
    pub sitemap_key: Option<u64>,
    /// The search manifest, shards, chunks and facets in `output`.
    search_files: Vec<String>,
    /// The CSS bundle in `output`.
    css_written: Option<String>,
    /// The fingerprinted `assets/` files in `output`; stale when the assets changed.
    assets_written: Vec<String>,
    pub assets_stale: bool,
    /// Static files in `output`; stale when the site's static files changed.
    statics: Vec<String>,
    pub statics_stale: bool,
    /// Whether this output holds the files every language shares (CSS, assets, static files,
    /// photos): the default language's does; a further language's holds its pages only.
    pub shared: bool,
}

/// Everything one render produced besides its pages.
pub(super) struct Generated<'a> {
    /// New sitemaps, when what they list changed.
    pub sitemaps: Option<Vec<(String, Vec<u8>)>>,
    pub css: (&'a str, &'a [u8]),
    pub assets: &'a [(String, Vec<u8>)],
    pub images: &'a crate::images::Images,
    /// New search files, when what they index changed.
    pub search: Option<Vec<(String, Vec<u8>)>>,
}

impl OutputSet {
    pub fn new() -> OutputSet {
        OutputSet {
            assets_stale: true,
            statics_stale: true,
            shared: true,
            ..OutputSet::default()
        }
    }

    /// Files that would take a path another file takes: a static file of the theme or of the
    /// site where shopgen writes a page, a sitemap, the CSS or an asset.
    pub fn collisions(
        &self,
        site: &Model,
        pages: &HashMap<&str, usize>,
        made: &Generated,
    ) -> Vec<Diagnostic> {
        let mut generated: Vec<&str> = match &made.sitemaps {
            Some(files) => files.iter().map(|(rel, _)| rel.as_str()).collect(),
            None => self.sitemap_files.iter().map(String::as_str).collect(),
        };
        match &made.search {
            Some(files) => generated.extend(files.iter().map(|(rel, _)| rel.as_str())),
            None => generated.extend(self.search_files.iter().map(String::as_str)),
        }
        if self.shared {
            generated.push(made.css.0);
            generated.extend(made.assets.iter().map(|(rel, _)| rel.as_str()));
            generated.extend(made.images.outputs().map(|(rel, _)| rel));
        }
        let mut errors = Vec::new();
        for rel in &generated {
            if pages.contains_key(rel) {
                errors.push(
                    Diagnostic::new(
                        rel,
                        format!("a page would be written to `{rel}`, which shopgen writes itself"),
                    )
                    .hint("give the page another slug"),
                );
            }
        }
        if !self.shared {
            return errors;
        }
        let generated: std::collections::HashSet<&str> = generated.into_iter().collect();
        let taken = |rel: &str| pages.contains_key(rel) || generated.contains(rel);
        for (rel, _) in site.theme.under("static") {
            if taken(rel) {
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
            if taken(&f.rel) {
                errors.push(
                    Diagnostic::new(
                        &f.source,
                        format!("this static file would overwrite the generated `{}`", f.rel),
                    )
                    .hint("rename or move it: generated pages, the sitemap and robots.txt take these paths"),
                );
            }
        }
        errors
    }

    /// Bring the output up to date after a render that succeeded: drop the pages that are gone
    /// (returns how many), put in the new pages (`None`: already written by the sink) with
    /// their fingerprints, and the generated and static files that changed.
    pub fn apply(
        &mut self,
        site: &Model,
        pages: &HashMap<&str, usize>,
        rendered: Vec<(String, u64, Option<Entry>)>,
        made: Generated,
    ) -> usize {
        let mut removed = 0;
        let out = &mut self.output.files;
        self.rendered.retain(|rel, _| {
            let keep = pages.contains_key(rel.as_str());
            if !keep {
                out.remove(rel);
                removed += 1;
            }
            keep
        });
        if let Some(files) = made.sitemaps {
            for rel in self.sitemap_files.drain(..) {
                out.remove(&rel);
            }
            for (rel, bytes) in files {
                out.insert(rel.clone(), Entry::Bytes(Cow::Owned(bytes)));
                self.sitemap_files.push(rel);
            }
        }
        if let Some(files) = made.search {
            // Most edits leave most shards as they were: only files whose bytes differ change.
            let new: std::collections::HashSet<&str> =
                files.iter().map(|(rel, _)| rel.as_str()).collect();
            for rel in self.search_files.drain(..) {
                if !new.contains(rel.as_str()) {
                    out.remove(&rel);
                }
            }
            for (rel, bytes) in files {
                self.search_files.push(rel.clone());
                if !matches!(out.get(&rel), Some(Entry::Bytes(b)) if **b == *bytes) {
                    out.insert(rel, Entry::Bytes(Cow::Owned(bytes)));
                }
            }
        }
        if !self.shared {
            self.assets_stale = false;
            self.statics_stale = false;
        }
        if self.assets_stale {
            for rel in self.assets_written.drain(..) {
                out.remove(&rel);
            }
            for (rel, bytes) in made.assets {
                out.insert(rel.clone(), Entry::Bytes(Cow::Owned(bytes.clone())));
                self.assets_written.push(rel.clone());
            }
            self.assets_stale = false;
        }
        let (css_rel, css_bytes) = made.css;
        if self.shared && self.css_written.as_deref() != Some(css_rel) {
            if let Some(old) = self.css_written.take() {
                out.remove(&old);
            }
            out.insert(
                css_rel.to_string(),
                Entry::Bytes(Cow::Owned(css_bytes.to_vec())),
            );
            self.css_written = Some(css_rel.to_string());
        }
        if self.statics_stale {
            for rel in self.statics.drain(..) {
                out.remove(&rel);
            }
        }
        for (rel, print, entry) in rendered {
            if let Some(entry) = entry {
                out.insert(rel.clone(), entry);
            }
            self.rendered.insert(rel, print);
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
            // The site's own files replace the theme's; photos are published as their
            // variants (or, for `processor: oss`, stripped of their metadata).
            for f in &site.static_files {
                if let Some(file) = made.images.stripped.get(&f.rel) {
                    out.insert(f.rel.clone(), Entry::Copy(file.clone()));
                } else if !made.images.replaces(&f.rel) {
                    out.insert(f.rel.clone(), Entry::Copy(f.source.clone()));
                } else {
                    continue;
                }
                self.statics.push(f.rel.clone());
            }
            for (rel, file) in made.images.outputs() {
                out.insert(rel.to_string(), Entry::Copy(file));
                self.statics.push(rel.to_string());
            }
            self.statics_stale = false;
        }
        removed
    }
}
