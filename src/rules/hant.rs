//! Hong Kong Traditional Chinese from Simplified: OpenCC's tables (through zhconv, built
//! without the GPL MediaWiki tables) with the site's glossary on top. Text only: the callers
//! decide what is text (never URLs, slugs, SKUs or code).

use zhconv::{Variant, ZhConverter, ZhConverterBuilder, get_builtin_converter};

/// The converter to Hong Kong Traditional, with a site's own word choices.
pub struct Hant {
    glossary: Option<ZhConverter>,
}

impl Hant {
    /// `glossary`: Simplified word → the Hong Kong word to write instead (it wins over the
    /// tables, longest match first).
    pub fn new(glossary: &[(String, String)]) -> Hant {
        let glossary = (!glossary.is_empty()).then(|| {
            ZhConverterBuilder::targeted(Variant::ZhHK)
                .conv_pairs(
                    glossary
                        .iter()
                        .filter(|(from, _)| !from.is_empty())
                        .map(|(f, t)| (f.clone(), t.clone())),
                )
                .build()
        });
        Hant { glossary }
    }

    /// `text` in Hong Kong Traditional.
    pub fn convert(&self, text: &str) -> String {
        if !text.chars().any(is_han) {
            return text.to_string();
        }
        let builtin = get_builtin_converter(Variant::ZhHK);
        match &self.glossary {
            Some(g) => builtin.convert_with_secondary_converter(text, g),
            None => builtin.convert(text),
        }
    }
}

/// A CJK ideograph (the ranges text conversion can change).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// Where `text` still reads as Simplified: its Simplified-only characters (those Traditional
/// Chinese and Hong Kong Traditional both write otherwise and Simplified Chinese writes as
/// they are, so 钱 and 为, but neither 了 nor 台, nor the Taiwan form 稅, nor the Hong Kong form
/// 税), with their byte offsets; at most `limit`.
pub fn simplified_in(text: &str, limit: usize) -> Vec<(usize, char)> {
    text.char_indices()
        .filter(|(_, c)| is_han(*c) && simplified_only(*c))
        .take(limit)
        .collect()
}

fn simplified_only(c: char) -> bool {
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<char, bool>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    KNOWN.with(|k| {
        *k.borrow_mut().entry(c).or_insert_with(|| {
            let one = c.to_string();
            let changes = |v: Variant| get_builtin_converter(v).convert(&one) != one;
            changes(Variant::ZhHant) && changes(Variant::ZhHK) && !changes(Variant::ZhHans)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_becomes_hong_kong_traditional() {
        let h = Hant::new(&[]);
        assert_eq!(h.convert("真皮钱包"), "真皮錢包");
        assert_eq!(h.convert("这只托特包里面有隔层"), "這隻托特包裏面有隔層");
        // Nothing to convert: the same text.
        assert_eq!(h.convert("SC-W-1001 leather"), "SC-W-1001 leather");
    }

    #[test]
    fn the_glossary_wins() {
        let h = Hant::new(&[
            ("顺丰".into(), "順豐".into()),
            ("钱包".into(), "銀包".into()),
        ]);
        assert_eq!(h.convert("顺丰包邮的钱包"), "順豐包郵的銀包");
    }

    #[test]
    fn simplified_characters_are_found() {
        assert_eq!(simplified_in("真皮錢包", 5), vec![]);
        assert_eq!(simplified_in("真皮钱包", 5), vec![(6, '钱')]);
        assert_eq!(simplified_in("A 钱 B 这", 1).len(), 1);
        // Words the converter would choose otherwise are not Simplified.
        assert_eq!(
            simplified_in("了解更多，說明，税項，稅項，港澳台，皇后", 5),
            vec![]
        );
        assert_eq!(simplified_in("为什么", 5), vec![(0, '为'), (6, '么')]);
    }
}
