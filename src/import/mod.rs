//! `shopgen import`: a catalog from another shop system written as the site's own files — one
//! `content/products/<slug>.md` a product, its photos under
//! `static/images/products/<slug>/`. Everything is read and checked before anything is
//! written; a product file that exists is kept unless `force`; each file arrives whole
//! (written beside itself and renamed).

pub mod fetch;
mod html;
pub mod shopify;
mod translation;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::CONFIG_FILE;
use crate::content::price::Fen;
use crate::content::product::ProductMeta;
use crate::output;
use crate::util::diag::{BuildError, Diagnostic};
use crate::util::slug;
use shopify::Listing;

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The export file.
    pub file: PathBuf,
    /// The site folder (holds shop.yaml).
    pub site: PathBuf,
    /// Take photos from this folder (by the file names of their URLs) instead of downloading.
    pub images: Option<PathBuf>,
    /// Overwrite product files that exist.
    pub force: bool,
    /// Make the category from the first tag with this prefix (`分类:`), not from the type.
    pub category_tag: Option<String>,
    /// Write translations into this further language of the site (`en`): `<name>.en.md`
    /// beside each product the site has.
    pub language: Option<String>,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    pub products: usize,
    /// Product files written, below the site.
    pub written: Vec<PathBuf>,
    /// Product files left as they were, with why.
    pub skipped: Vec<(PathBuf, String)>,
    pub photos: fetch::Fetched,
    /// How the file was decoded, when it was not UTF-8 (`GBK/GB18030`, `UTF-16`).
    pub encoding: Option<&'static str>,
}

/// One product planned: its file, its photos (URL → path below `static/`) and its listing.
struct Plan {
    listing: Listing,
    slug: String,
    file: PathBuf,
    /// For a translation: the photos of the product it translates.
    product_photos: Vec<String>,
    photos: Vec<(String, String)>,
    body: String,
}

/// Import a Shopify product export into the site; `tick(done, total)` follows the photos.
pub fn shopify(o: &Options, tick: &(dyn Fn(usize, usize) + Sync)) -> Result<Report, BuildError> {
    if !o.site.join(CONFIG_FILE).is_file() {
        return Err(BuildError::one(
            Diagnostic::new(&o.site, "this folder is not a shop (it has no shop.yaml)").hint(
                "give the site folder as the second argument, or make one with `shopgen init`",
            ),
        ));
    }
    let meta = std::fs::metadata(&o.file).map_err(|e| Diagnostic::io(&o.file, "read", &e))?;
    if !meta.is_file() {
        return Err(BuildError::one(
            Diagnostic::new(&o.file, "this is not a file").hint("give the exported CSV file"),
        ));
    }
    let f = std::fs::File::open(&o.file).map_err(|e| Diagnostic::io(&o.file, "read", &e))?;
    let (input, encoding) = utf8_reader(f).map_err(|e| Diagnostic::io(&o.file, "read", &e))?;
    let target = match &o.language {
        None => None,
        Some(code) => {
            let (config, _) = crate::config::load(&o.site)?;
            Some(translation::Target::new(&o.site, &config, code)?)
        }
    };
    let listings = shopify::read(&o.file, input)?;
    let mut plans = plan(o, listings)?;

    let mut report = Report {
        products: plans.len(),
        encoding,
        ..Report::default()
    };
    if let Some(t) = &target {
        // A translation goes beside the product it translates; a listing the site has no
        // product for is left out.
        let mut kept = Vec::new();
        for mut p in plans {
            match t.file_of(&p.slug) {
                Some((file, photos)) => {
                    p.file = file;
                    p.product_photos = photos.to_vec();
                    kept.push(p);
                }
                None => report.skipped.push((
                    PathBuf::from(format!("content/products/{}.{}.md", p.slug, t.lang.code())),
                    format!(
                        "the site has no product `{}` to translate (import the default language's catalog first)",
                        p.slug
                    ),
                )),
            }
        }
        plans = kept;
    }
    let mut chosen = Vec::new();
    for p in plans {
        let rel = p
            .file
            .strip_prefix(&o.site)
            .unwrap_or(&p.file)
            .to_path_buf();
        if p.file.exists() && !o.force {
            report
                .skipped
                .push((rel, "exists (--force overwrites it)".to_string()));
        } else {
            chosen.push(p);
        }
    }
    let wanted: Vec<fetch::Wanted> = chosen
        .iter()
        .flat_map(|p| {
            p.photos.iter().map(|(url, rel)| fetch::Wanted {
                url: url.clone(),
                dest: o.site.join("static").join(rel),
                product: p.listing.handle.clone(),
            })
        })
        .collect();
    let from = match &o.images {
        Some(dir) => fetch::From::Folder(dir),
        None => fetch::From::Web,
    };
    report.photos = fetch::fetch(&wanted, from, tick);
    let failed: HashSet<(&str, &str)> = report
        .photos
        .failed
        .iter()
        .map(|f| (f.product.as_str(), f.url.as_str()))
        .collect();

    let mut errors = Vec::new();
    let mut texts = Vec::new();
    for p in &chosen {
        let have = |url: &str| !failed.contains(&(p.listing.handle.as_str(), url));
        let text = front_matter(o, target.as_ref(), p, &have);
        // What is written is read back as the build reads it.
        let split = crate::content::frontmatter::split(&text, &p.file).map_err(|d| vec![d]);
        let parsed = split.and_then(|s| {
            let read = match target {
                Some(_) => {
                    crate::content::languages::check_product_texts(&s.yaml, &p.file, s.yaml_line)
                }
                None => crate::config::yaml::parse::<ProductMeta>(&s.yaml, &p.file, s.yaml_line)
                    .map(drop),
            };
            read.map_err(|d| vec![d])
        });
        match parsed {
            Ok(_) => texts.push((p.file.clone(), text)),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    for (file, text) in texts {
        write_whole(&file, text.as_bytes()).map_err(|e| Diagnostic::io(&file, "write", &e))?;
        report
            .written
            .push(file.strip_prefix(&o.site).unwrap_or(&file).to_path_buf());
    }
    Ok(report)
}

/// The export as UTF-8 text, decoded as it is read: a BOM says the encoding (UTF-8 or UTF-16);
/// without one it is UTF-8 when its first block is, else GB18030 (a superset of GBK), which is
/// what Excel writes when a Chinese Windows saves the export again.
fn utf8_reader(f: std::fs::File) -> std::io::Result<(impl std::io::Read, Option<&'static str>)> {
    use std::io::BufRead;
    let mut r = std::io::BufReader::with_capacity(1 << 16, f);
    let head = r.fill_buf()?;
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        // Cut inside a character at the end of the block.
        Err(e) => e.error_len().is_none(),
    };
    let (encoding, name) = if utf16 {
        (None, Some("UTF-16"))
    } else if utf8 || head.starts_with(b"\xEF\xBB\xBF") {
        (None, None)
    } else {
        (Some(encoding_rs::GB18030), Some("GBK/GB18030"))
    };
    let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(encoding)
        .bom_sniffing(true)
        .strip_bom(true)
        .build(r);
    Ok((decoded, name))
}

/// The slug, file and photos of each listing; two listings with one slug are an error.
fn plan(o: &Options, listings: Vec<Listing>) -> Result<Vec<Plan>, BuildError> {
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut plans = Vec::with_capacity(listings.len());
    for l in listings {
        let slug = if slug::is_valid(&l.handle) {
            l.handle.clone()
        } else {
            let s = slug::slugify(&l.handle);
            if slug::is_valid(&s) {
                s
            } else {
                slug::slugify(&l.title)
            }
        };
        if !slug::is_valid(&slug) {
            errors.push(
                Diagnostic::new(
                    &o.file,
                    format!("cannot make a URL slug of the handle `{}`", l.handle),
                )
                .in_cell(format!("row {}", l.row))
                .hint("give the product a handle of lowercase letters, digits and - in Shopify"),
            );
            continue;
        }
        if let Some(&row) = seen.get(&slug) {
            errors.push(
                Diagnostic::new(
                    &o.file,
                    format!(
                        "the handle `{}` makes the slug `{slug}`, as the product in row {row} does",
                        l.handle
                    ),
                )
                .in_cell(format!("row {}", l.row))
                .hint("give one of them another handle in Shopify"),
            );
            continue;
        }
        seen.insert(slug.clone(), l.row);
        let mut combos = HashSet::new();
        for v in &l.variants {
            if !l.options.is_empty() && !combos.insert(v.values.clone()) {
                errors.push(
                    Diagnostic::new(
                        &o.file,
                        format!(
                            "`{}` has the variant {} twice",
                            l.handle,
                            v.values.join(" / ")
                        ),
                    )
                    .in_cell(format!("row {}", v.row))
                    .hint("remove the repeated variant row"),
                );
            }
        }
        let mut photos: Vec<(String, String)> = Vec::new();
        let mut names: HashSet<String> = HashSet::new();
        let mut local = |url: &str| -> Option<String> {
            if let Some((_, rel)) = photos.iter().find(|(u, _)| u == url) {
                return Some(rel.clone());
            }
            let name = file_name(url, photos.len(), &names);
            let rel = format!("images/products/{slug}/{name}");
            output::check_path(&rel).ok()?;
            names.insert(name);
            photos.push((url.to_string(), rel.clone()));
            Some(rel)
        };
        let mut gallery = l.images.clone();
        gallery.sort_by_key(|(pos, _)| *pos);
        for (_, url) in &gallery {
            local(url);
        }
        for v in &l.variants {
            if let Some(url) = &v.image {
                local(url);
            }
        }
        let story = html::to_markdown(&l.body_html, |u| {
            let url = if u.starts_with("//") {
                format!("https:{u}")
            } else {
                u.to_string()
            };
            url.starts_with("http").then(|| local(&url)).flatten()
        });
        plans.push(Plan {
            file: o.site.join("content/products").join(format!("{slug}.md")),
            slug,
            product_photos: Vec::new(),
            photos,
            body: story,
            listing: l,
        });
    }
    if errors.is_empty() {
        Ok(plans)
    } else {
        Err(errors.into())
    }
}

/// A photo's file name below its product's folder: the URL's, with only letters, digits, `-`,
/// `_` and `.`, and a number in front when another photo of the product has it.
fn file_name(url: &str, n: usize, taken: &HashSet<String>) -> String {
    let name = fetch::url_file_name(url);
    let mut clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    clean = clean.trim_matches(['-', '.']).to_string();
    if !clean.contains('.') {
        clean = format!("{}.jpg", if clean.is_empty() { "photo" } else { &clean });
    }
    if taken.contains(&clean) {
        clean = format!("{}-{clean}", n + 1);
    }
    clean
}

#[derive(Serialize)]
struct Front<'a> {
    title: &'a str,
    price: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sku: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stock: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    images: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    variants: Vec<VariantOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skus: Vec<SkuOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extra: BTreeMap<&'static str, &'a str>,
}

#[derive(Serialize)]
pub(crate) struct VariantOut<'a> {
    name: &'a str,
    options: Vec<&'a str>,
}

#[derive(Serialize)]
struct SkuOut<'a> {
    options: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sku: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stock: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
}

fn yuan(f: Fen) -> String {
    f.amount(false)
}

/// The product file (or, into a further language, the translation): front matter and the
/// detail story. `have(url)`: whether a photo arrived.
fn front_matter(
    o: &Options,
    target: Option<&translation::Target>,
    p: &Plan,
    have: &dyn Fn(&str) -> bool,
) -> String {
    let l = &p.listing;
    let photo = |url: &str| -> Option<&str> {
        let (_, rel) = p.photos.iter().find(|(u, _)| u == url)?;
        have(url).then_some(rel.as_str())
    };
    let first = &l.variants[0];
    let simple = l.options.is_empty();
    let original = first.compare.filter(|c| *c > first.price);
    let mut tags: Vec<&str> = l.tags.iter().map(String::as_str).collect();
    let mut category = l.product_type.clone();
    if let Some(prefix) = &o.category_tag {
        category = None;
        if let Some(i) = tags.iter().position(|t| t.starts_with(prefix.as_str())) {
            let c = tags.remove(i)[prefix.len()..].trim().to_string();
            category = (!c.is_empty()).then_some(c);
        }
    }
    let mut gallery = l.images.clone();
    gallery.sort_by_key(|(pos, _)| *pos);
    let mut images: Vec<&str> = gallery.iter().filter_map(|(_, u)| photo(u)).collect();
    let mut variants = Vec::new();
    let mut skus = Vec::new();
    if !simple {
        for (n, name) in l.options.iter().enumerate() {
            let mut options: Vec<&str> = Vec::new();
            for v in &l.variants {
                let value = v.values[n].as_str();
                if !options.contains(&value) {
                    options.push(value);
                }
            }
            variants.push(VariantOut { name, options });
        }
        for v in &l.variants {
            let image = v.image.as_deref().and_then(photo);
            if let Some(i) = image
                && !images.contains(&i)
            {
                images.push(i);
            }
            skus.push(SkuOut {
                options: v.values.iter().map(String::as_str).collect(),
                price: (v.price != first.price).then(|| yuan(v.price)),
                original_price: v
                    .compare
                    .filter(|c| *c > v.price && Some(*c) != original)
                    .map(yuan),
                sku: v.sku.as_deref(),
                stock: v.stock,
                image,
            });
        }
    }
    let mut extra = BTreeMap::new();
    for (k, v) in [
        ("vendor", &l.vendor),
        ("seo_title", &l.seo_title),
        ("product_category", &l.product_category),
        ("grams", &first.grams),
    ] {
        if let Some(v) = v {
            extra.insert(k, v.as_str());
        }
    }
    if simple && let Some(b) = &first.barcode {
        extra.insert("barcode", b.as_str());
    }
    let yaml = match target {
        Some(t) => translation::front_matter(t, l, images, &p.product_photos, variants, extra),
        None => serde_saphyr::to_string(&Front {
            title: &l.title,
            price: yuan(first.price),
            original_price: original.map(yuan),
            sku: if simple { first.sku.as_deref() } else { None },
            stock: if simple { first.stock } else { None },
            category,
            tags,
            images,
            variants,
            skus,
            description: l.seo_description.as_deref(),
            draft: l.draft,
            extra,
        })
        .unwrap_or_default(),
    };
    let mut text = format!("---\n{}", yaml.trim_end());
    text.push_str("\n---\n");
    if !p.body.trim().is_empty() {
        text.push('\n');
        text.push_str(&p.body);
    }
    text
}

/// Write `bytes` to `file` whole: beside it first, then renamed over it.
fn write_whole(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = file.as_os_str().to_owned();
    tmp.push(".shopgen-import");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
