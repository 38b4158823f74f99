//! A content page: brand story, FAQ, shipping, contact… (`content/pages/*.md`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::frontmatter;
use crate::config::Document;
use crate::util::diag::Diagnostic;
use crate::util::slug;

/// Slugs that would collide with the folders shopgen writes itself.
pub const RESERVED: &[&str] = &[
    "products",
    "categories",
    "assets",
    "page",
    "404",
    "sitemap",
    "robots",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: String,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub date: Option<String>,
    /// A template name to render this page with instead of `page.html`.
    #[serde(default)]
    pub template: Option<String>,
    /// The theme's own fields, free-form (Zola's `extra`, Hugo's `params`): templates read
    /// them as `page.extra["材质"]`; nothing else does.
    #[serde(default)]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub source: PathBuf,
    pub slug: String,
    pub meta: PageMeta,
    pub body: String,
    /// A digest of the file's text, for caches that outlive the process.
    pub digest: u64,
}

impl Page {
    /// Path of the page below the site root, e.g. `about/`.
    pub fn path(&self) -> String {
        format!("{}/", self.slug)
    }
}

pub fn parse(raw: &str, file: &Path) -> Result<Page, Vec<Diagnostic>> {
    let split = frontmatter::split(raw, file).map_err(|d| vec![d])?;
    let doc = Document::new(file, split.yaml, split.yaml_line);
    let meta: PageMeta = doc.parse().map_err(|d| vec![d])?;
    let mut errs = Vec::new();
    let slug = match &meta.slug {
        Some(s) => s.clone(),
        None => {
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let s = slug::slugify(stem);
            if s.is_empty() {
                slug::slugify(&meta.title)
            } else {
                s
            }
        }
    };
    if !slug::is_valid(&slug) || RESERVED.contains(&slug.as_str()) {
        errs.push(
            doc.error("slug", format!("`{slug}` cannot be this page's URL slug"))
                .hint(format!(
                    "use lowercase ASCII letters, digits and -, not one of: {}",
                    RESERVED.join(", ")
                )),
        );
    }
    if let Some(t) = &meta.template
        && (t.contains("..") || t.starts_with('/') || t.contains('\\'))
    {
        errs.push(
            doc.error("template", format!("`{t}` is not a template name")).hint(
                "name a template file of the theme or of templates/, e.g. `template: contact.html`",
            ),
        );
    }
    if let Some(d) = &meta.date
        && let Err(m) = super::product::check_date(d)
    {
        errs.push(doc.error("date", m).hint("write the date as YYYY-MM-DD"));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Page {
        source: file.to_path_buf(),
        slug,
        meta,
        body: split.body,
        digest: super::text_digest(raw),
    })
}
