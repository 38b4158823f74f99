//! Themes: the built-in `meigong` theme (embedded in the binary) or a site's own
//! `themes/<name>/` folder. A site's `templates/` overrides theme templates by name.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::output;
use crate::util::diag::Diagnostic;
use crate::util::{fsread, walk};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The files of the example site, for `shopgen init`.
pub fn example_site() -> &'static [(&'static str, &'static [u8])] {
    embedded::EXAMPLE_SITE
}

/// A theme's files by path relative to the theme root (`templates/base.html`, `styles/main.css`…).
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    /// Where the theme came from, for messages (`<built-in meigong>` or a folder).
    pub origin: PathBuf,
    pub files: BTreeMap<String, Cow<'static, [u8]>>,
}

impl Theme {
    /// Find theme `name` for the site at `site`: `site/themes/<name>/` first, then the built-in one.
    pub fn load(site: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = site.join("themes").join(name);
        if dir.is_dir() {
            return Theme::from_dir(name, &dir, site);
        }
        if name == "meigong" {
            return Ok(Theme {
                name: name.into(),
                origin: PathBuf::from("<built-in theme meigong>"),
                files: embedded::THEME_MEIGONG
                    .iter()
                    .map(|(p, b)| (p.to_string(), Cow::Borrowed(*b)))
                    .collect(),
            });
        }
        Err(Diagnostic::new(
            site.join(crate::config::CONFIG_FILE),
            format!("theme `{name}` was not found"),
        )
        .field("theme")
        .hint(format!(
            "put it in {} or use the built-in `theme: meigong`",
            dir.display()
        )))
    }

    fn from_dir(name: &str, dir: &Path, site: &Path) -> Result<Theme, Diagnostic> {
        let mut files = BTreeMap::new();
        let walked = walk::files(dir, site)?;
        if let Some(e) = walked.error(dir) {
            return Err(e);
        }
        for f in walked.files {
            output::check_path(&f.rel).map_err(|m| {
                Diagnostic::new(&f.path, format!("this theme file cannot be published: {m}"))
                    .hint("rename it")
            })?;
            let bytes = fsread::read(&f.path, fsread::FILE_LIMIT)?;
            files.insert(f.rel, Cow::Owned(bytes));
        }
        Ok(Theme {
            name: name.into(),
            origin: dir.to_path_buf(),
            files,
        })
    }

    /// Files under `prefix/` (e.g. `templates`), with the prefix stripped.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a [u8])> + 'a {
        self.files.iter().filter_map(move |(p, b)| {
            p.strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('/'))
                .map(|r| (r, b.as_ref()))
        })
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|b| b.as_ref())
    }

    /// The file path to show in messages about theme file `rel`.
    pub fn display_path(&self, rel: &str) -> PathBuf {
        if self.origin.is_dir() {
            self.origin.join(rel)
        } else {
            PathBuf::from(format!("themes/{}/{rel}", self.name))
        }
    }
}
