//! Markdown → HTML with pulldown-cmark: tables, strikethrough, footnotes, task lists,
//! heading ids, and image paths resolved against `static/`.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::content::slug::slugify;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Render `md` to HTML. `base_path` is the site's root path (`/` or `/shop/`).
pub fn to_html(md: &str, base_path: &str) -> String {
    let mut events: Vec<Event> = Parser::new_ext(md, options()).collect();
    add_heading_ids(&mut events);
    for ev in &mut events {
        if let Event::Start(Tag::Image { dest_url, .. }) = ev {
            *dest_url = resolve(dest_url, base_path);
        }
    }
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    // Body images come below the fold: let the browser load them lazily.
    if out.contains("<img ") {
        out = out.replace("<img ", "<img loading=\"lazy\" decoding=\"async\" ");
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
        );
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains("<del>old</del>"), "{h}");
        assert!(h.contains("type=\"checkbox\""), "{h}");
        assert!(h.contains("footnote-definition"), "{h}");
    }

    #[test]
    fn heading_ids_pinyin_and_unique() {
        let h = to_html("## 设计细节\n\n## 设计细节\n\n## Care {#care}\n", "/");
        assert!(h.contains("<h2 id=\"she-ji-xi-jie\">"), "{h}");
        assert!(h.contains("<h2 id=\"she-ji-xi-jie-1\">"), "{h}");
        assert!(h.contains("<h2 id=\"care\">"), "{h}");
    }

    #[test]
    fn images_resolve_against_static() {
        let h = to_html(
            "![a](images/x.svg) ![b](./static/images/y.svg) ![c](https://e.cn/z.png)",
            "/shop/",
        );
        assert!(h.contains("src=\"/shop/images/x.svg\""), "{h}");
        assert!(h.contains("src=\"/shop/images/y.svg\""), "{h}");
        assert!(h.contains("src=\"https://e.cn/z.png\""), "{h}");
        assert!(h.contains("loading=\"lazy\""), "{h}");
    }
}
