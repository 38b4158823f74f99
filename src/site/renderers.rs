//! One [`Renderer`] per language of the site: the default language's at the root, which also
//! writes the files every language shares (CSS, assets, static files, photos), and one per
//! further language, whose pages go under its folder through a [`Prefixed`] sink.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use super::Site;
use crate::content::Model;
use crate::images::Images;
use crate::output::{Output, Prefixed, Sink};
use crate::render::alternates::Alternates;
use crate::render::{Rendered, Renderer, page_paths};
use crate::util::diag::BuildError;

/// The renderers of every language, the default language's first.
pub struct Renderers {
    pub main: Renderer,
    /// Each further language's folder (`en/`) and renderer, in the order of `languages:`.
    pub languages: Vec<(String, Renderer)>,
}

/// Which languages have each page: from every language's page plan.
fn alternates(site: &Site) -> Arc<Alternates> {
    let models: Vec<&Model> = site.models().collect();
    let paths: Vec<Vec<String>> = {
        use rayon::prelude::*;
        models.par_iter().map(|m| page_paths(m)).collect()
    };
    Arc::new(Alternates::new(models.into_iter().zip(paths)))
}

impl Renderers {
    /// A renderer for each language; nothing is rendered yet.
    pub fn new(site: &Site, images: Arc<Images>) -> Result<Renderers, BuildError> {
        let alternates = alternates(site);
        let mut main = Renderer::new(&site.model, images.clone())?;
        main.set_alternates(alternates.clone());
        let mut languages = Vec::with_capacity(site.languages.len());
        for m in &site.languages {
            let mut r = Renderer::new(m, images.clone())?;
            r.set_alternates(alternates.clone());
            languages.push((m.prefix.clone(), r));
        }
        Ok(Renderers { main, languages })
    }

    /// Render every language into `sink` (see [`Renderer::render`]). `changed`: the default
    /// language's files whose text changed (they change every language, whose text comes from
    /// them); `translated`: for each further language, the sources its changed translation
    /// files translate. Nothing is kept unless every language renders.
    pub fn render(
        &mut self,
        site: &Site,
        changed: &[PathBuf],
        translated: &[Vec<PathBuf>],
        sink: &dyn Sink,
    ) -> Result<Rendered, BuildError> {
        if !site.languages.is_empty() {
            let alternates = alternates(site);
            self.main.set_alternates(alternates.clone());
            for (_, r) in &mut self.languages {
                r.set_alternates(alternates.clone());
            }
        }
        let mut done = self.main.render(&site.model, changed, sink)?;
        for (k, ((prefix, r), m)) in self.languages.iter_mut().zip(&site.languages).enumerate() {
            let mut changed = changed.to_vec();
            if let Some(t) = translated.get(k) {
                changed.extend(t.iter().cloned());
            }
            let sink = Prefixed {
                inner: sink,
                prefix: prefix.as_str(),
            };
            let d = r.render(m, &changed, &sink)?;
            done.rendered += d.rendered;
            done.pages += d.pages;
            done.removed += d.removed;
            done.paths
                .extend(d.paths.into_iter().map(|p| format!("{prefix}{p}")));
            done.search_kept &= d.search_kept;
            if let (Some(s), Some(t)) = (&mut done.search, d.search) {
                s.documents += t.documents;
                s.postings += t.postings;
                s.shards += t.shards;
                s.bytes += t.bytes;
                s.millis += t.millis;
            }
        }
        Ok(done)
    }

    /// The renderer of the language whose folder `rel` is in, and `rel` below that folder.
    fn of<'a>(&self, rel: &'a str) -> (&Renderer, &'a str) {
        for (prefix, r) in &self.languages {
            if let Some(rest) = rel.strip_prefix(prefix.as_str()) {
                return (r, rest);
            }
            if rel == prefix.trim_end_matches('/') {
                return (r, "");
            }
        }
        (&self.main, rel)
    }

    /// A file of the last good render, by its path below the site root.
    pub fn get_bytes(&self, rel: &str) -> Option<Cow<'_, [u8]>> {
        let (r, rest) = self.of(rel);
        if !std::ptr::eq(r, &self.main)
            && let Some(b) = r.output().get_bytes(rest)
        {
            return Some(b);
        }
        self.main.output().get_bytes(rel)
    }

    /// The photos every language shows.
    pub fn images(&self) -> &Arc<Images> {
        self.main.images()
    }

    /// Every file of the last good render, each language's pages under its folder.
    pub fn into_output(self) -> Output {
        let mut out = self.main.into_output();
        for (prefix, r) in self.languages {
            for (rel, entry) in r.into_output().files {
                out.files.insert(format!("{prefix}{rel}"), entry);
            }
        }
        out
    }

    /// Every renderer, the default language's first.
    pub fn all_mut(&mut self) -> impl Iterator<Item = &mut Renderer> {
        std::iter::once(&mut self.main).chain(self.languages.iter_mut().map(|(_, r)| r))
    }
}
