//! The prices a product page, a card and the order helper show: one [`PriceView`] per offer
//! (the product's own, and each combination listed in `skus:`), made of the same pieces so the
//! page's script only swaps text.

use serde::Serialize;

use crate::config::{Config, Language};
use crate::content::Product;
use crate::content::price::Fen;
use crate::content::skus::{self, Offer};

/// One price as a price tag sets it, with its original price, saving and discount.
#[derive(Serialize, Clone)]
pub struct PriceView {
    /// `¥1,299.00`
    pub price: String,
    pub fen: u64,
    /// `1,299` and `00` (no cents when hidden).
    pub whole: String,
    pub cents: Option<String>,
    pub original_price: Option<String>,
    pub saving: Option<String>,
    /// `8.1折` or `19% off`.
    pub discount: Option<String>,
}

impl PriceView {
    pub fn new(price: Fen, original: Option<Fen>, config: &Config) -> PriceView {
        let sym = config.currency.symbol();
        let hide = config.price.hide_zero_cents;
        let original = original.filter(|o| *o > price);
        let (whole, cents) = price.parts(hide);
        PriceView {
            price: price.display(sym, hide),
            fen: price.0,
            whole,
            cents,
            original_price: original.map(|o| o.display(sym, hide)),
            saving: original.map(|o| Fen(o.0 - price.0).display(sym, hide)),
            discount: original.and_then(|o| match config.language {
                Language::En => price.percent_off(o),
                _ => price.discount_of(o),
            }),
        }
    }
}

/// One offer for the order helper: `options` empty for the product's own.
#[derive(Serialize)]
pub struct OfferView {
    pub options: Vec<String>,
    #[serde(flatten)]
    pub price: PriceView,
    pub sku: Option<String>,
    pub stock: Option<u32>,
    /// The gallery slide (from 1) of the combination's photo.
    pub slide: Option<usize>,
}

fn offer_view(o: Offer, options: &[String], slide: Option<usize>, c: &Config) -> OfferView {
    OfferView {
        options: options.to_vec(),
        price: PriceView::new(o.price, o.original, c),
        sku: o.sku.map(str::to_string),
        stock: o.stock,
        slide,
    }
}

/// The offers of a product that lists combinations (empty without `skus:`): the product's own
/// first, then each listed combination.
pub fn offers(p: &Product, c: &Config) -> Vec<OfferView> {
    let m = &p.meta;
    if m.skus.is_empty() {
        return Vec::new();
    }
    let mut out = vec![offer_view(skus::base(m), &[], None, c)];
    out.extend(m.skus.iter().map(|s| {
        let slide = s
            .image
            .as_ref()
            .and_then(|img| m.images.iter().position(|i| i == img))
            .map(|i| i + 1);
        offer_view(skus::offer(m, s), &s.options, slide, c)
    }));
    out
}

/// The options of a one-variant product whose combination is sold out: their chips are
/// crossed out even without the script.
pub fn sold_out_options(p: &Product) -> Vec<String> {
    let m = &p.meta;
    if m.variants.len() != 1 {
        return Vec::new();
    }
    m.skus
        .iter()
        .filter(|s| !skus::offer(m, s).in_stock())
        .map(|s| s.options[0].clone())
        .collect()
}
