//! A shop's HTML description as the Markdown of a product's detail story: scripts, styles,
//! frames, forms and event attributes removed and `javascript:` links dropped first (lol_html),
//! then converted (htmd). The images it shows are named so the import can fetch them.

use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, Settings, element};

/// Elements that are removed with everything inside them.
const DROPPED: &str = "script, style, iframe, frame, frameset, object, embed, form, input, \
                       button, select, textarea, noscript, template, link, meta, base, svg, math";

/// Turn `html` into Markdown; `local` gives the path below `static/` an image URL is fetched
/// to (`None`: the image is left out).
pub fn to_markdown(html: &str, local: impl FnMut(&str) -> Option<String>) -> String {
    let clean = sanitise(html, local);
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "iframe", "head"])
        .build();
    let markdown = converter.convert(&clean).unwrap_or_default();
    markdown.trim().to_string() + "\n"
}

/// The HTML without what a static shop must not carry, its images pointed at `local` paths.
pub fn sanitise(html: &str, mut local: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = Vec::with_capacity(html.len());
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!(DROPPED, |el| {
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("*", |el| {
                let names: Vec<String> = el.attributes().iter().map(|a| a.name()).collect();
                for name in names {
                    let value = el.get_attribute(&name).unwrap_or_default();
                    let scheme = value.trim().to_ascii_lowercase();
                    let unsafe_url = ["javascript:", "vbscript:", "data:"]
                        .iter()
                        .any(|s| scheme.starts_with(s));
                    if name.starts_with("on")
                        || name == "style"
                        || name == "srcset"
                        || ((name == "href" || name == "src") && unsafe_url)
                    {
                        el.remove_attribute(&name);
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("img[src]", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                match local(&src) {
                    Some(path) => el.set_attribute("src", &path)?,
                    None => el.replace("", ContentType::Text),
                }
                Ok(())
            })),
        |c: &[u8]| out.extend_from_slice(c),
    );
    if rewriter.write(html.as_bytes()).is_err() || rewriter.end().is_err() {
        return html_escape::encode_text(html).into_owned();
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_becomes_safe_markdown_with_local_images() {
        let html = r#"<h2>Italian leather</h2><p onclick="steal()">Soft <strong>full-grain</strong> &amp; <em>brass</em>.</p>
<script>alert(1)</script><style>p{color:red}</style><iframe src="https://video.example/x"></iframe>
<ul><li>One</li><li onmouseover="x()">Two</li></ul>
<p><img src="https://cdn.shopify.com/s/files/1/stitch.jpg?v=1" alt="细节" onerror="evil()"></p>
<p><a href="javascript:alert(1)">bad</a> <a href="https://brand.example/care">care</a></p>"#;
        let s = to_markdown(html, |u| {
            Some(format!(
                "images/products/t/{}",
                u.rsplit('/').next()?.split('?').next()?
            ))
        });
        let md = &s;
        assert!(md.contains("## Italian leather"), "{md}");
        assert!(
            md.contains("**full-grain**") && md.contains("*brass*"),
            "{md}"
        );
        assert!(md.contains("![细节](images/products/t/stitch.jpg)"), "{md}");
        assert!(md.contains("[care](https://brand.example/care)"), "{md}");
        for bad in [
            "alert",
            "steal",
            "evil",
            "video.example",
            "color:red",
            "javascript",
        ] {
            assert!(!md.contains(bad), "{bad} in {md}");
        }
        let none = to_markdown(r#"<p>a<img src="x.jpg">b</p>"#, |_| None);
        assert_eq!(none, "ab\n");
    }
}
