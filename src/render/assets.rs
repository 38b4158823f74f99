//! Assets: the theme's CSS bundled and minified with lightningcss (fingerprinted file name),
//! and the static files of the theme and the site.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use lightningcss::bundler::{Bundler, ResolveResult, SourceProvider};
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions};
use lightningcss::targets::{Browsers, Targets};

use crate::content::Model;
use crate::content::theme::Theme;
use crate::util::diag::Diagnostic;
use crate::util::{fsread, walk};

/// The entry stylesheet of a theme; it `@import`s the others.
pub const CSS_ENTRY: &str = "styles/main.css";

/// The browsers the CSS must work in: WeChat's and other Chinese in-app browsers are
/// Chromium 78+ on Android and WKWebView (Safari 13+) on iOS. Lightning CSS knows no
/// UC/QQ/Baidu entries, so these are given as Chrome versions.
pub fn targets() -> Targets {
    let v = |major: u32| Some(major << 16);
    Targets::from(Browsers {
        android: v(78),
        chrome: v(78),
        edge: v(88),
        firefox: v(78),
        ie: None,
        ios_saf: v(13),
        opera: None,
        safari: v(13),
        samsung: v(12),
    })
}

/// A bundled stylesheet and where it goes.
pub struct Css {
    /// Output path, e.g. `assets/style.3f2a9c1b0d.css`.
    pub rel: String,
    pub bytes: Vec<u8>,
}

/// Style files of the theme, with the site's own `styles/*.css` replacing them by name.
struct Sources {
    files: BTreeMap<PathBuf, String>,
    /// What to call each file in messages.
    shown: BTreeMap<PathBuf, PathBuf>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct MissingFile(String);

impl SourceProvider for Sources {
    type Error = MissingFile;

    fn read<'a>(&'a self, file: &Path) -> Result<&'a str, MissingFile> {
        self.files.get(file).map(String::as_str).ok_or_else(|| {
            MissingFile(format!(
                "`{}` is not a stylesheet of the theme",
                file.display()
            ))
        })
    }

    fn resolve(&self, specifier: &str, from: &Path) -> Result<ResolveResult, MissingFile> {
        if specifier.contains("://") || specifier.starts_with("//") {
            // Kept as it is: `shopgen check` reports it when the host is blocked in China.
            return Ok(ResolveResult::External(specifier.to_string()));
        }
        let joined = from.with_file_name(specifier);
        let mut clean = PathBuf::new();
        for c in joined.components() {
            match c {
                Component::Normal(n) => clean.push(n),
                Component::CurDir => {}
                _ => {
                    return Err(MissingFile(format!(
                        "@import \"{specifier}\" leaves the styles folder"
                    )));
                }
            }
        }
        Ok(ResolveResult::File(clean))
    }
}

/// Bundle and minify the site's CSS.
pub fn bundle_css(site: &Model) -> Result<Css, Diagnostic> {
    let mut src = Sources {
        files: BTreeMap::new(),
        shown: BTreeMap::new(),
    };
    for (rel, bytes) in site.theme.under("styles") {
        let p = Path::new("styles").join(rel);
        src.shown
            .insert(p.clone(), site.theme.display_path(&format!("styles/{rel}")));
        src.files
            .insert(p, String::from_utf8_lossy(bytes).into_owned());
    }
    let own = site.root.join("styles");
    let walked = walk::files(&own, &site.root)?;
    if let Some(e) = walked.error(&own) {
        return Err(e);
    }
    for f in walked.files {
        if f.path.extension().is_some_and(|x| x == "css") {
            let p = Path::new("styles").join(&f.rel);
            let text = fsread::read_text(&f.path)?;
            src.shown.insert(p.clone(), f.path);
            src.files.insert(p, text);
        }
    }
    let entry = Path::new(CSS_ENTRY);
    let entry_shown = site.theme.display_path(CSS_ENTRY);
    if !src.files.contains_key(entry) {
        return Err(
            Diagnostic::new(entry_shown, "the theme has no entry stylesheet")
                .hint("create styles/main.css that @imports the theme's other CSS files"),
        );
    }
    let targets = targets();
    let mut bundler = Bundler::new(&src, None, ParserOptions::default());
    let mut sheet = bundler.bundle(entry).map_err(|e| {
        let (file, line, col) = match &e.loc {
            Some(l) => (
                src.shown
                    .get(Path::new(&l.filename))
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(&l.filename)),
                Some(l.line as usize + 1),
                Some(l.column as usize),
            ),
            None => (entry_shown.clone(), None, None),
        };
        let mut d = Diagnostic::new(file, format!("CSS error: {}", e.kind))
            .hint("fix the stylesheet; shopgen bundles it with lightningcss");
        d.line = line;
        d.column = col;
        d
    })?;
    sheet
        .minify(MinifyOptions {
            targets,
            ..MinifyOptions::default()
        })
        .map_err(|e| Diagnostic::new(&entry_shown, format!("cannot minify the CSS: {e}")))?;
    let out = sheet
        .to_css(PrinterOptions {
            minify: true,
            targets,
            ..PrinterOptions::default()
        })
        .map_err(|e| Diagnostic::new(&entry_shown, format!("cannot print the CSS: {e}")))?;
    let mut code = out.code;
    // The site's own brand colours and radius from shop.yaml win over the theme's tokens.
    code.push_str(&site.config.style.css());
    let bytes = code.into_bytes();
    let hash = blake3::hash(&bytes).to_hex();
    Ok(Css {
        rel: format!("assets/style.{}.css", &hash[..10]),
        bytes,
    })
}

/// The theme's and the site's `assets/` files (scripts, data), published under a name that
/// carries a digest of their content (`assets/js/shop.3f2a9c1b0d.js`), so they can be cached
/// for a year and a new version is never mixed with an old page. Templates link them through
/// `site.assets["js/shop.js"]`.
#[derive(Default)]
pub struct Fingerprinted {
    /// Name under `assets/` → output path.
    pub names: BTreeMap<String, String>,
    /// Output path → content.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Fingerprint the files under the theme's `assets/` and the site's own `assets/` (which
/// replace the theme's by name).
pub fn fingerprint(theme: &Theme, root: &Path) -> Result<Fingerprinted, Diagnostic> {
    let mut sources: BTreeMap<String, Vec<u8>> = theme
        .under("assets")
        .map(|(rel, bytes)| (rel.to_string(), bytes.to_vec()))
        .collect();
    let own = root.join("assets");
    let walked = walk::files(&own, root)?;
    if let Some(e) = walked.error(&own) {
        return Err(e);
    }
    for f in walked.files {
        crate::output::check_path(&f.rel).map_err(|m| {
            Diagnostic::new(&f.path, format!("this asset cannot be published: {m}"))
                .hint("rename it")
        })?;
        let bytes = fsread::read(&f.path, fsread::FILE_LIMIT)?;
        sources.insert(f.rel, bytes);
    }
    let mut out = Fingerprinted::default();
    for (rel, bytes) in sources {
        let hash = blake3::hash(&bytes).to_hex();
        let (dir, name) = rel
            .rsplit_once('/')
            .map_or(("", rel.as_str()), |(d, n)| (d, n));
        let hashed = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{}.{ext}", &hash[..10]),
            _ => format!("{name}.{}", &hash[..10]),
        };
        let path = if dir.is_empty() {
            format!("assets/{hashed}")
        } else {
            format!("assets/{dir}/{hashed}")
        };
        out.names.insert(rel, path.clone());
        out.files.push((path, bytes));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprinted_names_keep_folder_and_extension() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let theme = crate::content::theme::Theme::load(&root, "meigong").expect("theme loads");
        let fp = fingerprint(&theme, &root).expect("fingerprint");
        let js = &fp.names["js/shop.js"];
        assert!(
            js.starts_with("assets/js/shop.") && js.ends_with(".js"),
            "{js}"
        );
        assert_eq!(js.len(), "assets/js/shop.".len() + 10 + ".js".len());
        assert!(crate::output::is_fingerprinted(js));
        let (_, bytes) = fp.files.iter().find(|(p, _)| p == js).expect("file");
        assert_eq!(
            bytes.as_slice(),
            theme.get("assets/js/shop.js").expect("theme file")
        );
    }
}
