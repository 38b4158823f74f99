//! Per-combination offers (`skus:` in a product's front matter): one option of each variant,
//! with its own price, original price, SKU, stock and photo. A combination not listed takes
//! the product's own fields.

use serde::{Deserialize, Serialize};

use super::price::Fen;
use super::product::{ProductMeta, Variant};

/// One option combination as the author writes it, e.g.
/// `{ options: [经典黑, 大号], price: 1399, sku: SC-W-1001-BK-L, stock: 4 }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sku {
    /// One option of each variant, in the order of `variants:`.
    pub options: Vec<String>,
    #[serde(default)]
    pub price: Option<Fen>,
    #[serde(default)]
    pub original_price: Option<Fen>,
    /// Its prices in other currencies (`prices: { HKD: 1599 }`), for a language selling in them.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub prices: std::collections::BTreeMap<crate::config::Currency, Fen>,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub original_prices: std::collections::BTreeMap<crate::config::Currency, Fen>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub stock: Option<u32>,
    /// A photo below `static/` shown when this combination is chosen; it joins the gallery.
    #[serde(default)]
    pub image: Option<String>,
}

/// What a buyer pays and gets for one combination (or for the product, without `skus:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer<'a> {
    pub price: Fen,
    /// Only when higher than `price`.
    pub original: Option<Fen>,
    pub sku: Option<&'a str>,
    pub stock: Option<u32>,
}

impl Offer<'_> {
    pub fn in_stock(&self) -> bool {
        self.stock != Some(0)
    }
}

/// The product's own offer: what every combination not listed in `skus:` gets.
pub fn base(m: &ProductMeta) -> Offer<'_> {
    Offer {
        price: m.price,
        original: m.original_price.filter(|o| *o > m.price),
        sku: m.sku.as_deref(),
        stock: m.stock,
    }
}

/// The offer of one listed combination.
pub fn offer<'a>(m: &'a ProductMeta, s: &'a Sku) -> Offer<'a> {
    let price = s.price.unwrap_or(m.price);
    Offer {
        price,
        original: s.original_price.or(m.original_price).filter(|o| *o > price),
        sku: s.sku.as_deref().or(m.sku.as_deref()),
        stock: s.stock.or(m.stock),
    }
}

/// How many option combinations the variants make (saturating).
pub fn combinations(variants: &[Variant]) -> u128 {
    variants
        .iter()
        .fold(1u128, |n, v| n.saturating_mul(v.options.len() as u128))
}

/// What a card and a listing say of a product with several offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary<'a> {
    /// The cheapest offer a buyer can choose (an in-stock one when there is one).
    pub lowest: Offer<'a>,
    /// The highest price, when it differs from the lowest.
    pub highest: Option<Fen>,
    pub in_stock: bool,
}

/// The offers a buyer can choose between: the listed combinations, plus the product's own
/// when some combination is not listed (or there are no `skus:`).
pub fn summary(m: &ProductMeta) -> Summary<'_> {
    // No list: called for every product by the views and the search facets.
    let own =
        (m.skus.is_empty() || combinations(&m.variants) > m.skus.len() as u128).then(|| base(m));
    let offers = || m.skus.iter().map(|s| offer(m, s)).chain(own);
    let in_stock = offers().any(|o| o.in_stock());
    let choosable = || offers().filter(|o| o.in_stock() || !in_stock);
    let lowest = choosable()
        .min_by_key(|o| o.price)
        .unwrap_or_else(|| base(m));
    let highest = choosable()
        .map(|o| o.price)
        .max()
        .filter(|h| *h > lowest.price);
    Summary {
        lowest,
        highest,
        in_stock,
    }
}

/// Problems with `skus:`: `(field, message, hint)`.
pub fn validate(m: &ProductMeta) -> Vec<(String, String, String)> {
    let mut errs = Vec::new();
    if !m.skus.is_empty() && m.variants.is_empty() {
        errs.push((
            "skus".into(),
            "`skus:` lists option combinations but the product has no `variants:`".into(),
            "add the variants first, e.g. `variants: [{ name: 颜色, options: [黑色, 棕色] }]`"
                .into(),
        ));
        return errs;
    }
    let names: Vec<&str> = m.variants.iter().map(|v| v.name.as_str()).collect();
    let mut seen: Vec<&[String]> = Vec::new();
    for (i, s) in m.skus.iter().enumerate() {
        let field = |f: &str| format!("skus[{i}].{f}");
        if s.options.len() != m.variants.len() {
            errs.push((
                field("options"),
                format!(
                    "a combination names one option of each variant ({}), this one names {}",
                    names.join("、"),
                    s.options.len()
                ),
                format!(
                    "write the options in the order of `variants:`, e.g. `options: [{}]`",
                    m.variants
                        .iter()
                        .map(|v| v.options.first().map_or("…", String::as_str))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            continue;
        }
        for (j, (o, v)) in s.options.iter().zip(&m.variants).enumerate() {
            if !v.options.contains(o) {
                errs.push((
                    format!("skus[{i}].options[{j}]"),
                    format!("`{o}` is not an option of variant `{}`", v.name),
                    format!("choose one of: {}", v.options.join(", ")),
                ));
            }
        }
        if seen.contains(&s.options.as_slice()) {
            errs.push((
                field("options"),
                format!("the combination {} is listed twice", s.options.join(" × ")),
                "list each combination once".into(),
            ));
        }
        seen.push(&s.options);
        let price = s.price.unwrap_or(m.price);
        if let Some(o) = s.original_price
            && o < price
        {
            errs.push((
                field("original_price"),
                format!(
                    "the original price ({}) is lower than the price ({})",
                    o.display("¥", false),
                    price.display("¥", false)
                ),
                "original_price is the price before the discount; remove it or make it higher"
                    .into(),
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(yaml: &str) -> ProductMeta {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const TOTE: &str = "title: 托特包\nprice: 1299\noriginal_price: 1599\nsku: SC-W-1001\nstock: 9\n\
        variants: [{ name: 颜色, options: [焦糖棕, 经典黑] }, { name: 尺寸, options: [中号, 大号] }]\n";

    #[test]
    fn a_listed_combination_has_its_own_offer_and_falls_back_field_by_field() {
        let m = meta(&format!(
            "{TOTE}skus:\n  - {{ options: [经典黑, 大号], price: 1399, sku: SC-W-1001-BK-L, stock: 4 }}\n  - {{ options: [焦糖棕, 大号], stock: 0 }}\n"
        ));
        assert!(validate(&m).is_empty());
        let black = offer(&m, &m.skus[0]);
        assert_eq!(black.price, Fen(139_900));
        assert_eq!(
            black.original,
            Some(Fen(159_900)),
            "the product's original price"
        );
        assert_eq!(black.sku, Some("SC-W-1001-BK-L"));
        assert_eq!(black.stock, Some(4));
        let brown = offer(&m, &m.skus[1]);
        assert_eq!(
            (brown.price, brown.sku, brown.in_stock()),
            (Fen(129_900), Some("SC-W-1001"), false)
        );
        let s = summary(&m);
        assert_eq!(
            s.lowest.price,
            Fen(129_900),
            "two combinations are unlisted"
        );
        assert_eq!(s.highest, Some(Fen(139_900)));
        assert!(s.in_stock);
    }

    #[test]
    fn every_combination_listed_leaves_the_product_price_out() {
        let m = meta(&format!(
            "{TOTE}skus:\n  - {{ options: [焦糖棕, 中号], price: 1499 }}\n  - {{ options: [焦糖棕, 大号], price: 1599, original_price: 1899 }}\n  - {{ options: [经典黑, 中号], price: 999, stock: 0 }}\n  - {{ options: [经典黑, 大号], price: 1699 }}\n"
        ));
        let s = summary(&m);
        assert_eq!(
            s.lowest.price,
            Fen(149_900),
            "the sold-out ¥999 is not the from price"
        );
        assert_eq!(s.lowest.original, Some(Fen(159_900)));
        assert_eq!(s.highest, Some(Fen(169_900)));
        let all_out = meta(&format!(
            "{}skus:\n  - {{ options: [焦糖棕, 中号], price: 1499 }}\n",
            TOTE.replace("stock: 9", "stock: 0")
        ));
        let s = summary(&all_out);
        assert!(!s.in_stock);
        assert_eq!(s.lowest.price, Fen(129_900));
    }

    #[test]
    fn bad_combinations_are_named() {
        let m = meta(&format!(
            "{TOTE}skus:\n  - {{ options: [经典黑] }}\n  - {{ options: [经典黑, 特大号] }}\n  - {{ options: [经典黑, 大号] }}\n  - {{ options: [经典黑, 大号], price: 10, original_price: 9 }}\n"
        ));
        let errs = validate(&m);
        let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            fields,
            [
                "skus[0].options",
                "skus[1].options[1]",
                "skus[3].options",
                "skus[3].original_price"
            ]
        );
        assert!(errs[1].2.contains("中号, 大号"), "{:?}", errs[1]);
        let none = meta("title: x\nprice: 1\nskus: [{ options: [a] }]\n");
        assert_eq!(validate(&none)[0].0, "skus");
    }
}
