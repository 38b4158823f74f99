//! Shopify's product CSV, in both of its header layouts: the long-standing one (`Handle`,
//! `Body (HTML)`, `Variant Price`, `Image Src`, …) and the current one (`URL handle`,
//! `Description`, `Price`, `Product image URL`, …). Read as a stream, a row at a time; rows
//! group by handle, the first row of a product carrying its fields and later rows adding
//! variants and images.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::content::catalog::table::column_letter;
use crate::content::price::Fen;
use crate::util::diag::Diagnostic;

/// The columns the import reads, each with its names in the two layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum F {
    Handle,
    Title,
    Body,
    Vendor,
    ProductCategory,
    Type,
    Tags,
    Published,
    Status,
    OptionName(u8),
    OptionValue(u8),
    Sku,
    Grams,
    Tracker,
    Qty,
    Price,
    Compare,
    Barcode,
    ImageSrc,
    ImagePosition,
    VariantImage,
    SeoTitle,
    SeoDescription,
}

const NAMES: &[(F, &[&str])] = &[
    (F::Handle, &["handle", "url handle"]),
    (F::Title, &["title"]),
    (F::Body, &["body (html)", "description"]),
    (F::Vendor, &["vendor"]),
    (
        F::ProductCategory,
        &["product category", "standard product type"],
    ),
    (F::Type, &["type", "custom product type"]),
    (F::Tags, &["tags"]),
    (F::Published, &["published", "published on online store"]),
    (F::Status, &["status"]),
    (F::OptionName(1), &["option1 name"]),
    (F::OptionValue(1), &["option1 value"]),
    (F::OptionName(2), &["option2 name"]),
    (F::OptionValue(2), &["option2 value"]),
    (F::OptionName(3), &["option3 name"]),
    (F::OptionValue(3), &["option3 value"]),
    (F::Sku, &["variant sku", "sku"]),
    (F::Grams, &["variant grams", "weight value (grams)"]),
    (
        F::Tracker,
        &["variant inventory tracker", "inventory tracker"],
    ),
    (F::Qty, &["variant inventory qty", "inventory quantity"]),
    (F::Price, &["variant price", "price"]),
    (
        F::Compare,
        &["variant compare at price", "compare-at price"],
    ),
    (F::Barcode, &["variant barcode", "barcode"]),
    (F::ImageSrc, &["image src", "product image url"]),
    (F::ImagePosition, &["image position"]),
    (F::VariantImage, &["variant image", "variant image url"]),
    (F::SeoTitle, &["seo title"]),
    (F::SeoDescription, &["seo description"]),
];

/// One purchasable variant: a row with a price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantRow {
    pub row: usize,
    /// One value per option name of the product.
    pub values: Vec<String>,
    pub sku: Option<String>,
    pub price: Fen,
    pub compare: Option<Fen>,
    /// `None` when Shopify does not track its inventory.
    pub stock: Option<u32>,
    pub image: Option<String>,
    pub grams: Option<String>,
    pub barcode: Option<String>,
}

/// One product of the export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    pub handle: String,
    /// The row its handle first appears on.
    pub row: usize,
    pub title: String,
    pub body_html: String,
    pub vendor: Option<String>,
    pub product_category: Option<String>,
    pub product_type: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub options: Vec<String>,
    pub variants: Vec<VariantRow>,
    /// Image URLs by position (then by row).
    pub images: Vec<(u32, String)>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
}

/// The export's header: where each column is.
struct Header {
    at: HashMap<F, usize>,
    names: Vec<String>,
}

impl Header {
    fn new(file: &Path, record: &csv::StringRecord) -> Result<Header, Diagnostic> {
        let names: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = if i == 0 {
                    h.trim_start_matches('\u{feff}')
                } else {
                    h
                };
                h.trim().to_string()
            })
            .collect();
        let mut at = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            let n = n.to_ascii_lowercase();
            if let Some((f, _)) = NAMES.iter().find(|(_, a)| a.contains(&n.as_str())) {
                at.entry(*f).or_insert(i);
            }
        }
        for (f, what) in [
            (F::Handle, "`Handle` (or `URL handle`)"),
            (F::Title, "`Title`"),
            (F::Price, "`Variant Price` (or `Price`)"),
        ] {
            if !at.contains_key(&f) {
                return Err(Diagnostic::new(file, format!("the file has no {what} column"))
                    .in_cell("row 1")
                    .hint("export the products from Shopify admin (Products → Export → CSV for Excel or plain CSV) and import that file as it is"));
            }
        }
        Ok(Header { at, names })
    }

    fn get<'r>(&self, r: &'r csv::StringRecord, f: F) -> &'r str {
        self.at
            .get(&f)
            .and_then(|&i| r.get(i))
            .map_or("", str::trim)
    }

    fn place(&self, row: usize, f: Option<F>) -> String {
        match f.and_then(|f| self.at.get(&f)) {
            Some(&i) => format!("row {row}, column {} ({})", self.names[i], column_letter(i)),
            None => format!("row {row}"),
        }
    }
}

/// Read a Shopify export from `input` (the file is `file`, for messages). All problems are
/// reported together, with their row and column.
pub fn read(file: &Path, input: impl Read) -> Result<Vec<Listing>, Vec<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Quotes {
            inner: input,
            count: 0,
        });
    let mut record = csv::StringRecord::new();
    let bad_csv = |e: csv::Error, row: usize| {
        let msg = match e.kind() {
            csv::ErrorKind::Utf8 { .. } => {
                "the file is not UTF-8 text (Shopify exports are; was it saved again by another program?)".to_string()
            }
            _ => format!("cannot read the CSV: {e}"),
        };
        vec![
            Diagnostic::new(file, msg)
                .in_cell(format!("row {row}"))
                .hint("import the CSV as Shopify exported it, or save it again as “CSV UTF-8”"),
        ]
    };
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            return Err(vec![
                Diagnostic::new(file, "the file is empty")
                    .hint("export the products from Shopify admin"),
            ]);
        }
        Err(e) => return Err(bad_csv(e, 1)),
    }
    let header = Header::new(file, &record).map_err(|d| vec![d])?;
    let mut listings: Vec<Listing> = Vec::new();
    let mut by_handle: HashMap<String, usize> = HashMap::new();
    let mut errors = Vec::new();
    let mut row = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.extend(bad_csv(e, row + 1));
                break;
            }
        }
        row += 1;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let handle = header.get(&record, F::Handle);
        if handle.is_empty() {
            errors.push(
                Diagnostic::new(file, "the row has no handle")
                    .in_cell(header.place(row, Some(F::Handle)))
                    .hint("every row of a Shopify export names its product's handle"),
            );
            continue;
        }
        let title = header.get(&record, F::Title);
        let i = match by_handle.get(handle) {
            Some(&i) => {
                let last = listings.len() - 1;
                if i != last && !title.is_empty() {
                    errors.push(
                        Diagnostic::new(
                            file,
                            format!(
                                "the handle `{handle}` is used again, by another product (first in row {})",
                                listings[i].row
                            ),
                        )
                        .in_cell(header.place(row, Some(F::Handle)))
                        .hint("give each product its own handle in Shopify and export again"),
                    );
                    continue;
                }
                i
            }
            None => {
                by_handle.insert(handle.to_string(), listings.len());
                listings.push(Listing {
                    handle: handle.to_string(),
                    row,
                    ..Listing::default()
                });
                listings.len() - 1
            }
        };
        if let Err(mut e) = add_row(&mut listings[i], &header, &record, row, file) {
            errors.append(&mut e);
        }
    }
    if errors.is_empty() && reader.get_ref().count % 2 == 1 {
        errors.push(
            Diagnostic::new(
                file,
                format!("a quote `\"` in row {row} is never closed, so the rest of the file would be one cell"),
            )
            .in_cell(format!("row {row}"))
            .hint("close the quote (a quote inside a cell is written as two quotes `\"\"`), or export the file again"),
        );
    }
    for l in &listings {
        if l.title.is_empty() {
            errors.push(
                Diagnostic::new(file, format!("the product `{}` has no title", l.handle))
                    .in_cell(header.place(l.row, Some(F::Title)))
                    .hint("the first row of each product gives its title"),
            );
        }
        if l.variants.is_empty() && !l.title.is_empty() {
            errors.push(
                Diagnostic::new(file, format!("the product `{}` has no price", l.handle))
                    .in_cell(header.place(l.row, Some(F::Price)))
                    .hint("a product's variant rows give its price"),
            );
        }
    }
    if errors.is_empty() {
        Ok(listings)
    } else {
        Err(errors)
    }
}

/// Counts the quotes that pass: a well-formed export has them in pairs, so an odd count means
/// a quote opened and never closed, which the CSV reader takes as one cell running to the end.
struct Quotes<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Quotes<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
        Ok(n)
    }
}

fn add_row(
    l: &mut Listing,
    h: &Header,
    r: &csv::StringRecord,
    row: usize,
    file: &Path,
) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let title = h.get(r, F::Title);
    if !title.is_empty() && l.title.is_empty() {
        l.title = title.to_string();
        l.body_html = h.get(r, F::Body).to_string();
        l.vendor = opt(h.get(r, F::Vendor));
        l.product_category = opt(h.get(r, F::ProductCategory));
        l.product_type = opt(h.get(r, F::Type));
        l.tags = h
            .get(r, F::Tags)
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let published = h.get(r, F::Published).to_ascii_lowercase();
        let status = h.get(r, F::Status).to_ascii_lowercase();
        l.draft = published == "false" || status == "draft" || status == "archived";
        l.seo_title = opt(h.get(r, F::SeoTitle));
        l.seo_description = opt(h.get(r, F::SeoDescription));
        for n in 1..=3 {
            let name = h.get(r, F::OptionName(n));
            if !name.is_empty() {
                l.options.push(name.to_string());
            }
        }
        // A product without options is exported as one option `Title` = `Default Title`.
        if l.options == ["Title"] && h.get(r, F::OptionValue(1)) == "Default Title" {
            l.options.clear();
        }
    }
    let src = h.get(r, F::ImageSrc);
    if !src.is_empty() {
        let position = h.get(r, F::ImagePosition).parse().unwrap_or(u32::MAX);
        if !l.images.iter().any(|(_, u)| u == src) {
            l.images.push((position, src.to_string()));
        }
    }
    let price_text = h.get(r, F::Price);
    let is_variant = !price_text.is_empty()
        || !h.get(r, F::Sku).is_empty()
        || !h.get(r, F::OptionValue(1)).is_empty();
    if !is_variant {
        return Ok(());
    }
    let mut fen = |f: F, text: &str| -> Option<Fen> {
        match Fen::parse_yuan(text) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(
                    Diagnostic::new(file, e.0.split("; ").next().unwrap_or(&e.0).to_string())
                        .in_cell(h.place(row, Some(f)))
                        .hint("the export's prices are plain amounts such as 1299.00"),
                );
                None
            }
        }
    };
    let price = fen(F::Price, price_text);
    let compare_text = h.get(r, F::Compare);
    let compare = if compare_text.is_empty() {
        None
    } else {
        fen(F::Compare, compare_text)
    };
    let qty_text = h.get(r, F::Qty);
    let tracked = !h.get(r, F::Tracker).is_empty() || !h.at.contains_key(&F::Tracker);
    let stock = match qty_text.parse::<i64>() {
        _ if qty_text.is_empty() || !tracked => None,
        // Shopify counts oversold stock below zero: none left to sell.
        Ok(n) => Some(n.clamp(0, i64::from(u32::MAX)) as u32),
        Err(_) => {
            errors.push(
                Diagnostic::new(file, format!("`{qty_text}` is not a whole number"))
                    .in_cell(h.place(row, Some(F::Qty)))
                    .hint("the inventory quantity is a whole number"),
            );
            None
        }
    };
    let values: Vec<String> = (1..=l.options.len() as u8)
        .map(|n| h.get(r, F::OptionValue(n)).to_string())
        .collect();
    if let Some(n) = values.iter().position(String::is_empty) {
        errors.push(
            Diagnostic::new(
                file,
                format!("this variant of `{}` gives no {}", l.handle, l.options[n]),
            )
            .in_cell(h.place(row, Some(F::OptionValue(n as u8 + 1))))
            .hint("each variant row gives a value of every option of its product"),
        );
    }
    if price_text.is_empty() {
        errors.push(
            Diagnostic::new(file, "this variant has no price")
                .in_cell(h.place(row, Some(F::Price)))
                .hint("give the variant's price, e.g. 1299.00"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Some(price) = price {
        l.variants.push(VariantRow {
            row,
            values,
            sku: opt(h.get(r, F::Sku)),
            price,
            compare,
            stock,
            image: opt(h.get(r, F::VariantImage)),
            grams: opt(h.get(r, F::Grams)),
            barcode: opt(h.get(r, F::Barcode)),
        });
    }
    Ok(())
}
