//! The tokenizer: the one set of rules the index is built with and a query is read with.
//! `themes/meigong/assets/js/search.js` mirrors [`query`], [`key`] and [`bucket`] in the
//! browser; `tests/search_tokens.rs` runs both over the same table of strings.
//!
//! - Text is normalised first: full-width ASCII becomes ASCII (`Ｔｏｔｅ` → `tote`), the
//!   ideographic space a space, letters lowercase, and Chinese characters fold to Simplified
//!   (`錢包` → `钱包`).
//! - Latin words (ASCII letters and digits, and the Latin-1 and Latin Extended letters) are
//!   tokens; a query word of two letters or more matches every word it begins.
//! - A run of Chinese (and Japanese or Korean) characters gives its bigrams, and its single
//!   characters outside the body text, so one- and two-character queries both work; a query
//!   of two characters or more is read as its bigrams, all of which must match.
//! - A code of letters and digits joined by `-`, `_`, `.` or `/` (`SC-W-1001-BK`) is also one
//!   exact token, so a SKU finds its product and nothing else.
//! - A title's Chinese is also indexed as pinyin, whole and as initials, from each syllable
//!   on (`真皮托特包` → `zhenpituotebao` … `tuotebao` … and `zpttb` … `ttb`), so `tuote`,
//!   `tuo te` and `zpttb` find it.

use super::fold::fold;
use crate::util::slug::slugify;

/// What a token is, which decides how a query matches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A Latin word: matched exactly, or by prefix from two letters on.
    Word,
    /// One or two Chinese characters: matched exactly.
    Cjk,
    /// A code such as a SKU: matched exactly; stored with a leading `#`.
    Sku,
}

/// One token of a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
}

impl Token {
    /// The term the index stores: the text, with `#` before a code.
    pub fn term(&self) -> String {
        match self.kind {
            Kind::Sku => format!("#{}", self.text),
            _ => self.text.clone(),
        }
    }
}

/// Where a text comes from, which decides its weight in the ranking and what is indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The body text: bigrams and words only.
    Body = 0,
    /// Subtitle, description, badges, specifications.
    Text = 1,
    /// Category, tags, SKU.
    Taxonomy = 2,
    /// The title: also its pinyin.
    Title = 3,
}

/// Characters that join the parts of a code (`SC-W-1001`, `v2.1`, `A4/B5`).
const JOINERS: [char; 4] = ['-', '_', '.', '/'];

/// How many pinyin syllables one pinyin token holds at most.
const PINYIN_SPAN: usize = 8;

/// Chinese, Japanese kana and Korean syllables: each character is a token of its own.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A character of a Latin word (after lowercasing).
fn is_word(c: char) -> bool {
    c.is_ascii_lowercase()
        || c.is_ascii_digit()
        || (matches!(c as u32, 0xDF..=0x24F) && c != '\u{F7}')
}

/// The text as the tokenizer reads it: full-width forms narrowed, lowercase, folded.
pub fn normalize(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let c = match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ => c,
        };
        if is_cjk(c) {
            out.push(fold(c));
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The pieces of a normalised text, in order.
enum Piece<'a> {
    /// A run of Chinese characters.
    Cjk(&'a [char]),
    /// A run of word characters and joiners, joiners trimmed from its ends.
    Chunk(&'a [char]),
}

fn pieces(s: &[char], mut each: impl FnMut(Piece)) {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let start = i;
        if is_cjk(c) {
            while i < s.len() && is_cjk(s[i]) {
                i += 1;
            }
            each(Piece::Cjk(&s[start..i]));
        } else if is_word(c) || JOINERS.contains(&c) {
            while i < s.len() && (is_word(s[i]) || JOINERS.contains(&s[i])) {
                i += 1;
            }
            let mut run = &s[start..i];
            while let [first, rest @ ..] = run
                && JOINERS.contains(first)
            {
                run = rest;
            }
            while let [rest @ .., last] = run
                && JOINERS.contains(last)
            {
                run = rest;
            }
            if !run.is_empty() {
                each(Piece::Chunk(run));
            }
        } else {
            i += 1;
        }
    }
}

/// The code a chunk is, if it is one: ASCII letters and digits with a digit, in parts joined.
fn code(chunk: &[char]) -> Option<String> {
    let joined = chunk.iter().any(|c| JOINERS.contains(c));
    let digit = chunk.iter().any(char::is_ascii_digit);
    let ascii = chunk.iter().all(char::is_ascii);
    (joined && digit && ascii).then(|| chunk.iter().collect())
}

/// The words of a chunk, split at its joiners.
fn words(chunk: &[char], mut each: impl FnMut(String)) {
    for w in chunk.split(|c| JOINERS.contains(c)) {
        if !w.is_empty() {
            each(w.iter().collect());
        }
    }
}

/// The tokens a query is read as, each once, in order: its words, its codes (not their parts:
/// the browser falls back to the parts when the index has no such code), its single Chinese
/// characters where a run is one character long, and the bigrams of longer runs.
pub fn query(text: &str) -> Vec<Token> {
    let s = normalize(text);
    let mut out: Vec<Token> = Vec::new();
    let mut push = |kind: Kind, text: String| {
        let t = Token { kind, text };
        if !out.contains(&t) {
            out.push(t);
        }
    };
    pieces(&s, |p| match p {
        Piece::Cjk(run) if run.len() == 1 => push(Kind::Cjk, run[0].to_string()),
        Piece::Cjk(run) => {
            for pair in run.windows(2) {
                push(Kind::Cjk, pair.iter().collect());
            }
        }
        Piece::Chunk(chunk) => match code(chunk) {
            Some(code) => push(Kind::Sku, code),
            None => words(chunk, |w| push(Kind::Word, w)),
        },
    });
    out
}

/// Every term of `text` as the index holds it for `field` (repeats included): words, Chinese
/// bigrams (and single characters outside the body), codes with their `#`, title pinyin.
/// Each term is lent to `each` from one buffer, so indexing allocates only for new terms.
pub fn index(text: &str, field: Field, mut each: impl FnMut(&str)) {
    let s = normalize(text);
    let mut buf = String::new();
    pieces(&s, |p| match p {
        Piece::Cjk(run) => {
            if field != Field::Body {
                for &c in run {
                    buf.clear();
                    buf.push(c);
                    each(&buf);
                }
            }
            for pair in run.windows(2) {
                buf.clear();
                buf.extend(pair);
                each(&buf);
            }
            if field == Field::Title {
                pinyin(run, &mut |t: Token| each(&t.text));
            }
        }
        Piece::Chunk(chunk) => {
            if field != Field::Body
                && let Some(code) = code(chunk)
            {
                buf.clear();
                buf.push('#');
                buf.push_str(&code);
                each(&buf);
            }
            for w in chunk.split(|c| JOINERS.contains(c)) {
                if !w.is_empty() {
                    buf.clear();
                    buf.extend(w);
                    each(&buf);
                }
            }
        }
    });
}

/// The pinyin tokens of a run of Chinese characters: from each syllable on, the syllables
/// written together and their initials (two letters or more).
fn pinyin(run: &[char], each: &mut impl FnMut(Token)) {
    let text: String = run.iter().collect();
    let slug = slugify(&text);
    let syllables: Vec<&str> = slug.split('-').filter(|s| !s.is_empty()).collect();
    for i in 0..syllables.len() {
        let span = &syllables[i..(i + PINYIN_SPAN).min(syllables.len())];
        each(Token {
            kind: Kind::Word,
            text: span.concat(),
        });
        if span.len() >= 2 {
            each(Token {
                kind: Kind::Word,
                text: span.iter().filter_map(|s| s.chars().next()).collect(),
            });
        }
    }
}

/// The shard key of an index term: a Latin word's first two letters (so a prefix query finds
/// every word it begins in one shard), the whole term otherwise.
pub fn key(term: &str) -> &str {
    let mut cs = term.char_indices();
    match cs.next() {
        Some((_, c)) if c == '#' || is_cjk(c) => term,
        Some(_) => match cs.nth(1) {
            Some((end, _)) => &term[..end],
            None => term,
        },
        None => term,
    }
}

/// Which of `n` shards holds the terms of `key`: [`key_hash`] modulo `n`.
pub fn bucket(key: &str, n: usize) -> usize {
    (key_hash(key) as usize) % n.max(1)
}

/// FNV-1a over the code points of a shard key.
pub fn key_hash(key: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in key.chars() {
        h = (h ^ c as u32).wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<String> {
        query(text).iter().map(Token::term).collect()
    }

    #[test]
    fn queries() {
        assert_eq!(q("托特"), ["托特"]);
        assert_eq!(q("托特包"), ["托特", "特包"]);
        assert_eq!(q("包"), ["包"]);
        assert_eq!(q("錢包"), ["钱包"]);
        assert_eq!(q("Ｔｏｔｅ　Bag!"), ["tote", "bag"]);
        assert_eq!(q("SC-W-1001-BK"), ["#sc-w-1001-bk"]);
        assert_eq!(q("t-shirt"), ["t", "shirt"]);
        assert_eq!(q("tote 托特 tote"), ["tote", "托特"]);
        assert_eq!(q("🎁礼盒😀"), ["礼盒"]);
        assert!(q("!!! ... ").is_empty());
    }

    #[test]
    fn titles_index_pinyin() {
        let mut terms = Vec::new();
        index("真皮托特包", Field::Title, |t| {
            terms.push(t.to_string())
        });
        for t in [
            "真",
            "真皮",
            "特包",
            "zhenpituotebao",
            "tuotebao",
            "zpttb",
            "ttb",
        ] {
            assert!(terms.contains(&t.to_string()), "{t} in {terms:?}");
        }
        let mut body = Vec::new();
        index("真皮托特包", Field::Body, |t| body.push(t.to_string()));
        assert!(!body.contains(&"真".to_string()) && body.contains(&"真皮".to_string()));
        assert!(!body.iter().any(|t| t == "tuotebao"));
    }

    #[test]
    fn keys_and_buckets() {
        assert_eq!(key("tuotebao"), "tu");
        assert_eq!(key("t"), "t");
        assert_eq!(key("托特"), "托特");
        assert_eq!(key("#sc-1"), "#sc-1");
        assert_eq!(key("é"), "é");
        assert!(bucket("tu", 64) < 64);
        assert_eq!(bucket("tu", 1), 0);
    }
}
