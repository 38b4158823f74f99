//! CJK–Latin spacing ("pangu" convention): a space between Chinese characters and Latin
//! letters or digits (`花了5000元` → `花了 5000 元`), none next to punctuation.
//! Done at build time because CSS `text-autospace` is far newer than WeChat's browser.

use std::borrow::Cow;

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'   // radicals
        | '\u{3040}'..='\u{30FF}' // kana
        | '\u{3100}'..='\u{312F}' // bopomofo
        | '\u{3400}'..='\u{4DBF}' // ext A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{20000}'..='\u{2FA1F}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Insert spaces between CJK characters and Latin letters/digits.
pub fn space(text: &str) -> Cow<'_, str> {
    let mut prev: Option<char> = None;
    let needs = text.chars().any(|c| {
        let hit = prev.is_some_and(|p| (is_cjk(p) && is_latin(c)) || (is_latin(p) && is_cjk(c)));
        prev = Some(c);
        hit
    });
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = prev
            && ((is_cjk(p) && is_latin(c)) || (is_latin(p) && is_cjk(c)))
        {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_between_cjk_and_latin() {
        assert_eq!(space("在LeanCloud上"), "在 LeanCloud 上");
        assert_eq!(space("花了5000元"), "花了 5000 元");
        assert_eq!(space("14英寸笔记本"), "14 英寸笔记本");
        assert_eq!(space("iPhone手机壳"), "iPhone 手机壳");
    }

    #[test]
    fn leaves_punctuation_and_existing_spaces() {
        assert_eq!(space("价格：1299元"), "价格：1299 元");
        assert_eq!(space("真皮（Leather）"), "真皮（Leather）");
        assert_eq!(space("在 LeanCloud 上"), "在 LeanCloud 上");
        assert_eq!(space("100%纯棉"), "100%纯棉");
        assert!(matches!(space("纯中文"), Cow::Borrowed(_)));
        assert!(matches!(space("plain text"), Cow::Borrowed(_)));
    }
}
