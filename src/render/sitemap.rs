//! sitemap.xml (split into an index past 50,000 URLs) and robots.txt.

use std::borrow::Cow;
use std::fmt::Write;

/// Most URLs one sitemap file may hold (sitemaps.org, Baidu).
pub const MAX_URLS: usize = 50_000;

/// One URL of the sitemap.
pub struct Entry {
    pub loc: String,
    pub lastmod: Option<String>,
    /// The same page in each of the site's languages (this one included), `hreflang` → URL;
    /// empty for a site of one language.
    pub alternates: Vec<(&'static str, String)>,
}

/// The sitemap files to write: `sitemap.xml` alone, or an index plus `sitemap-N.xml` parts.
pub fn sitemaps(entries: &[Entry], root: &str) -> Vec<(String, String)> {
    if entries.len() <= MAX_URLS {
        return vec![("sitemap.xml".into(), urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in entries.chunks(MAX_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            escape(&format!("{root}{name}"))
        );
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
}

fn urlset(entries: &[Entry]) -> String {
    let mut s = String::with_capacity(entries.len() * 90 + 200);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if entries.iter().any(|e| !e.alternates.is_empty()) {
        s.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    s.push_str(">\n");
    for e in entries {
        let _ = write!(s, "  <url><loc>{}</loc>", escape(&e.loc));
        if let Some(d) = &e.lastmod {
            let _ = write!(s, "<lastmod>{}</lastmod>", escape(d));
        }
        if e.alternates.len() > 1 {
            for (lang, url) in &e.alternates {
                let _ = write!(
                    s,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>",
                    escape(url)
                );
            }
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// The plain-text URL list for Baidu's link push (one absolute URL a line), written beside the sitemap.
pub const URL_LIST: &str = "urls.txt";

pub fn url_list(entries: &[Entry]) -> String {
    let mut s = String::with_capacity(entries.len() * 60);
    for e in entries {
        s.push_str(&e.loc);
        s.push('\n');
    }
    s
}

/// robots.txt, naming each sitemap (one a language).
pub fn robots(root: &str, sitemaps: &[String]) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n\n");
    if sitemaps.is_empty() {
        let _ = writeln!(s, "Sitemap: {root}sitemap.xml");
    }
    for m in sitemaps {
        let _ = writeln!(s, "Sitemap: {m}");
    }
    s
}

/// XML escaping for text and double-quoted attributes (`&`, `<`, `>`, `"`).
fn escape(s: &str) -> Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_site_has_one_sitemap() {
        let e = vec![Entry {
            loc: "https://a.cn/?a=1&b=2".into(),
            lastmod: Some("2026-01-02".into()),
            alternates: Vec::new(),
        }];
        let files = sitemaps(&e, "https://a.cn/");
        assert_eq!(files.len(), 1);
        assert!(
            files[0]
                .1
                .contains("<loc>https://a.cn/?a=1&amp;b=2</loc><lastmod>2026-01-02</lastmod>")
        );
    }

    #[test]
    fn splits_past_fifty_thousand() {
        let e: Vec<Entry> = (0..MAX_URLS + 1)
            .map(|i| Entry {
                loc: format!("https://a.cn/p/{i}/"),
                lastmod: None,
                alternates: Vec::new(),
            })
            .collect();
        let files = sitemaps(&e, "https://a.cn/");
        assert_eq!(files.len(), 3);
        assert!(files[0].1.contains("<sitemapindex"));
        assert!(files[0].1.contains("https://a.cn/sitemap-2.xml"));
        assert_eq!(files[2].1.matches("<url>").count(), 1);
    }
}
