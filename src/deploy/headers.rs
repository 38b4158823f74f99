//! The HTTP headers each deployed file is stored with: Content-Type (from the one MIME table,
//! [`crate::util::mime`]) and Cache-Control.

use crate::output::is_fingerprinted;
pub use crate::util::mime::content_type;

/// Cache-Control for pages, the sitemap and robots.txt: browsers and CDNs revalidate every
/// time, so a deploy shows at once.
pub const NO_CACHE: &str = "no-cache";
/// Cache-Control for fingerprinted assets (`assets/style.<hash>.css`): their name changes with
/// their content, so they can be cached for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache-Control for other files (images and files from `static/`, which keep their name when
/// replaced): an hour.
pub const SHORT: &str = "public, max-age=3600";

/// The Cache-Control a file is served with.
pub fn cache_control(path: &str) -> &'static str {
    if is_page(path) {
        NO_CACHE
    } else if is_fingerprinted(path) {
        IMMUTABLE
    } else {
        SHORT
    }
}

/// Pages and the files that list them: HTML, sitemaps and robots.txt. They are uploaded after
/// everything they point to and are never cached without revalidation.
pub fn is_page(path: &str) -> bool {
    let name = file_name(path);
    matches!(extension(path).as_str(), "html" | "htm")
        || name == "robots.txt"
        || path == crate::search::MANIFEST
        || (name.starts_with("sitemap") && name.ends_with(".xml"))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn extension(path: &str) -> String {
    let name = file_name(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        for (path, want) in [
            ("index.html", "text/html; charset=utf-8"),
            ("products/a/index.html", "text/html; charset=utf-8"),
            ("assets/style.0123456789.css", "text/css; charset=utf-8"),
            ("sitemap.xml", "text/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("data.json", "application/json; charset=utf-8"),
            ("images/logo.svg", "image/svg+xml; charset=utf-8"),
            ("images/a.JPG", "image/jpeg"),
            ("images/a.png", "image/png"),
            ("images/a.webp", "image/webp"),
            ("images/a.avif", "image/avif"),
            ("images/a.gif", "image/gif"),
            ("favicon.ico", "image/x-icon"),
            ("fonts/a.woff2", "font/woff2"),
            ("docs/a.pdf", "application/pdf"),
            ("video/a.mp4", "video/mp4"),
            (
                "site.webmanifest",
                "application/manifest+json; charset=utf-8",
            ),
            ("LICENSE", "application/octet-stream"),
            (".hidden", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), want, "{path}");
        }
    }

    #[test]
    fn cache_rules() {
        assert_eq!(cache_control("index.html"), NO_CACHE);
        assert_eq!(cache_control("products/x/index.html"), NO_CACHE);
        assert_eq!(cache_control("404.html"), NO_CACHE);
        assert_eq!(cache_control("sitemap.xml"), NO_CACHE);
        assert_eq!(cache_control("sitemap-2.xml"), NO_CACHE);
        assert_eq!(cache_control("robots.txt"), NO_CACHE);
        assert_eq!(cache_control("assets/style.0123abcd89.css"), IMMUTABLE);
        assert_eq!(cache_control("assets/app.min.deadbeefcafe.js"), IMMUTABLE);
        // Not fingerprinted: no hash part, a hash that is not hex, or outside assets/.
        assert_eq!(cache_control("assets/style.css"), SHORT);
        assert_eq!(cache_control("assets/style.zzzzzzzzzz.css"), SHORT);
        assert_eq!(cache_control("images/photo.20240101.jpg"), SHORT);
        assert_eq!(cache_control("images/logo.svg"), SHORT);
    }
}
