//! A spreadsheet as the catalog: `content/products.csv` or `content/products.xlsx`, one row
//! per product, or one row per option combination (rows grouped by `slug`, else by the style
//! number `款号`, else by title; a row with none of them continues the product above it). Columns are named like front-matter
//! fields or by their Chinese names (`columns.rs`); each product goes through the same checks
//! as a Markdown product, and every error names the sheet, the row and the column.
//! `content/products/<slug>.md` without front matter is that product's detail story.

mod cells;
mod columns;
pub mod table;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use columns::Col;
use table::{Row, Table};

use super::Checks;
use super::product::{self, Product, ProductMeta, Variant};
use super::skus::Sku;
use crate::util::diag::Diagnostic;
use crate::util::{fsread, slug};

/// The catalog files a site may have, below `content/`.
pub const FILES: [&str; 2] = ["products.csv", "products.xlsx"];

/// How many rows from the top the header row may be (rows above it, such as a title merged
/// across the sheet, are left out).
pub(crate) const HEADER_SEARCH: usize = 10;

/// The site's catalog file, when it has one.
pub fn find(root: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    let found: Vec<PathBuf> = FILES
        .iter()
        .map(|f| root.join("content").join(f))
        .filter(|p| p.is_file())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [a, ..] => Err(Diagnostic::new(
            a,
            "the site has both content/products.csv and content/products.xlsx",
        )
        .hint("keep one of them as the catalog")),
    }
}

/// The source a product of the catalog is known by (`content/products.xlsx#tote`): one per
/// product, so caches and messages can tell them apart.
pub fn source(file: &Path, slug: &str) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push("#");
    s.push(slug);
    PathBuf::from(s)
}

/// Whether `product` comes from the catalog `file`.
pub fn is_from(product: &Product, file: &Path) -> bool {
    let f = file.as_os_str().as_encoded_bytes();
    let s = product.source.as_os_str().as_encoded_bytes();
    s.len() > f.len() && s.starts_with(f) && s[f.len()] == b'#'
}

/// Read the catalog `file` and make its products, all problems together.
pub fn load(file: &Path, checks: &Checks) -> Result<Vec<Product>, Vec<Diagnostic>> {
    let bytes = fsread::read(file, fsread::FILE_LIMIT).map_err(|d| vec![d])?;
    let is_header = |r: &Row| r.cells.iter().any(|c| columns::is_title(c));
    let table = table::read(file, &bytes, is_header).map_err(|d| vec![d])?;
    let Some(header) = table.rows.iter().take(HEADER_SEARCH).position(is_header) else {
        let first = table.rows.iter().find(|r| !r.is_empty());
        return Err(vec![
            Diagnostic::new(file, "no header row with a title column")
                .in_cell(first.map_or("row 1".into(), |r| table.place(r, None)))
                .hint("make the first row the column names, with one named 标题 (or title) and one 价格 (or price)"),
        ]);
    };
    let sheet = Sheet::new(file, &table, header)?;
    sheet.products(checks)
}

/// Give the catalog's product `p` its detail story from `story` (a Markdown file without
/// front matter named after it).
pub fn attach_story(p: &mut Product, story: &Path, text: &str) -> Result<(), Diagnostic> {
    if !p.body.trim().is_empty() {
        return Err(Diagnostic::new(
            story,
            format!(
                "the detail story of `{}` is both in the catalog's body column and in this file",
                p.slug
            ),
        )
        .hint("keep one: empty the body (详情) cell or remove this file"));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    p.body = text.replace("\r\n", "\n");
    p.digest ^= super::text_digest(text).rotate_left(1);
    Ok(())
}

/// The sheet below its header: which column is what.
struct Sheet<'a> {
    file: &'a Path,
    table: &'a Table,
    header: usize,
    names: Vec<String>,
    /// By column index; `None` for a column without a header.
    cols: Vec<Option<Col>>,
}

impl<'a> Sheet<'a> {
    fn new(file: &'a Path, table: &'a Table, header: usize) -> Result<Self, Vec<Diagnostic>> {
        let head = &table.rows[header];
        let width = table.rows[header..]
            .iter()
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0);
        let names: Vec<String> = (0..width).map(|i| head.cell(i).to_string()).collect();
        let mut sheet = Sheet {
            file,
            table,
            header,
            names,
            cols: Vec::new(),
        };
        let mut errors = Vec::new();
        for (i, name) in sheet.names.iter().enumerate() {
            if name.is_empty() {
                sheet.cols.push(None);
                continue;
            }
            match columns::parse(name) {
                Ok(col) => {
                    if let Some(j) = sheet.cols.iter().position(|c| c.as_ref() == Some(&col)) {
                        errors.push(
                            sheet
                                .error(
                                    head,
                                    Some(i),
                                    format!("`{name}` is the same column as `{}`", sheet.names[j]),
                                )
                                .hint("keep one of the two columns"),
                        );
                    }
                    sheet.cols.push(Some(col));
                }
                Err(hint) => {
                    errors.push(
                        sheet
                            .error(head, Some(i), format!("unknown column `{name}`"))
                            .hint(hint),
                    );
                    sheet.cols.push(None);
                }
            }
        }
        if sheet.col(&Col::Price).is_none() {
            errors.push(
                sheet
                    .error(head, None, "the sheet has no price column".into())
                    .hint("add a column named 价格 (or price) with each product's price in yuan"),
            );
        }
        for (i, _) in sheet.names.iter().enumerate().filter(|(_, n)| n.is_empty()) {
            if let Some(r) = sheet.data().find(|r| !r.cell(i).is_empty()) {
                errors.push(
                    sheet
                        .error(
                            r,
                            Some(i),
                            "this column has values but no name in the header row".into(),
                        )
                        .hint("name the column (标题, 价格, extra.产地, …) or empty it"),
                );
            }
        }
        if errors.is_empty() {
            Ok(sheet)
        } else {
            Err(errors)
        }
    }

    /// The rows below the header that have something in them.
    fn data(&self) -> impl Iterator<Item = &'a Row> + use<'a> {
        self.table.rows[self.header + 1..]
            .iter()
            .filter(|r| !r.is_empty())
    }

    fn col(&self, c: &Col) -> Option<usize> {
        self.cols.iter().position(|x| x.as_ref() == Some(c))
    }

    fn get<'r>(&self, r: &'r Row, c: &Col) -> &'r str {
        self.col(c).map_or("", |i| r.cell(i))
    }

    fn error(&self, row: &Row, col: Option<usize>, message: String) -> Diagnostic {
        let name = col.map(|i| (i, self.names.get(i).map_or("", String::as_str)));
        Diagnostic::new(self.file, message).in_cell(self.table.place(row, name))
    }

    /// Rows grouped into products: by slug, else by style number (a row with both joins the
    /// two), else by title; a row with none of them continues the product above.
    fn groups(&self) -> Result<Vec<Vec<&'a Row>>, Vec<Diagnostic>> {
        let mut groups: Vec<Vec<&Row>> = Vec::new();
        // Slugs and titles (made slugs) → group; style numbers → group.
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut by_style: HashMap<&str, usize> = HashMap::new();
        for r in self.data() {
            let (s, t) = (self.get(r, &Col::Slug), self.get(r, &Col::Title));
            let style = self.get(r, &Col::Style);
            let key = if !s.is_empty() {
                Some(s.to_string())
            } else if style.is_empty() && !t.is_empty() {
                let made = slug::slugify(t);
                Some(if made.is_empty() { t.to_string() } else { made })
            } else {
                None
            };
            let found = match &key {
                Some(k) => by_key
                    .get(k)
                    .or_else(|| by_style.get(style).filter(|_| !s.is_empty()))
                    .copied(),
                None if !style.is_empty() => by_style.get(style).copied(),
                None => match groups.len() {
                    0 => {
                        return Err(vec![
                            self.error(r, self.col(&Col::Title), "the first product row has no title".into())
                                .hint("give every product a title (标题); a row without one continues the product above it"),
                        ]);
                    }
                    n => Some(n - 1),
                },
            };
            let g = found.unwrap_or_else(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(r);
            if let Some(k) = key {
                by_key.entry(k).or_insert(g);
            }
            if !style.is_empty() {
                by_style.entry(style).or_insert(g);
            }
        }
        Ok(groups)
    }

    fn products(&self, checks: &Checks) -> Result<Vec<Product>, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for rows in self.groups()? {
            match self.product(&rows, checks) {
                Ok(p) => out.push(p),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// One product from its rows.
    fn product(&self, rows: &[&Row], checks: &Checks) -> Result<Product, Vec<Diagnostic>> {
        let first = rows[0];
        let mut errors = Vec::new();
        let mut m = ProductMeta::default();
        let mut body = String::new();
        let variant_cols: Vec<(usize, &str)> = self
            .cols
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c {
                Some(Col::Variant(name)) if rows.iter().any(|r| !r.cell(i).is_empty()) => {
                    Some((i, name.as_str()))
                }
                _ => None,
            })
            .collect();
        if rows.len() > 1 && variant_cols.is_empty() {
            let title = first.cell(self.col(&Col::Title).unwrap_or(0));
            for r in &rows[1..] {
                errors.push(
                    self.error(
                        r,
                        self.col(&Col::Slug).or(self.col(&Col::Title)),
                        format!("a second product `{title}` (the first is in row {})", first.number),
                    )
                    .hint("give each product its own title or slug; rows of one product differ by their variant columns (规格.颜色, …)"),
                );
            }
        }
        // The first of products sharing a slug is still checked.
        let rows = if variant_cols.is_empty() {
            &rows[..1]
        } else {
            rows
        };
        // The product's own fields, from its first row; later rows leave them empty.
        for (i, col) in self.cols.iter().enumerate() {
            let Some(col) = col else { continue };
            let text = first.cell(i);
            if rows.len() > 1 && !col.per_row() {
                for r in &rows[1..] {
                    let t = r.cell(i);
                    if !t.is_empty() && t != text {
                        errors.push(
                            self.error(
                                r,
                                Some(i),
                                format!("`{t}` differs from row {} of the same product (`{text}`)", first.number),
                            )
                            .hint("a product's own fields are given on its first row; leave them empty (or the same) on the rows of its other combinations"),
                        );
                    }
                }
            }
            if text.is_empty() || (rows.len() > 1 && col.per_row()) {
                continue;
            }
            if *col == Col::Body {
                body = first.cells[i].replace("\r\n", "\n");
                continue;
            }
            if let Err((msg, hint)) = cells::set(&mut m, col, text) {
                errors.push(self.error(first, Some(i), msg).hint(hint));
            }
        }
        let price_col = self.col(&Col::Price);
        let mut image_at: Vec<(usize, usize)> = Vec::new();
        if let Some(i) = self.col(&Col::Images) {
            image_at = m.images.iter().map(|_| (0, i)).collect();
        }
        if rows.len() == 1 {
            for &(i, name) in &variant_cols {
                m.variants.push(Variant {
                    name: name.to_string(),
                    options: cells::list(first.cell(i)),
                });
            }
        } else {
            for &(i, name) in &variant_cols {
                let mut options: Vec<String> = Vec::new();
                for r in rows {
                    let o = r.cell(i);
                    if o.is_empty() {
                        errors.push(
                            self.error(r, Some(i), format!("this row gives no {name}"))
                                .hint("each row of a product with several rows is one combination: give one option of every variant column the product uses"),
                        );
                    } else if !options.iter().any(|x| x == o) {
                        options.push(o.to_string());
                    }
                }
                m.variants.push(Variant {
                    name: name.to_string(),
                    options,
                });
            }
            for (k, r) in rows.iter().enumerate() {
                let mut sku = Sku {
                    options: variant_cols
                        .iter()
                        .map(|&(i, _)| r.cell(i).to_string())
                        .collect(),
                    price: None,
                    original_price: None,
                    prices: Default::default(),
                    original_prices: Default::default(),
                    sku: None,
                    stock: None,
                    image: None,
                };
                for (i, col) in self.cols.iter().enumerate() {
                    let Some(col) = col.as_ref().filter(|c| c.per_row()) else {
                        continue;
                    };
                    let text = r.cell(i);
                    if text.is_empty() {
                        continue;
                    }
                    if let Err((msg, hint)) = cells::set_sku(&mut sku, &mut m, col, text) {
                        errors.push(self.error(r, Some(i), msg).hint(hint));
                    }
                    if *col == Col::Images {
                        image_at.resize(m.images.len(), (k, i));
                    }
                }
                if k == 0 {
                    match sku.price {
                        Some(p) => m.price = p,
                        None => errors.push(
                            self.error(r, price_col, "the product has no price".into())
                                .hint("give the price in yuan, e.g. 1299 or 1299.50"),
                        ),
                    }
                    m.original_price = sku.original_price;
                }
                m.skus.push(sku);
            }
        }
        if rows.len() == 1 && first.cell(price_col.unwrap_or(0)).is_empty() {
            errors.push(
                self.error(first, price_col, "the product has no price".into())
                    .hint("give the price in yuan, e.g. 1299 or 1299.50"),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (slug, problems) = product::check(&m, "", checks);
        if !problems.is_empty() {
            return Err(problems
                .into_iter()
                // A combination's photo is in the gallery too, and its problem said there.
                .filter(|p| !(p.field.starts_with("skus[") && p.field.ends_with("].image")))
                .map(|p| {
                    let (r, c) = self.locate(&p.field, rows, &variant_cols, &image_at);
                    self.error(r, c, p.message).hint(p.hint)
                })
                .collect());
        }
        Ok(product::finish(
            m,
            slug.clone(),
            body,
            source(self.file, &slug),
            self.digest(rows),
        ))
    }

    /// The cell a product field's problem is about (`skus[2].options[0]` → the third row's
    /// first variant column).
    fn locate(
        &self,
        field: &str,
        rows: &[&'a Row],
        variants: &[(usize, &str)],
        images: &[(usize, usize)],
    ) -> (&'a Row, Option<usize>) {
        let index = |s: &str| -> Option<usize> { s.split_once(']')?.0.parse().ok() };
        if let Some(rest) = field.strip_prefix("skus[") {
            let k = index(rest).unwrap_or(0).min(rows.len() - 1);
            let sub = rest.split_once("].").map_or("", |(_, s)| s);
            let col = if let Some(o) = sub.strip_prefix("options[") {
                index(o).and_then(|j| variants.get(j)).map(|v| v.0)
            } else if sub.starts_with("options") {
                variants.first().map(|v| v.0)
            } else {
                self.col_of(sub)
            };
            return (rows[k], col);
        }
        if let Some(rest) = field.strip_prefix("images[")
            && let Some(&(k, c)) = index(rest).and_then(|i| images.get(i))
        {
            return (rows[k], Some(c));
        }
        if field.starts_with("skus") || field.starts_with("variants") {
            return (rows[0], variants.first().map(|v| v.0));
        }
        (rows[0], self.col_of(field))
    }

    /// The column of a front-matter field (`original_price`, `tags[1]`).
    fn col_of(&self, field: &str) -> Option<usize> {
        let root = field.split(['[', '.']).next().unwrap_or(field);
        let col = match root {
            "image" => Col::Images,
            f => columns::parse(f).ok()?,
        };
        self.col(&col)
    }

    /// A digest of what the product is made of: the header and its rows' cells.
    fn digest(&self, rows: &[&Row]) -> u64 {
        let mut s = self.names.join("\u{1f}");
        for r in rows {
            s.push('\u{1e}');
            s.push_str(&r.cells.join("\u{1f}"));
        }
        super::text_digest(&s)
    }
}
