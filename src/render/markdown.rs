//! Markdown → HTML with pulldown-cmark: tables, strikethrough, footnotes, task lists,
//! heading ids, and image paths resolved against `static/`.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::util::slug::slugify;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Makes the markup of a photo from its path below `static/` and its alt text (`None`: not a
/// photo the site publishes as variants).
pub type Pictures<'a> = &'a (dyn Fn(&str, &str) -> Option<String> + Sync);

/// Render `md` to HTML. `base_path` is the site's root path (`/` or `/shop/`);
/// `cjk_spacing` puts spaces between Chinese and Latin letters or digits in the text; images
/// that `pictures` knows become its markup.
pub fn to_html(md: &str, base_path: &str, cjk_spacing: bool, pictures: Pictures) -> String {
    let mut events: Vec<Event> = Parser::new_ext(md, options()).collect();
    add_heading_ids(&mut events);
    if md.contains("![") {
        events = with_pictures(events, base_path, pictures);
    }
    let mut in_code = false;
    for ev in &mut events {
        match ev {
            Event::Start(Tag::Image { dest_url, .. }) => *dest_url = resolve(dest_url, base_path),
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if cjk_spacing && !in_code => {
                if let std::borrow::Cow::Owned(o) = crate::content::spacing::space(t) {
                    *t = CowStr::from(o);
                }
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// Each image `pictures` knows, from its start to its end event, as one piece of HTML.
/// Other images become a plain `<img>` that loads lazily (body images come below the fold).
fn with_pictures<'a>(
    events: Vec<Event<'a>>,
    base_path: &str,
    pictures: Pictures,
) -> Vec<Event<'a>> {
    use html_escape::encode_double_quoted_attribute as attr;
    let mut out = Vec::with_capacity(events.len());
    let mut it = events.into_iter();
    while let Some(ev) = it.next() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &ev
        else {
            out.push(ev);
            continue;
        };
        // The alt text is the text inside the image (its events end with the image's end).
        let mut alt = String::new();
        let mut depth = 1;
        for e in it.by_ref() {
            match &e {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                _ => {}
            }
        }
        let picture =
            crate::images::uses::local_path(dest_url).and_then(|rel| pictures(&rel, &alt));
        let html = picture.unwrap_or_else(|| {
            let mut h = format!(
                "<img loading=\"lazy\" decoding=\"async\" src=\"{}\" alt=\"{}\"",
                attr(&resolve(dest_url, base_path)),
                attr(&alt)
            );
            if !title.is_empty() {
                h.push_str(&format!(" title=\"{}\"", attr(title)));
            }
            h.push('>');
            h
        });
        out.push(Event::InlineHtml(CowStr::from(html)));
    }
    out
}

/// `images/a.jpg` → `/images/a.jpg` (under the base path); absolute URLs are left alone.
fn resolve<'a>(url: &CowStr<'a>, base_path: &str) -> CowStr<'a> {
    let u = url.as_ref();
    let external =
        u.contains("://") || u.starts_with("//") || u.starts_with("data:") || u.starts_with('#');
    if external || u.is_empty() {
        return url.clone();
    }
    let rel = u.trim_start_matches("./").trim_start_matches('/');
    let rel = rel.strip_prefix("static/").unwrap_or(rel);
    CowStr::from(format!("{base_path}{rel}"))
}

fn add_heading_ids(events: &mut [Event]) {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let mut slug = slugify(&text);
            if slug.is_empty() {
                slug = "section".into();
            }
            let n = used.entry(slug.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                slug = format!("{slug}-{}", *n - 1);
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(slug));
            }
            i = j;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gfm_features() {
        let h = to_html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1]\n\n[^1]: foot\n",
            "/",
            false,
            &|_, _| None,
        );
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains("<del>old</del>"), "{h}");
        assert!(h.contains("type=\"checkbox\""), "{h}");
        assert!(h.contains("footnote-definition"), "{h}");
    }

    #[test]
    fn heading_ids_pinyin_and_unique() {
        let h = to_html(
            "## 设计细节\n\n## 设计细节\n\n## Care {#care}\n",
            "/",
            false,
            &|_, _| None,
        );
        assert!(h.contains("<h2 id=\"she-ji-xi-jie\">"), "{h}");
        assert!(h.contains("<h2 id=\"she-ji-xi-jie-1\">"), "{h}");
        assert!(h.contains("<h2 id=\"care\">"), "{h}");
    }

    #[test]
    fn images_resolve_against_static() {
        let h = to_html(
            "![a](images/x.svg) ![b](./static/images/y.svg) ![c](https://e.cn/z.png)",
            "/shop/",
            false,
            &|_, _| None,
        );
        assert!(h.contains("src=\"/shop/images/x.svg\""), "{h}");
        assert!(h.contains("src=\"/shop/images/y.svg\""), "{h}");
        assert!(h.contains("src=\"https://e.cn/z.png\""), "{h}");
        assert!(h.contains("loading=\"lazy\""), "{h}");
    }

    #[test]
    fn cjk_spacing_in_text_not_in_code() {
        let h = to_html(
            "花了5000元买iPhone\n\n`a中b`\n\n```\n中x\n```\n",
            "/",
            true,
            &|_, _| None,
        );
        assert!(h.contains("花了 5000 元买 iPhone"), "{h}");
        assert!(h.contains("<code>a中b</code>"), "{h}");
        assert!(h.contains("中x\n"), "{h}");
    }
}
