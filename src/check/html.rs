//! Reading a built HTML page with lol_html: every URL the page makes a browser load or
//! connect to, every link, and the text of every `<a>`; CSS inside the page goes to [`css`].

use std::cell::RefCell;

use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, element, text};

use super::css;

/// What a reference does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The browser fetches it while showing the page (`<img src>`, a stylesheet, CSS `url()`).
    Load,
    /// The browser only opens a connection to its host (`preconnect`, `dns-prefetch`).
    Connect,
    /// Something the buyer may follow (`<a href>`, `<link rel=canonical>`): fetched only on a click.
    Link,
    /// A URL written in a string of an inline script, which the script may load (the standard
    /// analytics and tag-manager snippets create script and image elements from them).
    Script,
}

/// One URL reference found in an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// The URL with HTML entities decoded and surrounding whitespace trimmed.
    pub value: String,
    /// The URL as written in the file, when it differs from `value` (entities).
    pub raw: Option<String>,
    /// How the file refers to it, for messages: `<img src>`, `CSS url()`.
    pub what: String,
    pub kind: Kind,
    /// Byte offset in the output file of the element or CSS text it is in.
    pub offset: usize,
    /// Lines below the line of `offset` (for CSS inside a `<style>` block).
    pub extra_lines: usize,
}

/// An `<a>` element: its `href` and its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchor {
    pub href: String,
    /// Text content with entities decoded.
    pub text: String,
    pub offset: usize,
}

/// Everything found in one page.
#[derive(Debug, Default)]
pub struct Scan {
    pub refs: Vec<Ref>,
    pub anchors: Vec<Anchor>,
    /// CSS that could not be parsed: (byte offset, message).
    pub css_errors: Vec<(usize, String)>,
}

/// `<link rel>` values that make the browser fetch the `href` (or, for the first two,
/// connect to its host). A plain `<a href>` is not among them: following a link to a blocked
/// site is the buyer's choice and costs the page nothing.
const CONNECT_RELS: &[&str] = &["preconnect", "dns-prefetch"];
const LOAD_RELS: &[&str] = &[
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "icon",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
];

/// Which attributes of an element the browser fetches by itself.
fn loading_attrs(tag: &str, el: &Element) -> &'static [&'static str] {
    match tag {
        "img" => &["src", "srcset"],
        "source" => &["src", "srcset"],
        // SVG's `<script href>` as well as HTML's `src`.
        "script" => &["src", "href", "xlink:href"],
        "iframe" | "frame" | "embed" | "audio" | "track" => &["src"],
        // Every relative URL of the page is then loaded from there.
        "base" => &["href"],
        "video" => &["src", "poster"],
        "object" => &["data"],
        "input" => {
            let is_image = el
                .get_attribute("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("image"));
            if is_image { &["src"] } else { &[] }
        }
        // SVG inside HTML.
        "image" | "feimage" | "use" => &["href", "xlink:href"],
        // The legacy attribute browsers still honour.
        "body" | "table" | "td" | "th" => &["background"],
        _ => &[],
    }
}

/// Parse one HTML page.
pub fn scan(html: &[u8]) -> Result<Scan, String> {
    scan_nested(html, 0)
}

/// How deep documents inside documents (`<iframe srcdoc>`, `<noscript>`) are read.
const MAX_NESTING: usize = 4;

fn scan_nested(html: &[u8], depth: usize) -> Result<Scan, String> {
    let found = RefCell::new(Scan::default());
    let style: RefCell<Option<(usize, String)>> = RefCell::new(None);
    // The inline script being read: where it starts, whether it is JavaScript, its text.
    let script: RefCell<Option<(usize, bool, String)>> = RefCell::new(None);
    let noscript: RefCell<Option<(usize, String)>> = RefCell::new(None);
    let nested: RefCell<Vec<(usize, String)>> = RefCell::new(Vec::new());
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!("*", |el| {
                on_element(el, &mut found.borrow_mut());
                let tag = el.tag_name();
                if tag == "script" {
                    let js = el.get_attribute("src").is_none()
                        && is_javascript(el.get_attribute("type").as_deref());
                    *script.borrow_mut() =
                        Some((el.source_location().bytes().end, js, String::new()));
                }
                if tag == "iframe"
                    && let Some(doc) = el.get_attribute("srcdoc")
                {
                    nested
                        .borrow_mut()
                        .push((el.source_location().bytes().start, decode(&doc)));
                }
                Ok(())
            }))
            .append_element_content_handler(text!("script", |t| {
                let mut s = script.borrow_mut();
                if let Some((_, _, text)) = s.as_mut() {
                    text.push_str(t.as_str());
                }
                if t.last_in_text_node()
                    && let Some((offset, true, text)) = s.take()
                {
                    script_refs(&text, offset, &mut found.borrow_mut());
                }
                Ok(())
            }))
            // With scripting on (as in every buyer's browser) `<noscript>` holds raw text;
            // what it would load without scripts is read as a document of its own.
            .append_element_content_handler(text!("noscript", |t| {
                let mut n = noscript.borrow_mut();
                let (_, text) =
                    n.get_or_insert_with(|| (t.source_location().bytes().start, String::new()));
                text.push_str(t.as_str());
                if t.last_in_text_node()
                    && let Some((offset, text)) = n.take()
                    && text.contains('<')
                {
                    nested.borrow_mut().push((offset, text));
                }
                Ok(())
            }))
            // Text inside an <a> belongs to the last <a> opened: the HTML parser never nests them.
            .append_element_content_handler(text!("a", |t| {
                if let Some(a) = found.borrow_mut().anchors.last_mut() {
                    a.text.push_str(t.as_str());
                }
                Ok(())
            }))
            .append_element_content_handler(text!("style", |t| {
                let mut block = style.borrow_mut();
                let (_, text) =
                    block.get_or_insert_with(|| (t.source_location().bytes().start, String::new()));
                text.push_str(t.as_str());
                if t.last_in_text_node()
                    && let Some((offset, text)) = block.take()
                {
                    css_refs(&text, offset, css::Context::Block, &mut found.borrow_mut());
                }
                Ok(())
            })),
        |_: &[u8]| {},
    );
    rewriter.write(html).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    drop(style);
    let mut scan = found.into_inner();
    if depth < MAX_NESTING {
        for (offset, doc) in nested.into_inner() {
            let inner = scan_nested(doc.as_bytes(), depth + 1)?;
            scan.refs.extend(inner.refs.into_iter().map(|mut r| {
                // Where the outer document holds it; a nested document has no lines of its own.
                r.offset = offset;
                r.extra_lines = 0;
                r.what = format!("{} (inside <noscript> or srcdoc)", r.what);
                r
            }));
            scan.css_errors
                .extend(inner.css_errors.into_iter().map(|(_, e)| (offset, e)));
        }
    }
    for a in &mut scan.anchors {
        a.text = decode(&a.text).trim().to_string();
    }
    Ok(scan)
}

fn decode(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

fn on_element(el: &mut Element, found: &mut Scan) {
    let tag = el.tag_name();
    let offset = el.source_location().bytes().start;
    let mut data_css = None;
    let mut push = |raw: &str, what: String, kind: Kind| {
        let value = decode(raw).trim().to_string();
        if value.is_empty() {
            return;
        }
        let raw = (value != raw.trim()).then(|| raw.trim().to_string());
        found.refs.push(Ref {
            value,
            raw,
            what,
            kind,
            offset,
            extra_lines: 0,
        });
    };
    for name in loading_attrs(&tag, el) {
        if let Some(v) = el.get_attribute(name) {
            if name.ends_with("srcset") {
                for url in srcset_urls(&v) {
                    push(url, format!("<{tag} {name}>"), Kind::Load);
                }
            } else {
                push(&v, format!("<{tag} {name}>"), Kind::Load);
            }
        }
    }
    match tag.as_str() {
        "link" => {
            let rel = el
                .get_attribute("rel")
                .unwrap_or_default()
                .to_ascii_lowercase();
            let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
            let kind = if rels.iter().any(|r| LOAD_RELS.contains(r)) {
                Kind::Load
            } else if rels.iter().any(|r| CONNECT_RELS.contains(r)) {
                Kind::Connect
            } else {
                Kind::Link
            };
            let what = format!("<link rel=\"{}\" href>", rels.join(" "));
            if let Some(v) = el.get_attribute("href") {
                push(&v, what, kind);
                // A stylesheet written into the page as a `data:` URL: what it imports counts.
                if kind == Kind::Load
                    && let Some(css_text) = data_url_text(decode(&v).trim())
                {
                    data_css = Some(css_text);
                }
            }
            if kind == Kind::Load
                && let Some(v) = el.get_attribute("imagesrcset")
            {
                for url in srcset_urls(&v) {
                    push(url, "<link imagesrcset>".into(), Kind::Load);
                }
            }
        }
        // A link, not a load: an `<a href>` to a blocked site is not a finding.
        "a" | "area" => {
            let href = el.get_attribute("href");
            if let Some(v) = &href {
                push(v, format!("<{tag} href>"), Kind::Link);
            }
            if tag == "a" {
                found.anchors.push(Anchor {
                    href: decode(href.as_deref().unwrap_or("")).trim().to_string(),
                    text: String::new(),
                    offset,
                });
            }
        }
        _ => {}
    }
    if let Some(css_text) = data_css {
        css_refs(&css_text, offset, css::Context::File, found);
    }
    if let Some(attr) = el.attributes().iter().find(|a| a.name() == "style") {
        let at = attr
            .value_source_location()
            .map_or(offset, |l| l.bytes().start);
        let css_text = decode(&attr.value());
        css_refs(&css_text, at, css::Context::Attribute, found);
    }
}

/// Whether a `<script type>` runs as JavaScript (no type, a JavaScript MIME type, `module`).
fn is_javascript(t: Option<&str>) -> bool {
    let Some(t) = t.map(|t| t.trim().to_ascii_lowercase()) else {
        return true;
    };
    t.is_empty()
        || t == "module"
        || matches!(
            t.split(';').next().unwrap_or("").trim(),
            "text/javascript"
                | "application/javascript"
                | "application/ecmascript"
                | "text/ecmascript"
        )
}

/// The URLs written in the string literals of an inline script (`'…'`, `"…"`, `` `…` ``):
/// absolute (`https://…`) or protocol-relative (`//host/…`).
fn script_refs(js: &str, offset: usize, found: &mut Scan) {
    let line_of = |at: usize| js[..at].matches('\n').count();
    for (at, lit) in string_literals(js) {
        for (i, _) in lit.match_indices("//") {
            let before = &lit[..i];
            let start = if before.ends_with("https:") {
                i - 6
            } else if before.ends_with("http:") {
                i - 5
            } else if before.is_empty()
                || before.ends_with(|c: char| c.is_whitespace() || c == '=' || c == '(')
            {
                i
            } else {
                continue;
            };
            let url: String = lit[start..]
                .chars()
                .take_while(|c| {
                    !c.is_whitespace() && !matches!(c, '\'' | '"' | '`' | '<' | '>' | ')')
                })
                .collect();
            let host = url.trim_start_matches("https:").trim_start_matches("http:");
            if host.len() > 2 && host[2..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                found.refs.push(Ref {
                    value: url.clone(),
                    raw: None,
                    what: "<script> string".into(),
                    kind: Kind::Script,
                    offset,
                    extra_lines: line_of(at),
                });
            }
        }
    }
}

/// The string literals of a piece of JavaScript with their byte offsets (escapes kept as
/// written; comments skipped).
fn string_literals(js: &str) -> Vec<(usize, &str)> {
    let b = js.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            q @ (b'\'' | b'"' | b'`') => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    if b[i.min(b.len() - 1)] == b'\n' && q != b'`' {
                        break;
                    }
                    i += 1;
                }
                let end = i.min(b.len());
                if let Some(lit) = js.get(start..end) {
                    out.push((start, lit));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The text of a `data:` URL (`data:text/css,…` percent-encoded or `;base64`), if it is one.
fn data_url_text(url: &str) -> Option<String> {
    let rest = url
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("data:"))
        .map(|_| &url[5..])?;
    let (meta, data) = rest.split_once(',')?;
    let bytes = if meta.to_ascii_lowercase().ends_with(";base64") {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .ok()?
    } else {
        percent_encoding::percent_decode_str(data).collect()
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Add the `url()`s and `@import`s of a piece of CSS that starts at byte `offset` of the page.
fn css_refs(text: &str, offset: usize, ctx: css::Context, found: &mut Scan) {
    match css::urls(text, ctx) {
        Ok(urls) => found.refs.extend(urls.into_iter().map(|u| Ref {
            what: match (ctx, u.import) {
                (_, true) => "<style> @import".into(),
                (css::Context::Block, false) => "<style> url()".into(),
                (css::Context::Attribute, false) => "style=\"…url()\"".into(),
                (css::Context::File, false) => "CSS url()".into(),
            },
            value: u.url,
            raw: None,
            kind: Kind::Load,
            offset,
            extra_lines: u.line.saturating_sub(1),
        })),
        Err(e) => found.css_errors.push((offset, e)),
    }
}

/// The URLs of a `srcset` (HTML's "parse a srcset attribute": candidates are separated by
/// commas, a URL ends at whitespace, a URL's own trailing commas are separators, and
/// descriptors run to the next comma outside parentheses).
pub fn srcset_urls(s: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        if i >= b.len() {
            return urls;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut url = &s[start..i];
        let had_comma = url.ends_with(',');
        url = url.trim_end_matches(',');
        if !url.is_empty() {
            urls.push(url);
        }
        if had_comma {
            continue;
        }
        // Skip the descriptors.
        let mut depth = 0usize;
        while i < b.len() {
            match b[i] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(html: &str) -> Vec<(String, String, Kind)> {
        scan(html.as_bytes())
            .unwrap()
            .refs
            .into_iter()
            .map(|r| (r.value, r.what, r.kind))
            .collect()
    }

    #[test]
    fn srcset_candidates() {
        assert_eq!(srcset_urls("a.jpg 1x, b.jpg 2x"), ["a.jpg", "b.jpg"]);
        assert_eq!(
            srcset_urls(" a.jpg, b.jpg 640w , c.jpg"),
            ["a.jpg", "b.jpg", "c.jpg"]
        );
        // A comma inside a URL belongs to it unless it ends the URL.
        assert_eq!(
            srcset_urls("a.jpg,b.jpg 640w,c.jpg"),
            ["a.jpg,b.jpg", "c.jpg"]
        );
        assert_eq!(
            srcset_urls("https://e.cn/x.jpg?a=1,2 1x"),
            ["https://e.cn/x.jpg?a=1,2"]
        );
        assert_eq!(
            srcset_urls("a.jpg (max-width: 1px, x) 1x, b.jpg"),
            ["a.jpg", "b.jpg"]
        );
        assert!(srcset_urls("  ").is_empty());
    }

    #[test]
    fn loads_links_and_connects() {
        let r = refs(concat!(
            "<link rel=\"Preconnect\" href=\"//a.cn\">",
            "<link rel=\"shortcut icon\" href=\"/f.ico\">",
            "<link rel=canonical href=\"/x/\">",
            "<a href=\"https://youtube.com/\">video</a>",
            "<input type=IMAGE src=\"b.png\"><input type=text src=\"no.png\">",
            "<video poster=\"p.jpg\"><source srcset=\"s1.jpg 1x, s2.jpg 2x\"></video>",
            "<object data=\"o.swf\"></object><svg><image href=\"i.png\"/></svg>",
        ));
        let v: Vec<(&str, Kind)> = r.iter().map(|(v, _, k)| (v.as_str(), *k)).collect();
        assert_eq!(
            v,
            [
                ("//a.cn", Kind::Connect),
                ("/f.ico", Kind::Load),
                ("/x/", Kind::Link),
                ("https://youtube.com/", Kind::Link),
                ("b.png", Kind::Load),
                ("p.jpg", Kind::Load),
                ("s1.jpg", Kind::Load),
                ("s2.jpg", Kind::Load),
                ("o.swf", Kind::Load),
                ("i.png", Kind::Load),
            ]
        );
    }

    #[test]
    fn entities_case_and_whitespace() {
        let r = refs("<IMG SRC=\" https:&#x2F;&#x2F;Fonts.GSTATIC.com/a.woff2?x=1&amp;y=2 \">");
        assert_eq!(r[0].0, "https://Fonts.GSTATIC.com/a.woff2?x=1&y=2");
        assert_eq!(r[0].1, "<img src>");
    }

    #[test]
    fn css_in_style_blocks_and_attributes() {
        let s = scan(
            "<p>x</p>\n<style>\n@import url(\"https://fonts.googleapis.com/css\");\nbody{background:url(/bg.png)}\n</style><div style=\"background-image:url(&quot;//unpkg.com/a.png&quot;)\"></div>"
                .as_bytes(),
        )
        .unwrap();
        let v: Vec<(&str, &str, usize)> = s
            .refs
            .iter()
            .map(|r| (r.value.as_str(), r.what.as_str(), r.extra_lines))
            .collect();
        assert_eq!(
            v,
            [
                ("https://fonts.googleapis.com/css", "<style> @import", 1),
                ("/bg.png", "<style> url()", 2),
                ("//unpkg.com/a.png", "style=\"…url()\"", 0),
            ]
        );
    }

    #[test]
    fn text_and_comments_are_not_references() {
        let r = refs(concat!(
            "<p>See https://www.youtube.com/ and fonts.googleapis.com</p>",
            "<!-- <script src=\"https://www.google-analytics.com/a.js\"></script> -->",
            "<pre>&lt;img src=\"https://gravatar.com/a.png\"&gt;</pre>",
            "<script type=\"application/ld+json\">{\"url\": \"https://twitter.com/x\"}</script>",
        ));
        assert!(r.is_empty(), "{r:?}");
    }

    #[test]
    fn urls_in_inline_script_strings_are_what_the_script_may_load() {
        let s = scan(
            concat!(
                "<script>var u = \"https://connect.facebook.net/sdk.js\"; // 'https://x.cn/in-a-comment'\n",
                "var t = `//cdn.jsdelivr.net/${v}/a.js`; var n = 'not a url: a//b';</script>",
            )
            .as_bytes(),
        )
        .unwrap();
        let urls: Vec<(&str, Kind)> = s.refs.iter().map(|r| (r.value.as_str(), r.kind)).collect();
        assert_eq!(
            urls,
            [
                ("https://connect.facebook.net/sdk.js", Kind::Script),
                ("//cdn.jsdelivr.net/${v}/a.js", Kind::Script)
            ]
        );
        assert_eq!(s.refs[1].extra_lines, 1);
    }

    #[test]
    fn anchor_text_with_nested_elements_and_entities() {
        let s = scan(
            "<a href=\"https://beian.miit.gov.cn/\" target=_blank> <span>浙ICP备</span>2024123456号&#45;1 </a><a href=/x>y</a>"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(s.anchors[0].href, "https://beian.miit.gov.cn/");
        assert_eq!(s.anchors[0].text, "浙ICP备2024123456号-1");
        assert_eq!(s.anchors[1].text, "y");
    }
}
