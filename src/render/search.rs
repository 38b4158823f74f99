//! The search files of a site: what each product and page is indexed as, and the files the
//! theme's search script downloads — `search/index.json` (the manifest: shard and chunk names,
//! the categories, the fold table the index needs) and, fingerprinted under `assets/search/`,
//! the shards of the index, the result records in chunks, and the facets (category, price,
//! stock, date of every product) that filters and sorting read.
//!
//! Documents are the products in listing order, then the pages, so a tie in relevance falls
//! back to the shop's own order. A document's terms are kept by its view's content digest (in
//! memory, and for the next build through the sink's state): a rebuild tokenizes only what
//! changed, and a shard's name changes only with its bytes.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::cache::ViewCache;
use super::picture;
use super::views::Urls;
use crate::content::Model;
use crate::images::Images;
use crate::output::Sink;
use crate::search::index::{self, Terms};
use crate::search::tokens::Field;
use crate::search::{FORMAT, MANIFEST, fold};

/// Files by their output path.
pub type Files = Vec<(String, Vec<u8>)>;

/// How many result records one chunk file holds.
pub const CHUNK: usize = 16;

/// The width a result's photo is shown from (two columns on a phone at 2×).
const THUMB_WIDTH: u32 = 480;

/// The terms of the last render's documents, by view digest.
#[derive(Default)]
pub(super) struct SearchCache {
    terms: HashMap<u64, Arc<Terms>>,
    /// The last render's documents and shards: an edit makes only the shards it touched again.
    docs: Vec<Arc<Terms>>,
    shards: Option<index::Shards>,
    /// A digest of everything the files were made from; `None` before the first render.
    pub key: Option<u64>,
}

/// What the search files are made of, for the build's summary and the bench.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchStats {
    pub documents: usize,
    pub postings: usize,
    pub shards: usize,
    /// Bytes of all the search files.
    pub bytes: usize,
    /// How long making them took (beside the pages, on the cores they left).
    pub millis: u64,
}

#[derive(Serialize)]
struct Manifest<'a> {
    v: u32,
    /// A digest of everything the files were made from: a later build that finds the same in
    /// the output keeps the files as they are.
    key: String,
    /// The URL folder of the fingerprinted files.
    base: String,
    /// How many shards; the fingerprint of each, 10 hex digits, one after the other.
    n: usize,
    shards: String,
    /// Result records per chunk, and the fingerprint of each chunk.
    chunk: usize,
    docs: String,
    count: usize,
    facets: String,
    /// Categories as filters show them: name and slug, in facet order.
    cats: Vec<(&'a str, &'a str)>,
    /// Traditional → Simplified pairs for the characters the index holds, one after the other.
    fold: String,
}

/// One result as the page shows it: `[url, title, price in fen (-1 for a page), original price
/// in fen (0 for none), photo URL, subtitle or description]`.
type Record = (String, String, i64, u64, String, String);

/// The text a document is indexed from, by field.
fn product_fields<'a>(site: &'a Model, i: usize, body: &'a str) -> Vec<(Field, &'a str)> {
    let p = &site.products[i];
    let m = &p.meta;
    let mut f = vec![(Field::Title, m.title.as_str()), (Field::Body, body)];
    if let Some(s) = &m.subtitle {
        f.push((Field::Text, s));
    }
    if let Some(s) = &m.description {
        f.push((Field::Text, s));
    }
    if let Some(s) = &m.sku {
        f.push((Field::Taxonomy, s));
    }
    if let Some(c) = p
        .category_slug
        .as_deref()
        .and_then(|s| site.categories.iter().find(|c| c.slug == s))
    {
        f.push((Field::Taxonomy, c.name.as_str()));
    }
    f.extend(m.tags.iter().map(|t| (Field::Taxonomy, t.as_str())));
    f.extend(m.badges.iter().map(|t| (Field::Text, t.as_str())));
    for s in &m.specs {
        f.push((Field::Text, s.value.as_str()));
    }
    for q in &m.faq {
        f.push((Field::Body, q.q.as_str()));
        f.push((Field::Body, q.a.as_str()));
    }
    for v in &m.variants {
        f.extend(v.options.iter().map(|o| (Field::Text, o.as_str())));
    }
    f
}

/// Tags inside a run of text.
const INLINE: [&str; 15] = [
    "a", "b", "strong", "em", "i", "span", "code", "del", "ins", "u", "s", "sup", "sub", "small",
    "mark",
];

/// The text of rendered HTML: tags dropped, entities decoded.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open + 1..];
        let name = tag.trim_start_matches('/');
        let name = &name[..name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        // Inline tags join their text (真皮<b>托特</b>包 is one run); others separate it.
        if !INLINE.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            out.push(' ');
        }
        rest = match tag.find('>') {
            Some(close) => &tag[close + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    match html_escape::decode_html_entities(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(decoded) => decoded,
    }
}

fn content_of(view: &tera::Value) -> &str {
    view.get_from_path("content")
        .and_then(tera::Value::as_str)
        .unwrap_or("")
}

/// The digest of the file names: 10 hex digits of blake3.
fn print10(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..10].to_string()
}

/// Digits for the facets: fixed-width base 36.
fn base36(mut v: u64, width: usize, out: &mut String) {
    let mut buf = vec![b'0'; width];
    for slot in buf.iter_mut().rev() {
        *slot = b"0123456789abcdefghijklmnopqrstuvwxyz"[(v % 36) as usize];
        v /= 36;
    }
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
}

/// Days since 2000-01-01 of a `YYYY-MM-DD…` date (0 when it has none).
fn day_of(date: Option<&str>) -> u64 {
    let Some(d) = date.and_then(|d| d.get(..10)) else {
        return 0;
    };
    let Ok(day) = d.parse::<jiff::civil::Date>() else {
        return 0;
    };
    let start = jiff::civil::date(2000, 1, 1);
    (day - start).get_days().max(0) as u64
}

/// What [`files`] did.
pub(super) enum Made {
    /// Nothing they are made of changed since the last call.
    Unchanged,
    /// The sink holds the files an earlier build made from the same data: kept as they are.
    Kept,
    /// New files, `(path, bytes)`.
    Files(Files, SearchStats),
}

/// The files of a manifest (itself included) when it is the one made from data `key`.
fn named_by(manifest: &[u8], key: &str) -> Option<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Held {
        key: String,
        n: usize,
        shards: String,
        docs: String,
        facets: String,
    }
    let m: Held = serde_json::from_slice(manifest).ok()?;
    if m.key != key || m.shards.len() != m.n * 10 || !m.docs.len().is_multiple_of(10) {
        return None;
    }
    let folder = FOLDER;
    let mut names = vec![MANIFEST.to_string()];
    for i in 0..m.n {
        names.push(format!(
            "{folder}{i}.{}.json",
            m.shards.get(i * 10..i * 10 + 10)?
        ));
    }
    for k in 0..m.docs.len() / 10 {
        names.push(format!(
            "{folder}docs-{k}.{}.json",
            m.docs.get(k * 10..k * 10 + 10)?
        ));
    }
    names.push(format!("{folder}facets.{}.json", m.facets));
    Some(names)
}

/// Where the fingerprinted search files are published.
const FOLDER: &str = "assets/search/";

/// The name each document's terms are kept under between builds (see [`Sink`]).
const STATE: &str = "terms";

/// What [`plan`] found: the files are as they were, or must be made from data `key`, with the
/// terms of each document (products, then pages) where they are known already.
pub(super) enum Plan {
    Unchanged,
    Kept,
    Make {
        key: u64,
        terms: Vec<Option<Arc<Terms>>>,
    },
}

impl Plan {
    /// The documents whose terms are not known (their views are needed): products, then pages.
    pub fn unknown(&self, products: usize) -> (Vec<usize>, Vec<usize>) {
        let mut out = (Vec::new(), Vec::new());
        if let Plan::Make { terms, .. } = self {
            for (k, t) in terms.iter().enumerate() {
                match (t, k < products) {
                    (None, true) => out.0.push(k),
                    (None, false) => out.1.push(k - products),
                    _ => {}
                }
            }
        }
        out
    }
}

/// Whether the search files must be made for `site` (what they are made of changed since the
/// last call, and `sink` does not hold them as an earlier build made them from the same data),
/// and the terms known of each document: from the last call, or from the terms an earlier
/// build kept.
pub(super) fn plan(
    cache: &mut SearchCache,
    views: &ViewCache,
    images: &Images,
    urls: &Urls,
    sink: &dyn Sink,
) -> Plan {
    let mut key = blake3::Hasher::new();
    // A new shopgen may index differently.
    key.update(env!("CARGO_PKG_VERSION").as_bytes());
    key.update(&FORMAT.to_le_bytes());
    key.update(&views.categories_digest.to_le_bytes());
    key.update(&images.digest.to_le_bytes());
    key.update(urls.base_path.as_bytes());
    for c in views.products.iter().chain(&views.pages) {
        key.update(&c.rev.to_le_bytes());
    }
    let key = super::digest64(&key.finalize());
    if cache.key == Some(key) {
        return Plan::Unchanged;
    }
    // A build in a new process: the output may already hold these very files.
    if cache.key.is_none() {
        if let Some(names) = sink
            .read_held(MANIFEST)
            .and_then(|m| named_by(&m, &format!("{key:016x}")))
            && sink.keep_all(&names)
        {
            return Plan::Kept;
        }
        if let Some(kept) = sink.read_state(STATE).and_then(|b| index::decode_terms(&b)) {
            cache.terms = kept
                .into_iter()
                .map(|(rev, t)| (rev, Arc::new(t)))
                .collect();
        }
    }
    let terms = views
        .products
        .iter()
        .chain(&views.pages)
        .map(|c| cache.terms.get(&c.rev).cloned())
        .collect();
    Plan::Make { key, terms }
}

/// Make the search files from data `key`, with the `known` terms of each document (the others
/// tokenized, one document per core, from their views, which must be built).
pub(super) fn make(
    cache: &mut SearchCache,
    (key, known): (u64, Vec<Option<Arc<Terms>>>),
    site: &Model,
    views: &ViewCache,
    images: &Images,
    urls: &Urls,
    sink: &dyn Sink,
) -> Made {
    let key_hex = format!("{key:016x}");
    let start = std::time::Instant::now();
    let n_products = views.products.len();
    let todo: Vec<(usize, &super::cache::Cached, Option<Arc<Terms>>)> = views
        .products
        .iter()
        .chain(&views.pages)
        .zip(known)
        .enumerate()
        .map(|(k, (c, t))| (k, c, t))
        .collect();
    let docs: Vec<(u64, Arc<Terms>)> = todo
        .into_par_iter()
        .map(|(k, c, known)| {
            let terms = known.unwrap_or_else(|| {
                let body = text_of(c.view.as_ref().map_or("", content_of));
                Arc::new(if k < n_products {
                    index::terms(&product_fields(site, k, &body))
                } else {
                    let p = &site.pages[k - n_products];
                    let mut f = vec![(Field::Title, p.meta.title.as_str()), (Field::Body, &body)];
                    if let Some(d) = &p.meta.description {
                        f.push((Field::Text, d));
                    }
                    index::terms(&f)
                })
            });
            (c.rev, terms)
        })
        .collect();
    let refs: Vec<&Terms> = docs.iter().map(|(_, t)| t.as_ref()).collect();
    let postings: usize = refs.iter().map(|t| t.len()).sum();
    let shards = match cache.shards.take() {
        // As many documents and shards as before: only the shards an edited document's terms
        // are in change (`serve` after an edit).
        Some(old)
            if cache.docs.len() == docs.len()
                && old.files.len() == index::shard_count(postings) =>
        {
            let mut again = std::collections::BTreeSet::new();
            for (before, (_, now)) in cache.docs.iter().zip(&docs) {
                if !Arc::ptr_eq(before, now) {
                    index::touched(before, now, old.files.len(), &mut again);
                }
            }
            index::shards_again(&refs, old, &again)
        }
        _ => index::shards(&refs),
    };
    sink.put_state(STATE, &|| {
        let docs: Vec<(u64, &Terms)> = docs.iter().map(|(rev, t)| (*rev, t.as_ref())).collect();
        index::encode_terms(&docs)
    });
    cache.terms = docs.iter().cloned().collect();
    cache.docs = docs.iter().map(|(_, t)| t.clone()).collect();
    cache.key = Some(key);

    let folder = FOLDER;
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut names = String::new();
    for (i, json) in shards.files.iter().enumerate() {
        let print = print10(json.as_bytes());
        names.push_str(&print);
        out.push((
            format!("{folder}{i}.{print}.json"),
            json.clone().into_bytes(),
        ));
    }
    let n = out.len();

    // Result records, in chunks.
    let thumb = |path: &str| {
        let rel = picture::static_rel(path, &urls.base_path);
        match images.get(&rel) {
            Some(pic) => picture::sized(images, urls, pic, THUMB_WIDTH),
            None => urls.image(path),
        }
    };
    let mut records: Vec<Record> = site
        .products
        .iter()
        .map(|p| {
            let m = &p.meta;
            let low = crate::content::skus::summary(m).lowest;
            (
                urls.page(&p.path()),
                m.title.clone(),
                low.price.0 as i64,
                low.original.map_or(0, |o| o.0),
                m.images.first().map(|i| thumb(i)).unwrap_or_default(),
                m.subtitle.clone().unwrap_or_default(),
            )
        })
        .collect();
    records.extend(site.pages.iter().map(|p| {
        (
            urls.page(&p.path()),
            p.meta.title.clone(),
            -1,
            0,
            String::new(),
            p.meta.description.clone().unwrap_or_default(),
        )
    }));
    let mut chunks = String::new();
    for (k, chunk) in records.chunks(CHUNK).enumerate() {
        let json = serde_json::to_vec(chunk).unwrap_or_default();
        let print = print10(&json);
        chunks.push_str(&print);
        out.push((format!("{folder}docs-{k}.{print}.json"), json));
    }

    // Facets: a category (base 36, 0 for none), a price in yuan, stock and a day per document.
    let cat_width = if site.categories.len() < 36 { 1 } else { 2 };
    let (mut c, mut p, mut s, mut d) = (String::new(), String::new(), String::new(), String::new());
    for prod in &site.products {
        let ci = prod
            .category_slug
            .as_deref()
            .and_then(|slug| site.categories.iter().position(|c| c.slug == slug))
            .map_or(0, |i| i as u64 + 1);
        base36(ci, cat_width, &mut c);
        let offers = crate::content::skus::summary(&prod.meta);
        base36(offers.lowest.price.0.div_ceil(100), 4, &mut p);
        s.push(if offers.in_stock { '1' } else { '0' });
        base36(day_of(prod.meta.date.as_deref()), 3, &mut d);
    }
    let facets = serde_json::json!({ "w": cat_width, "c": c, "p": p, "s": s, "d": d });
    let facets = serde_json::to_vec(&facets).unwrap_or_default();
    let facets_print = print10(&facets);
    out.push((format!("{folder}facets.{facets_print}.json"), facets));

    let chars = shards.chars();
    let mut pairs = String::new();
    for (t, simple) in fold::pairs() {
        if chars.contains(&simple) {
            let _ = write!(pairs, "{t}{simple}");
        }
    }
    let manifest = Manifest {
        v: FORMAT,
        key: key_hex,
        base: urls.page(folder),
        n,
        shards: names,
        chunk: CHUNK,
        docs: chunks,
        count: records.len(),
        facets: facets_print,
        cats: site
            .categories
            .iter()
            .map(|c| (c.name.as_str(), c.slug.as_str()))
            .collect(),
        fold: pairs,
    };
    out.push((
        MANIFEST.to_string(),
        serde_json::to_vec(&manifest).unwrap_or_default(),
    ));
    let stats = SearchStats {
        documents: records.len(),
        postings: shards.postings,
        shards: n,
        bytes: out.iter().map(|(_, b)| b.len()).sum(),
        millis: start.elapsed().as_millis() as u64,
    };
    cache.shards = Some(shards);
    Made::Files(out, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            text_of("<p>真皮&amp;<b>托特</b></p>包")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["真皮&托特", "包"]
        );
        let mut s = String::new();
        base36(37, 3, &mut s);
        assert_eq!(s, "011");
        assert_eq!(day_of(Some("2000-01-02")), 1);
        assert_eq!(day_of(None), 0);
    }
}
