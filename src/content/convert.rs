//! Converting the text of a product or a page into another script (zh-CN → zh-HK): what a
//! buyer reads changes, nothing else — never a URL, a slug, a SKU, code, or an attribute other
//! than an image's `alt` and `title`.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::page::Page;
use super::product::Product;

/// A text conversion.
pub type Convert<'a> = &'a (dyn Fn(&str) -> String + Sync);

/// Markdown with the text of its paragraphs, headings, lists, tables, link texts and image
/// descriptions converted; code, URLs and raw HTML as written.
pub fn markdown(md: &str, f: Convert) -> String {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut code = 0usize;
    let mut autolink = 0usize;
    let parser = Parser::new_ext(md, Options::all()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented)) => {
                code += 1
            }
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type: pulldown_cmark::LinkType::Autolink | pulldown_cmark::LinkType::Email,
                ..
            }) => autolink += 1,
            Event::End(TagEnd::Link) if autolink > 0 => autolink -= 1,
            Event::Text(_) if code == 0 && autolink == 0 => ranges.push(range),
            _ => {}
        }
    }
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > md.len() {
            continue;
        }
        out.push_str(&md[at..r.start]);
        out.push_str(&f(&md[r.clone()]));
        at = r.end;
    }
    out.push_str(&md[at..]);
    out
}

/// The buyer-facing text of `p` converted: title, subtitle, description, badges, tags,
/// variant names and options (and the combinations', alike), specs, questions, the text
/// values of `extra`, and the detail story.
pub fn product(p: &mut Product, f: Convert) {
    let m = &mut p.meta;
    let one = |s: &mut String| *s = f(s);
    one(&mut m.title);
    for s in [&mut m.subtitle, &mut m.description].into_iter().flatten() {
        one(s);
    }
    m.badges.iter_mut().for_each(one);
    m.tags.iter_mut().for_each(one);
    for v in &mut m.variants {
        one(&mut v.name);
        v.options.iter_mut().for_each(one);
    }
    for s in &mut m.skus {
        s.options.iter_mut().for_each(one);
    }
    for s in &mut m.specs {
        one(&mut s.name);
        one(&mut s.value);
    }
    for q in &mut m.faq {
        one(&mut q.q);
        one(&mut q.a);
    }
    extra(&mut m.extra, f);
    p.body = markdown(&p.body, f);
}

/// A page's title, description, `extra` texts and body converted.
pub fn page(p: &mut Page, f: Convert) {
    p.meta.title = f(&p.meta.title);
    if let Some(d) = &mut p.meta.description {
        *d = f(d);
    }
    extra(&mut p.meta.extra, f);
    p.body = markdown(&p.body, f);
}

/// The text values of an `extra:` map (its keys are what templates read: they stay).
pub fn extra(map: &mut std::collections::BTreeMap<String, serde_json::Value>, f: Convert) {
    fn value(v: &mut serde_json::Value, f: Convert) {
        match v {
            serde_json::Value::String(s) => *s = f(s),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|v| value(v, f)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|v| value(v, f)),
            _ => {}
        }
    }
    map.values_mut().for_each(|v| value(v, f));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_is_converted() {
        let up = |s: &str| s.replace('钱', "錢");
        let md = "## 钱包\n\n一只[钱包](/products/qian-bao/)，`钱` 不变。\n\n![钱包正面](images/钱.jpg \"钱\")\n\n```\n钱\n```\n\n<https://钱.example.cn> <b title=\"钱\">钱</b>\n";
        let out = markdown(md, &up);
        assert_eq!(
            out,
            "## 錢包\n\n一只[錢包](/products/qian-bao/)，`钱` 不变。\n\n![錢包正面](images/钱.jpg \"钱\")\n\n```\n钱\n```\n\n<https://钱.example.cn> <b title=\"钱\">錢</b>\n"
        );
    }
}
