//! Absolute terms (极限词) that the Advertising Law bans in ads (广告法 art. 9(3):
//! 国家级、最高级、最佳 …), which regulators and shop platforms extend to every absolute claim
//! (最, 第一, 唯一, 顶级, 全网最低价 …); fines are RMB 200,000–1,000,000. One table; add a
//! row to extend it.
//!
//! Matching is leftmost-longest over the text, ASCII case ignored. Words that merely contain a
//! term but are no claim (最近 "recently", 第一次 "the first time") are listed as exceptions.

/// One banned or risky term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdTerm {
    /// The term; ASCII letters lowercase.
    pub term: &'static str,
    /// Why it is risky.
    pub why: &'static str,
}

const SUPERLATIVE: &str = "a superlative (最…), banned by 广告法 art. 9(3)";
const RANKING: &str = "a ranking claim, banned by 广告法 art. 9(3)";
const GRADE: &str = "a grade claim (…级), banned by 广告法 art. 9(3)";
const ABSOLUTE: &str = "an absolute claim, treated as banned under 广告法 art. 9(3)";

/// The terms. `最` and `第一` alone catch every 最…/第一… form not listed more precisely.
pub const AD_TERMS: &[AdTerm] = &[
    AdTerm {
        term: "全网最低价",
        why: SUPERLATIVE,
    },
    AdTerm {
        term: "全网最低",
        why: SUPERLATIVE,
    },
    AdTerm {
        term: "最高级",
        why: SUPERLATIVE,
    },
    AdTerm {
        term: "最佳",
        why: SUPERLATIVE,
    },
    AdTerm {
        term: "最",
        why: SUPERLATIVE,
    },
    AdTerm {
        term: "第一",
        why: RANKING,
    },
    AdTerm {
        term: "no.1",
        why: RANKING,
    },
    AdTerm {
        term: "top1",
        why: RANKING,
    },
    AdTerm {
        term: "销量冠军",
        why: RANKING,
    },
    AdTerm {
        term: "首选",
        why: RANKING,
    },
    AdTerm {
        term: "首个",
        why: RANKING,
    },
    AdTerm {
        term: "国家级",
        why: GRADE,
    },
    AdTerm {
        term: "世界级",
        why: GRADE,
    },
    AdTerm {
        term: "全球级",
        why: GRADE,
    },
    AdTerm {
        term: "宇宙级",
        why: GRADE,
    },
    AdTerm {
        term: "顶级",
        why: GRADE,
    },
    AdTerm {
        term: "顶尖",
        why: ABSOLUTE,
    },
    AdTerm {
        term: "唯一",
        why: ABSOLUTE,
    },
    AdTerm {
        term: "独一无二",
        why: ABSOLUTE,
    },
    AdTerm {
        term: "极品",
        why: ABSOLUTE,
    },
    AdTerm {
        term: "极致",
        why: ABSOLUTE,
    },
    AdTerm {
        term: "万能",
        why: ABSOLUTE,
    },
    AdTerm {
        term: "无敌",
        why: ABSOLUTE,
    },
    AdTerm {
        term: "史无前例",
        why: ABSOLUTE,
    },
    AdTerm {
        term: "王牌",
        why: ABSOLUTE,
    },
];

/// Ordinary words that start like a term but claim nothing.
pub const EXCEPTIONS: &[&str] = &[
    "最近",
    "最后",
    "最初",
    "最终",
    "第一次",
    "第一步",
    "第一天",
    "第一眼",
    "第一时间",
];

/// A term found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset of the match in the text.
    pub offset: usize,
    /// The words as written: the term, and for the one-character `最` the character after it.
    pub text: String,
    pub term: &'static AdTerm,
}

/// Every term in `text`, left to right, never overlapping.
pub fn find(text: &str) -> Vec<Hit> {
    let lower = text.to_ascii_lowercase(); // same byte offsets as `text`
    let mut hits = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let rest = &lower[i..];
        let step = rest.chars().next().map_or(1, char::len_utf8);
        if let Some(e) = EXCEPTIONS.iter().find(|e| rest.starts_with(**e)) {
            i += e.len();
            continue;
        }
        let best = AD_TERMS
            .iter()
            .filter(|t| rest.starts_with(t.term))
            .max_by_key(|t| t.term.len());
        match best {
            Some(t) => {
                let mut end = i + t.term.len();
                if t.term.chars().count() == 1 {
                    end += lower[end..].chars().next().map_or(0, char::len_utf8);
                }
                hits.push(Hit {
                    offset: i,
                    text: text[i..end].to_string(),
                    term: t,
                });
                i += t.term.len();
            }
            None => i += step,
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        find(s).into_iter().map(|h| h.text).collect()
    }

    #[test]
    fn finds_terms_longest_first() {
        assert_eq!(words("全网最低价，品质最佳"), ["全网最低价", "最佳"]);
        assert_eq!(words("销量第一的顶级皮具"), ["第一", "顶级"]);
        assert_eq!(words("国家级工艺，独一无二"), ["国家级", "独一无二"]);
        assert_eq!(words("最好的包"), ["最好"]);
        assert_eq!(words("极品万能包"), ["极品", "万能"]);
        assert_eq!(words("唯一"), ["唯一"]);
    }

    #[test]
    fn ascii_case_is_ignored_and_text_kept() {
        assert_eq!(words("销量 No.1 的托特包"), ["No.1"]);
        assert_eq!(words("TOP1 好物"), ["TOP1"]);
    }

    #[test]
    fn ordinary_words_are_not_claims() {
        assert!(words("最近上新，最后一批，第一次买皮具？第一时间发货").is_empty());
        assert!(words("真皮托特包，意大利植鞣牛皮").is_empty());
        assert!(words("").is_empty());
    }

    #[test]
    fn offsets_point_at_the_term() {
        let s = "植鞣皮，最耐用";
        let h = &find(s)[0];
        assert_eq!(&s[h.offset..], "最耐用");
        assert_eq!(h.text, "最耐");
        assert_eq!(h.term.why, SUPERLATIVE);
    }
}
