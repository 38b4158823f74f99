//! The columns of a catalog sheet: front-matter field names, their Chinese aliases, and the
//! prefixed columns (`variant.颜色`, `spec.材质`, `extra.产地`).

use crate::util::diag::did_you_mean;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Col {
    Slug,
    Title,
    Subtitle,
    Price,
    OriginalPrice,
    Sku,
    /// The style number (款号) the rows of one product share: they are grouped by it, and it
    /// is the product's SKU where no row gives one.
    Style,
    Category,
    Tags,
    Images,
    Badges,
    Stock,
    Fapiao,
    Weight,
    Date,
    Draft,
    Description,
    Featured,
    Body,
    /// One variant (`variant.颜色`): a row's option of it.
    Variant(String),
    /// One line of the specs table (`spec.材质`).
    Spec(String),
    /// A theme field (`extra.产地`).
    Extra(String),
}

impl Col {
    /// Whether each row of a product with several rows (one per combination) may give its own
    /// value; the other columns are the product's and are given once.
    pub fn per_row(&self) -> bool {
        matches!(
            self,
            Col::Price | Col::OriginalPrice | Col::Sku | Col::Stock | Col::Images | Col::Variant(_)
        )
    }
}

/// Each field with the header names that mean it (compared without case, spaces, `_` or `-`).
const NAMES: &[(&str, &[&str])] = &[
    ("slug", &["slug", "链接", "网址", "handle"]),
    ("title", &["title", "标题", "名称", "商品名称", "品名"]),
    ("subtitle", &["subtitle", "副标题"]),
    ("price", &["price", "价格", "售价", "现价", "单价"]),
    (
        "original_price",
        &["original_price", "原价", "划线价", "compare at price"],
    ),
    ("sku", &["sku", "货号", "商品编码", "sku编码"]),
    ("style", &["style", "spu", "款号", "款式编号"]),
    ("category", &["category", "分类", "类目", "类别"]),
    ("tags", &["tags", "标签"]),
    ("images", &["images", "image", "图片", "主图"]),
    ("badges", &["badges", "卖点", "角标"]),
    ("stock", &["stock", "库存", "数量"]),
    ("fapiao", &["fapiao", "发票"]),
    ("weight", &["weight", "排序"]),
    ("date", &["date", "日期", "上架日期"]),
    ("draft", &["draft", "草稿"]),
    ("description", &["description", "描述", "简介"]),
    ("featured", &["featured", "推荐", "精选"]),
    ("body", &["body", "详情", "正文"]),
];

/// The prefixes of the named columns, with their aliases.
const PREFIXES: &[(&str, &[&str])] = &[
    ("variant", &["variant", "规格", "选项"]),
    ("spec", &["spec", "参数"]),
    ("extra", &["extra"]),
];

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column a header names, or why it names none (with a "did you mean").
pub fn parse(header: &str) -> Result<Col, String> {
    let h = header.trim();
    if let Some((prefix, name)) = h.split_once(['.', '．']) {
        let name = name.trim();
        let p = fold(prefix);
        if let Some((kind, _)) = PREFIXES
            .iter()
            .find(|(_, aliases)| aliases.iter().any(|a| fold(a) == p))
        {
            if name.is_empty() {
                return Err(format!("`{h}` names no {kind}; write e.g. `{kind}.颜色`"));
            }
            return Ok(match *kind {
                "variant" => Col::Variant(name.into()),
                "spec" => Col::Spec(name.into()),
                _ => Col::Extra(name.into()),
            });
        }
    }
    let f = fold(h);
    let field = NAMES
        .iter()
        .find(|(_, aliases)| aliases.iter().any(|a| fold(a) == f))
        .map(|(field, _)| *field);
    Ok(match field {
        Some("slug") => Col::Slug,
        Some("title") => Col::Title,
        Some("subtitle") => Col::Subtitle,
        Some("price") => Col::Price,
        Some("original_price") => Col::OriginalPrice,
        Some("sku") => Col::Sku,
        Some("style") => Col::Style,
        Some("category") => Col::Category,
        Some("tags") => Col::Tags,
        Some("images") => Col::Images,
        Some("badges") => Col::Badges,
        Some("stock") => Col::Stock,
        Some("fapiao") => Col::Fapiao,
        Some("weight") => Col::Weight,
        Some("date") => Col::Date,
        Some("draft") => Col::Draft,
        Some("description") => Col::Description,
        Some("featured") => Col::Featured,
        Some("body") => Col::Body,
        _ => {
            let all: Vec<&str> = NAMES.iter().flat_map(|(_, a)| a.iter().copied()).collect();
            let folded: Vec<String> = all.iter().map(|a| fold(a)).collect();
            let candidates: Vec<&str> = folded.iter().map(String::as_str).collect();
            return Err(match did_you_mean(&f, &candidates) {
                Some(s) => {
                    let i = folded.iter().position(|x| x == s).unwrap_or(0);
                    format!(
                        "did you mean `{}`? A column of the theme's own is `extra.{h}`",
                        all[i]
                    )
                }
                None => format!(
                    "name it like a product field (标题, 价格, 原价, 分类, 库存, title, price, …), or `extra.{h}` to pass it to the theme"
                ),
            });
        }
    })
}

/// Whether a header cell names the title column (how the header row is found).
pub fn is_title(header: &str) -> bool {
    parse(header) == Ok(Col::Title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases() {
        assert_eq!(parse("标题"), Ok(Col::Title));
        assert_eq!(parse(" Title "), Ok(Col::Title));
        assert_eq!(parse("原价"), Ok(Col::OriginalPrice));
        assert_eq!(parse("Original Price"), Ok(Col::OriginalPrice));
        assert_eq!(parse("库存"), Ok(Col::Stock));
        assert_eq!(parse("规格.颜色"), Ok(Col::Variant("颜色".into())));
        assert_eq!(parse("variant.Size"), Ok(Col::Variant("Size".into())));
        assert_eq!(parse("参数.材质"), Ok(Col::Spec("材质".into())));
        assert_eq!(parse("extra.材质"), Ok(Col::Extra("材质".into())));
        assert!(parse("prise").unwrap_err().contains("did you mean `price`"));
        assert!(parse("产地").unwrap_err().contains("extra.产地"));
        assert!(parse("variant.").is_err());
    }
}
