//! Where a thing in the output came from. Copied files are their own source. For generated
//! pages and the CSS bundle, the source is the first file whose text contains the reference
//! as written: the page's own content file, then the templates in use (the site's before the
//! theme's), shop.yaml, then every content file (listings show other products' images); for
//! the CSS bundle, the stylesheets in use. A reference built by a template from parts is in
//! none of them and gets no source line.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Document};
use crate::content::Model;
use crate::output::{Entry, Output};
use crate::util::{fsread, walk};

/// What made an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Copied as-is from this file (a static file of the site or the theme).
    Copy(PathBuf),
    /// A page rendered from templates and content.
    Page,
    /// The theme's (and site's) stylesheets, bundled.
    Bundle,
}

/// A source file and its text.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// All text files an output file can come from, read once.
pub struct Sources {
    files: Vec<SourceFile>,
    /// Output path of a product's or page's HTML → its content file.
    own: HashMap<String, usize>,
    templates: Vec<usize>,
    config: Option<usize>,
    /// shop.yaml, for the place of a field.
    config_doc: Option<Document>,
    content: Vec<usize>,
    styles: Vec<usize>,
    /// Output path → theme static file it was copied from.
    theme_static: HashMap<String, PathBuf>,
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Sources {
    pub fn read(site: &Model) -> Sources {
        let mut s = Sources {
            files: Vec::new(),
            own: HashMap::new(),
            templates: Vec::new(),
            config: None,
            config_doc: Some(site.config_doc.clone()),
            content: Vec::new(),
            styles: Vec::new(),
            theme_static: HashMap::new(),
        };
        let add = |files: &mut Vec<SourceFile>, path: PathBuf, text: String| {
            files.push(SourceFile { path, text });
            files.len() - 1
        };
        for p in &site.products {
            if let Ok(text) = fsread::read_text(&p.source) {
                let i = add(&mut s.files, p.source.clone(), text);
                s.own.insert(format!("{}index.html", p.path()), i);
                s.content.push(i);
            }
        }
        for p in &site.pages {
            if let Ok(text) = fsread::read_text(&p.source) {
                let i = add(&mut s.files, p.source.clone(), text);
                s.own.insert(format!("{}index.html", p.path()), i);
                s.content.push(i);
            }
        }
        // Translations and a language's shop texts: the text of the other languages' pages.
        let texts = site
            .config
            .languages
            .keys()
            .map(|l| crate::config::languages::texts_file(&site.root, *l));
        for path in site
            .translations
            .iter()
            .map(|t| t.file.clone())
            .chain(texts)
        {
            if let Ok(text) = fsread::read_text(&path) {
                let i = add(&mut s.files, path, text);
                s.content.push(i);
            }
        }
        let config = site.root.join(CONFIG_FILE);
        if let Ok(text) = fsread::read_text(&config) {
            s.config = Some(add(&mut s.files, config, text));
        }
        for (dir, list) in [("templates", &mut s.templates), ("styles", &mut s.styles)] {
            let own = own_files(&site.root.join(dir), &site.root);
            let names: HashSet<String> = own.iter().map(|(n, _)| n.clone()).collect();
            for (_, path) in own {
                if let Ok(text) = fsread::read_text(&path) {
                    list.push(add(&mut s.files, path, text));
                }
            }
            for (name, bytes) in site.theme.under(dir) {
                if !names.contains(name) {
                    let path = site.theme.display_path(&format!("{dir}/{name}"));
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    list.push(add(&mut s.files, path, text));
                }
            }
        }
        for (rel, _) in site.theme.under("static") {
            s.theme_static.insert(
                rel.to_string(),
                site.theme.display_path(&format!("static/{rel}")),
            );
        }
        s
    }

    /// What made output file `rel`.
    pub fn origin(&self, rel: &str, out: &Output) -> Origin {
        match out.files.get(rel) {
            Some(Entry::Copy(p)) => Origin::Copy(p.clone()),
            _ => match self.theme_static.get(rel) {
                Some(p) => Origin::Copy(p.clone()),
                None if rel.ends_with(".css") => Origin::Bundle,
                None => Origin::Page,
            },
        }
    }

    /// Find the `nth` (0-based) occurrence of one of `needles` in the sources of output file
    /// `rel`; when the page's own file has fewer, the first occurrence in the next candidates.
    pub fn locate(
        &self,
        rel: &str,
        origin: &Origin,
        needles: &[&str],
        nth: usize,
    ) -> Option<Place> {
        let needles: Vec<&str> = needles.iter().copied().filter(|n| !n.is_empty()).collect();
        let order: Vec<usize> = match origin {
            Origin::Copy(_) => return None,
            Origin::Bundle => self.styles.clone(),
            Origin::Page => {
                let own = self.own.get(rel).copied();
                own.into_iter()
                    .chain(self.templates.iter().copied())
                    .chain(self.config)
                    .chain(self.content.iter().copied().filter(|&i| Some(i) != own))
                    .collect()
            }
        };
        for (k, &i) in order.iter().enumerate() {
            let want = if k == 0 { nth } else { 0 };
            for n in &needles {
                if let Some(at) = self.files[i]
                    .text
                    .match_indices(n)
                    .nth(want)
                    .map(|(at, _)| at)
                {
                    return Some(self.place(i, at));
                }
            }
        }
        if nth > 0 {
            return self.locate(rel, origin, &needles, 0);
        }
        None
    }

    /// The line of a field of shop.yaml (`hosting.icp`).
    pub fn config_field(&self, field: &str) -> Option<Place> {
        let doc = self.config_doc.as_ref()?;
        let (line, column) = doc.at(field)?;
        Some(Place {
            file: doc.file.clone(),
            line,
            column,
        })
    }

    fn place(&self, i: usize, at: usize) -> Place {
        let (line, column) = line_col(&self.files[i].text, at);
        Place {
            file: self.files[i].path.clone(),
            line,
            column,
        }
    }
}

/// 1-based line and column (in characters) of byte offset `at`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text.as_bytes()[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

/// Files under `dir`, by their path relative to it, sorted.
fn own_files(dir: &Path, root: &Path) -> Vec<(String, PathBuf)> {
    walk::files(dir, root)
        .unwrap_or_default()
        .files
        .into_iter()
        .map(|f| (f.rel, f.path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let t = "ab\n植鞣x\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, t.find('x').unwrap()), (2, 3));
    }
}
