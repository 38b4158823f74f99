//! The index: each document's terms with the weight of the best field they appear in, and
//! the shards the browser downloads. A term lives in the shard its [`key`] hashes to, so a
//! query fetches only the shards of its own tokens, and a shard's bytes change only when one
//! of its terms' postings changed.
//!
//! A shard is a JSON object from term to postings. Each posting is one integer:
//! `(document id − previous document id) × 4 + field class` (`Field`: 3 title, 2 category /
//! tags / SKU, 1 subtitle / description, 0 body), ascending by document.

use std::collections::BTreeSet;
use std::hash::BuildHasher;

use hashbrown::HashTable;
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::tokens::{self, Field, is_cjk, key, key_hash};

/// The distinct terms of one document and the best field class each appears in, packed in
/// one string (a large shop has millions of them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    text: String,
    /// End of each term in `text`, its class and the hash of its shard key.
    items: Vec<(u32, u8, u32)>,
}

impl Terms {
    /// Each term and its class, in the order they first appear.
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

/// The first bytes of [`encode_terms`]'s output; the digit is raised when the layout changes.
const TERMS_MAGIC: &[u8; 4] = b"SGT1";

/// The terms of documents, each with its key (a digest of what it was made from), as bytes a
/// later build reads back with [`decode_terms`]: per document its key (8 bytes), its number
/// of terms (LEB128), then each term's class (1 byte), length (LEB128) and text.
pub fn encode_terms(docs: &[(u64, &Terms)]) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, mut v: usize) {
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    let size: usize = docs
        .iter()
        .map(|(_, t)| t.text.len() + 3 * t.items.len() + 10)
        .sum();
    let mut out = Vec::with_capacity(size + 4);
    out.extend_from_slice(TERMS_MAGIC);
    for (key, t) in docs {
        out.extend_from_slice(&key.to_le_bytes());
        varint(&mut out, t.items.len());
        for (term, class) in t.iter() {
            out.push(class);
            varint(&mut out, term.len());
            out.extend_from_slice(term.as_bytes());
        }
    }
    out
}

/// What [`encode_terms`] wrote; `None` if the bytes are not that (another version, a cut file).
pub fn decode_terms(bytes: &[u8]) -> Option<Vec<(u64, Terms)>> {
    fn varint(b: &[u8], at: &mut usize) -> Option<usize> {
        let mut v = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let byte = *b.get(*at)?;
            *at += 1;
            v |= usize::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(v);
            }
        }
        None
    }
    let body = bytes.strip_prefix(TERMS_MAGIC)?;
    let mut at = 0;
    let mut docs = Vec::new();
    while at < body.len() {
        let doc = u64::from_le_bytes(body.get(at..at + 8)?.try_into().ok()?);
        at += 8;
        let n = varint(body, &mut at)?;
        let mut t = Terms {
            text: String::new(),
            items: Vec::with_capacity(n.min(body.len())),
        };
        for _ in 0..n {
            let class = *body.get(at)?;
            at += 1;
            let len = varint(body, &mut at)?;
            let term = std::str::from_utf8(body.get(at..at.checked_add(len)?)?).ok()?;
            at += len;
            t.text.push_str(term);
            t.items
                .push((t.text.len() as u32, class, key_hash(key(term))));
        }
        docs.push((doc, t));
    }
    Some(docs)
}

/// How many postings a shard holds on average at most (about 20 KB of JSON).
const POSTINGS_PER_SHARD: usize = 6_000;

/// The terms of a document made of `fields`, in the order they first appear.
pub fn terms(fields: &[(Field, &str)]) -> Terms {
    let hasher = FxBuildHasher;
    let mut out = Terms::default();
    // Each distinct term once: the table holds its index in `out.items`, and the term's text is
    // `out.text` between the previous item's end and its own.
    let size: usize = fields.iter().map(|(_, t)| t.len()).sum();
    let mut table: HashTable<u32> = HashTable::with_capacity(size / 8);
    let span = |items: &[(u32, u8, u32)], i: usize| {
        let start = if i == 0 { 0 } else { items[i - 1].0 as usize };
        start..items[i].0 as usize
    };
    for &(field, text) in fields {
        let class = field as u8;
        tokens::index(text, field, |term| {
            let h = hasher.hash_one(term);
            let found = table
                .find(h, |&i| &out.text[span(&out.items, i as usize)] == term)
                .copied();
            match found {
                Some(i) => {
                    let c = &mut out.items[i as usize].1;
                    *c = (*c).max(class);
                }
                None => {
                    out.text.push_str(term);
                    let i = out.items.len();
                    out.items
                        .push((out.text.len() as u32, class, key_hash(key(term))));
                    let (text, items) = (&out.text, &out.items);
                    table.insert_unique(h, i as u32, |&j| {
                        hasher.hash_one(&text[span(items, j as usize)])
                    });
                }
            }
        });
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

/// One shard's entries as they are gathered, in document order: each term's text copied into
/// the shard's own buffer (so encoding reads one contiguous buffer, not every document's).
#[derive(Default)]
struct Gathered {
    text: String,
    /// End of the term in `text`, the document, the class.
    entries: Vec<(u32, u32, u8)>,
}

impl Gathered {
    fn with_capacity(entries: usize) -> Gathered {
        Gathered {
            text: String::with_capacity(entries * 5),
            entries: Vec::with_capacity(entries),
        }
    }
    fn push(&mut self, term: &str, id: u32, class: u8) {
        self.text.push_str(term);
        self.entries.push((self.text.len() as u32, id, class));
    }
}

/// One shard's JSON from its gathered entries: terms sorted, each with its postings.
fn encode(g: &Gathered) -> (String, BTreeSet<char>) {
    // Number the distinct terms, then lay the postings out term by term (a counting sort, so
    // each term's documents stay in order) and only the distinct terms are sorted.
    let mut number: FxHashMap<&str, u32> = FxHashMap::default();
    let mut terms: Vec<&str> = Vec::new();
    let mut begin = 0;
    let local: Vec<u32> = g
        .entries
        .iter()
        .map(|&(end, _, _)| {
            let term = &g.text[begin..end as usize];
            begin = end as usize;
            *number.entry(term).or_insert_with(|| {
                terms.push(term);
                terms.len() as u32 - 1
            })
        })
        .collect();
    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    order.sort_unstable_by_key(|&t| terms[t as usize]);
    let mut start = vec![0usize; terms.len() + 1];
    for &t in &local {
        start[t as usize + 1] += 1;
    }
    for t in 0..terms.len() {
        start[t + 1] += start[t];
    }
    let mut next = start.clone();
    let mut postings = vec![(0u32, 0u8); g.entries.len()];
    for (&t, &(_, id, class)) in local.iter().zip(&g.entries) {
        postings[next[t as usize]] = (id, class);
        next[t as usize] += 1;
    }

    let mut json = String::with_capacity(g.entries.len() * 4 + terms.len() * 8 + 2);
    let mut chars = BTreeSet::new();
    let mut digits = itoa::Buffer::new();
    json.push('{');
    for (k, &t) in order.iter().enumerate() {
        let term = terms[t as usize];
        if k > 0 {
            json.push(',');
        }
        // Terms hold letters, digits, joiners, `#` and CJK: nothing to escape.
        json.push('"');
        json.push_str(term);
        json.push_str("\":[");
        chars.extend(term.chars().filter(|&c| is_cjk(c)));
        let mut prev = 0u32;
        for (j, &(id, class)) in postings[start[t as usize]..start[t as usize + 1]]
            .iter()
            .enumerate()
        {
            if j > 0 {
                json.push(',');
            }
            json.push_str(digits.format((u64::from(id - prev) << 2) | u64::from(class)));
            prev = id;
        }
        json.push(']');
    }
    json.push('}');
    (json, chars)
}

/// Cut the terms of `docs` (document `i` is `docs[i]`) into shards.
pub fn shards(docs: &[&Terms]) -> Shards {
    let postings: usize = docs.iter().map(|d| d.len()).sum();
    let n = shard_count(postings);
    // Each document's terms, by shard (counted out first); then every shard on its own core.
    let mut sizes = vec![0usize; n];
    for doc in docs {
        for &(_, _, hash) in &doc.items {
            sizes[hash as usize % n] += 1;
        }
    }
    let mut by_shard: Vec<Gathered> = sizes.into_iter().map(Gathered::with_capacity).collect();
    for (id, doc) in docs.iter().enumerate() {
        for (term, class, hash) in doc.entries() {
            by_shard[hash as usize % n].push(term, id as u32, class);
        }
    }
    let (files, chars) = by_shard.par_iter().map(encode).unzip();
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
    // One pass over the documents gathers the entries of every shard to make again.
    let mut slot = vec![usize::MAX; n];
    for (k, &b) in again.iter().enumerate() {
        slot[b] = k;
    }
    let mut gathered: Vec<Gathered> = again.iter().map(|_| Gathered::default()).collect();
    for (id, doc) in docs.iter().enumerate() {
        for (term, class, hash) in doc.entries() {
            let k = slot[hash as usize % n];
            if k != usize::MAX {
                gathered[k].push(term, id as u32, class);
            }
        }
    }
    let made: Vec<(usize, (String, BTreeSet<char>))> = again
        .iter()
        .copied()
        .zip(gathered)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(b, g)| (b, encode(&g)))
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

    /// Terms kept between builds read back as they were; anything else is no terms at all.
    #[test]
    fn kept_terms_read_back_exactly() {
        let a = terms(&[
            (Field::Title, "真皮托特包 Leather tote"),
            (Field::Body, "牛皮"),
        ]);
        let b = terms(&[
            (Field::Taxonomy, "SC-W-1001"),
            (Field::Text, "𠀋 long-wordword"),
        ]);
        let empty = Terms::default();
        let bytes = encode_terms(&[(7, &a), (u64::MAX, &b), (0, &empty)]);
        let back = decode_terms(&bytes).unwrap();
        assert_eq!(back, vec![(7, a), (u64::MAX, b), (0, empty)]);
        assert_eq!(decode_terms(&bytes[..bytes.len() - 1]), None);
        assert_eq!(decode_terms(b"SGT0"), None);
        assert_eq!(decode_terms(b"not terms"), None);
        assert_eq!(decode_terms(b"SGT1"), Some(Vec::new()));
    }

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
