//! `simplified-text` (warning): a Hong Kong Traditional page whose text still has characters
//! only Simplified Chinese writes — a zh-HK translation typed in Simplified, or a template's
//! own words. Only what conversion would touch is looked at: the text of the page and its
//! `alt` and `title` attributes, not scripts, styles or code.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use lol_html::{HtmlRewriter, Settings, doc_text, element};

use crate::config::{Config, Language};
use crate::rules::hant::{is_han, simplified_in};

/// The Simplified characters of one piece of text.
pub struct Simplified {
    /// Byte offset in the page of the text or of the element whose attribute it is.
    pub offset: usize,
    /// The characters, in order, each once.
    pub chars: String,
    /// The run of Chinese text around the first one, as written, to find it in the sources.
    pub snippet: String,
}

/// Whether output file `rel` is a Hong Kong Traditional page of `config`'s site.
pub fn is_hong_kong(config: &Config, rel: &str) -> bool {
    if config.language == Language::ZhHk {
        return !config
            .languages
            .values()
            .any(|l| rel.starts_with(&format!("{}/", l.path)));
    }
    config
        .languages
        .get(&Language::ZhHk)
        .is_some_and(|l| rel.starts_with(&format!("{}/", l.path)))
}

/// What still reads as Simplified in `html`, in document order, at most `limit` pieces.
pub fn scan(html: &[u8], limit: usize) -> Result<Vec<Simplified>, String> {
    let found: RefCell<Vec<Simplified>> = RefCell::new(Vec::new());
    // Inside script, style or code: text that is not converted (a count, as they nest).
    let skip = Rc::new(Cell::new(0usize));
    let push = |offset: usize, text: &str| {
        let mut found = found.borrow_mut();
        if found.len() >= limit {
            return;
        }
        let hits = simplified_in(text, 8);
        let Some(&(first, _)) = hits.first() else {
            return;
        };
        let mut chars = String::new();
        for (_, c) in &hits {
            if !chars.contains(*c) {
                chars.push(*c);
            }
        }
        found.push(Simplified {
            offset,
            chars,
            snippet: han_run(text, first),
        });
    };
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!(
                "script, style, code, pre, kbd, samp, textarea, [lang]",
                |el| {
                    // Text marked as another language (the switcher's 简体中文, a mainland
                    // filing number) is as it should be.
                    let other = el.get_attribute("lang").is_some_and(|l| {
                        let l = l.to_ascii_lowercase();
                        !(l == "zh-hk" || l.starts_with("zh-hant"))
                    });
                    let code = !matches!(el.tag_name().as_str(), "html" | "body")
                        && el.get_attribute("lang").is_none();
                    if !(other || code) {
                        return Ok(());
                    }
                    let skip = skip.clone();
                    skip.set(skip.get() + 1);
                    if let Some(handlers) = el.end_tag_handlers() {
                        handlers.push(Box::new(move |_: &mut lol_html::html_content::EndTag<'_>| {
                            skip.set(skip.get().saturating_sub(1));
                            Ok(())
                        }) as _);
                    }
                    Ok(())
                }
            ))
            .append_element_content_handler(element!("[alt], [title]", |el| {
                if skip.get() > 0 {
                    return Ok(());
                }
                let offset = el.source_location().bytes().start;
                for name in ["alt", "title"] {
                    if let Some(v) = el.get_attribute(name) {
                        push(offset, &v);
                    }
                }
                Ok(())
            }))
            .append_document_content_handler(doc_text!(|t| {
                if skip.get() == 0 {
                    push(t.source_location().bytes().start, t.as_str());
                }
                Ok(())
            })),
        |_: &[u8]| {},
    );
    rewriter.write(html).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    Ok(found.into_inner())
}

/// The Chinese text (ideographs and the punctuation between them) around byte `at` of `text`.
fn han_run(text: &str, at: usize) -> String {
    let part = |c: char| is_han(c) || ('\u{3000}'..='\u{303f}').contains(&c) || c == '，';
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| part(*c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .find(|(_, c)| !part(*c))
        .map_or(text.len(), |(i, _)| at + i);
    text[start..end].chars().take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_alt_not_code() {
        let html = "<p>真皮錢包</p>\n<p>这是钱包</p><img alt=\"黑色钱包\" src=a.jpg>\
                    <code>钱包</code><script>var a = \"这\";</script><p title=\"說明\">好</p>\
                    <a lang=\"zh-Hans-CN\" title=\"简体\">简体中文</a><b lang=\"zh-HK\">为</b>";
        let found = scan(html.as_bytes(), 10).unwrap();
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|s| (s.chars.as_str(), s.snippet.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![("这钱", "这是钱包"), ("钱", "黑色钱包"), ("为", "为")]
        );
        assert_eq!(&html[found[0].offset..found[0].offset + 3], "这");
    }

    #[test]
    fn a_run_stops_at_other_text() {
        let t = "SKU SC-1 这只包，很好 ok";
        assert_eq!(han_run(t, t.find('这').unwrap()), "这只包，很好");
    }
}
