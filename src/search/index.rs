//! The index: each document's terms with the weight of the best field they appear in, and
//! the shards the browser downloads. A term lives in the shard its [`key`] hashes to, so a
//! query fetches only the shards of its own tokens, and a shard's bytes change only when one
//! of its terms' postings changed.
//!
//! A shard is a JSON object from term to postings. Each posting is one integer:
//! `(document id − previous document id) × 4 + field class` (`Field`: 3 title, 2 category /
//! tags / SKU, 1 subtitle / description, 0 body), ascending by document.

use std::collections::BTreeSet;
use std::fmt::Write;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::tokens::{self, Field, is_cjk, key, key_hash};

/// The distinct terms of one document and the best field class each appears in, packed in
/// one string (a large shop has millions of them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    text: String,
    /// End of each term in `text`, its class and the hash of its shard key; sorted by term.
    items: Vec<(u32, u8, u32)>,
}

impl Terms {
    /// Each term and its class, in term order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.entries().map(|(t, class, _)| (t, class))
    }
    /// Each term, its class and its key's hash (its shard is the hash modulo the count).
    fn entries(&self) -> impl Iterator<Item = (&str, u8, u32)> {
        let mut start = 0;
        self.items.iter().map(move |&(end, class, hash)| {
            let t = &self.text[start..end as usize];
            start = end as usize;
            (t, class, hash)
        })
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// How many postings a shard holds on average at most (about 20 KB of JSON).
const POSTINGS_PER_SHARD: usize = 6_000;

/// The terms of a document made of `fields`.
pub fn terms(fields: &[(Field, &str)]) -> Terms {
    let mut best: FxHashMap<String, u8> = FxHashMap::default();
    for &(field, text) in fields {
        let class = field as u8;
        tokens::index(text, field, |term| match best.get_mut(term) {
            Some(c) => *c = (*c).max(class),
            None => {
                best.insert(term.to_string(), class);
            }
        });
    }
    let mut all: Vec<(String, u8)> = best.into_iter().collect();
    all.sort_unstable();
    let mut out = Terms {
        text: String::with_capacity(all.iter().map(|(t, _)| t.len()).sum()),
        items: Vec::with_capacity(all.len()),
    };
    for (t, class) in all {
        out.text.push_str(&t);
        out.items
            .push((out.text.len() as u32, class, key_hash(key(&t))));
    }
    out
}

/// The shards of an index.
pub struct Shards {
    /// One JSON object per shard, in shard order.
    pub files: Vec<String>,
    /// The Chinese characters each shard's terms hold (the browser folds only to these).
    chars: Vec<BTreeSet<char>>,
    /// How many postings in all.
    pub postings: usize,
}

impl Shards {
    /// The Chinese characters the index's terms hold.
    pub fn chars(&self) -> BTreeSet<char> {
        self.chars.iter().flatten().copied().collect()
    }
}

/// How many shards an index of `postings` postings is cut into: a power of two, so it changes
/// only when the index doubles or halves.
pub fn shard_count(postings: usize) -> usize {
    postings
        .div_ceil(POSTINGS_PER_SHARD)
        .max(1)
        .next_power_of_two()
}

/// One shard's JSON from its `(term, document, class)` entries.
fn encode(mut entries: Vec<(&str, u32, u8)>) -> (String, BTreeSet<char>) {
    entries.sort_unstable();
    let mut json = String::with_capacity(entries.len() * 4 + 2);
    let mut chars = BTreeSet::new();
    json.push('{');
    let mut last: Option<&str> = None;
    let mut prev = 0u32;
    for (term, id, class) in entries {
        if last != Some(term) {
            if last.is_some() {
                json.push_str("],");
            }
            // Terms hold letters, digits, joiners, `#` and CJK: nothing to escape.
            json.push('"');
            json.push_str(term);
            json.push_str("\":[");
            chars.extend(term.chars().filter(|&c| is_cjk(c)));
            last = Some(term);
            prev = 0;
        } else {
            json.push(',');
        }
        let _ = write!(json, "{}", (u64::from(id - prev) << 2) | u64::from(class));
        prev = id;
    }
    if last.is_some() {
        json.push(']');
    }
    json.push('}');
    (json, chars)
}

/// Cut the terms of `docs` (document `i` is `docs[i]`) into shards.
pub fn shards(docs: &[&Terms]) -> Shards {
    let postings: usize = docs.iter().map(|d| d.len()).sum();
    let n = shard_count(postings);
    // Each document's terms, by shard; then every shard on its own core.
    let mut by_shard: Vec<Vec<(&str, u32, u8)>> = vec![Vec::new(); n];
    for (id, doc) in docs.iter().enumerate() {
        for (term, class, hash) in doc.entries() {
            by_shard[hash as usize % n].push((term, id as u32, class));
        }
    }
    let (files, chars) = by_shard.into_par_iter().map(encode).unzip();
    Shards {
        files,
        chars,
        postings,
    }
}

/// The shards a document's edit touches: those of the terms (with their class) that one of
/// `old` and `new` has and the other has not.
pub fn touched(old: &Terms, new: &Terms, n: usize, out: &mut BTreeSet<usize>) {
    let a: BTreeSet<_> = old.entries().collect();
    let b: BTreeSet<_> = new.entries().collect();
    out.extend(a.symmetric_difference(&b).map(|&(_, _, h)| h as usize % n));
}

/// `old` (the shards of an earlier version of `docs`, with as many documents) with only the
/// shards in `again` made again: the others cannot have changed.
pub fn shards_again(docs: &[&Terms], mut old: Shards, again: &BTreeSet<usize>) -> Shards {
    let n = old.files.len();
    let made: Vec<(usize, (String, BTreeSet<char>))> = again
        .par_iter()
        .map(|&b| {
            let mut entries = Vec::new();
            for (id, doc) in docs.iter().enumerate() {
                for (term, class, hash) in doc.entries() {
                    if hash as usize % n == b {
                        entries.push((term, id as u32, class));
                    }
                }
            }
            (b, encode(entries))
        })
        .collect();
    for (b, (json, chars)) in made {
        old.files[b] = json;
        old.chars[b] = chars;
    }
    old.postings = docs.iter().map(|d| d.len()).sum();
    old
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Editing one document changes exactly the shards that hold a term it gained or lost.
    #[test]
    fn an_edit_changes_only_the_shards_of_its_terms() {
        let text = |i: usize| {
            format!(
                "商品{i} 真皮托特包 leather tote {} 第{}号 款式{}",
                ["black", "brown", "olive", "tan"][i % 4],
                i % 97,
                i % 13
            )
        };
        let docs: Vec<Terms> = (0..3000)
            .map(|i| terms(&[(Field::Title, &text(i)), (Field::Body, "经典款 classic")]))
            .collect();
        let before = shards(&docs.iter().collect::<Vec<_>>());
        assert!(before.files.len() >= 4, "{}", before.files.len());
        let mut edited = docs.clone();
        edited[1234] = terms(&[
            (Field::Title, "复古邮差包 messenger"),
            (Field::Body, "经典款 classic"),
        ]);
        let after = shards(&edited.iter().collect::<Vec<_>>());
        assert_eq!(before.files.len(), after.files.len());
        let n = before.files.len();
        let old: std::collections::BTreeSet<_> = docs[1234].iter().collect();
        let new: std::collections::BTreeSet<_> = edited[1234].iter().collect();
        let touched: std::collections::BTreeSet<usize> = old
            .symmetric_difference(&new)
            .map(|(t, _)| super::super::tokens::bucket(key(t), n))
            .collect();
        let changed: std::collections::BTreeSet<usize> = (0..n)
            .filter(|&i| before.files[i] != after.files[i])
            .collect();
        assert_eq!(changed, touched);
        assert!(changed.len() < n, "{} of {n} shards changed", changed.len());
        // Making only those shards again gives the same files as making them all.
        let mut again = std::collections::BTreeSet::new();
        super::touched(&docs[1234], &edited[1234], n, &mut again);
        assert_eq!(again, touched);
        let partial = shards_again(&edited.iter().collect::<Vec<_>>(), before, &again);
        assert_eq!(partial.files, after.files);
        assert_eq!(partial.chars(), after.chars());
    }

    #[test]
    fn postings_are_deltas_with_the_field_class() {
        let a = terms(&[(Field::Title, "托特包"), (Field::Body, "托特包 tote")]);
        let b = terms(&[(Field::Body, "托特")]);
        assert!(a.iter().any(|t| t == ("托特", 3)));
        assert!(a.iter().any(|t| t == ("tote", 0)));
        let s = shards(&[&a, &b]);
        assert_eq!(s.files.len(), 1);
        let v: serde_json::Value = serde_json::from_str(&s.files[0]).unwrap();
        // document 0 in the title (3), document 1 (delta 1) in the body (0)
        assert_eq!(v["托特"], serde_json::json!([3, 4]));
        assert_eq!(v["tote"], serde_json::json!([0]));
        assert!(s.chars().contains(&'托'));
    }
}
