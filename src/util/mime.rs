//! The one MIME table, for `serve` and `deploy` alike: mime_guess, with the few types it lacks
//! or gets wrong for the web named here.

/// Types mime_guess lacks or names differently from what browsers expect.
const OVERRIDES: &[(&str, &str)] = &[
    ("avif", "image/avif"),
    ("webmanifest", "application/manifest+json"),
    ("js", "text/javascript"),
    ("mjs", "text/javascript"),
    ("map", "application/json"),
];

/// The Content-Type a file is served with, from its extension; text types carry
/// `charset=utf-8` (every text file shopgen writes is UTF-8).
pub fn content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let mime = match OVERRIDES.iter().find(|(e, _)| *e == ext) {
        Some((_, m)) => m.to_string(),
        None => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream")
            .to_string(),
    };
    let textual = mime.starts_with("text/")
        || matches!(
            mime.as_str(),
            "application/json"
                | "application/manifest+json"
                | "application/xml"
                | "image/svg+xml"
                | "application/rss+xml"
                | "application/atom+xml"
        );
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_types() {
        for (path, want) in [
            ("index.html", "text/html; charset=utf-8"),
            (
                "assets/js/shop.0123456789.js",
                "text/javascript; charset=utf-8",
            ),
            ("a/b.mjs", "text/javascript; charset=utf-8"),
            ("a.js.map", "application/json; charset=utf-8"),
            (
                "site.webmanifest",
                "application/manifest+json; charset=utf-8",
            ),
            ("sitemap.xml", "text/xml; charset=utf-8"),
            ("logo.SVG", "image/svg+xml; charset=utf-8"),
            ("p.avif", "image/avif"),
            ("p.webp", "image/webp"),
            ("p.jpg", "image/jpeg"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), want, "{path}");
        }
    }
}
