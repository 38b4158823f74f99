//! The HTTP headers each deployed file is stored with: Content-Type and Cache-Control.

/// Cache-Control for pages, the sitemap and robots.txt: browsers and CDNs revalidate every
/// time, so a deploy shows at once.
pub const NO_CACHE: &str = "no-cache";
/// Cache-Control for fingerprinted assets (`assets/style.<hash>.css`): their name changes with
/// their content, so they can be cached for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache-Control for other files (images and files from `static/`, which keep their name when
/// replaced): an hour.
pub const SHORT: &str = "public, max-age=3600";

/// The Content-Type a file is served with, from its extension; text types carry
/// `charset=utf-8` (every text file shopgen writes is UTF-8).
pub fn content_type(path: &str) -> String {
    let ext = extension(path);
    let mime = match ext.as_str() {
        // Not (or not rightly) in mime_guess's table.
        "avif" => "image/avif".to_string(),
        "webmanifest" => "application/manifest+json".to_string(),
        "js" | "mjs" => "text/javascript".to_string(),
        "map" => "application/json".to_string(),
        _ => mime_guess::from_ext(&ext)
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
        || (name.starts_with("sitemap") && name.ends_with(".xml"))
}

/// A build output whose name carries a hash of its content: inside `assets/`, with a
/// dot-separated part of 8 to 64 hex digits (`assets/style.0123abcd89.css`).
pub fn is_fingerprinted(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("assets/") else {
        return false;
    };
    let name = file_name(rest);
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| (8..=64).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_hexdigit()))
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
