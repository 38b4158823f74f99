//! A cell's text as the value of a product field: prices exact in fen, whole numbers, yes/no,
//! lists, dates. Each refusal says what was written and what to write instead.

use super::columns::Col;
use crate::content::price::Fen;
use crate::content::product::{ProductMeta, Spec};
use crate::content::skus::Sku;

/// A refused cell: the message and the hint.
pub type Refusal = (String, String);

/// Set the product field of column `col` from a (non-empty, trimmed) cell.
pub fn set(m: &mut ProductMeta, col: &Col, text: &str) -> Result<(), Refusal> {
    let s = || text.to_string();
    match col {
        Col::Slug => m.slug = Some(s()),
        Col::Title => m.title = s(),
        Col::Subtitle => m.subtitle = Some(s()),
        Col::Price => m.price = price(text)?,
        Col::OriginalPrice => m.original_price = Some(price(text)?),
        Col::Sku => m.sku = Some(s()),
        Col::Style => {
            if m.sku.is_none() {
                m.sku = Some(s());
            }
        }
        Col::Category => m.category = Some(s()),
        Col::Tags => m.tags = list(text),
        Col::Images => m.images = list(text),
        Col::Badges => m.badges = list(text),
        Col::Stock => m.stock = Some(count(text)?),
        Col::Fapiao => m.fapiao = yes(text)?,
        Col::Weight => m.weight = whole(text)?,
        Col::Date => m.date = Some(date(text)),
        Col::Draft => m.draft = yes(text)?,
        Col::Description => m.description = Some(s()),
        Col::Featured => m.featured = yes(text)?,
        // The body column is the caller's; a variant column is read per product.
        Col::Body | Col::Variant(_) => {}
        Col::Spec(name) => m.specs.push(Spec {
            name: name.clone(),
            value: s(),
        }),
        Col::Extra(name) => {
            m.extra.insert(name.clone(), serde_json::Value::String(s()));
        }
    }
    Ok(())
}

/// Set a combination's field from a cell of its own row; its photos join the gallery.
pub fn set_sku(sku: &mut Sku, m: &mut ProductMeta, col: &Col, text: &str) -> Result<(), Refusal> {
    match col {
        Col::Price => sku.price = Some(price(text)?),
        Col::OriginalPrice => sku.original_price = Some(price(text)?),
        Col::Sku => sku.sku = Some(text.to_string()),
        Col::Stock => sku.stock = Some(count(text)?),
        Col::Images => {
            let photos = list(text);
            sku.image = photos.first().cloned();
            for p in photos {
                if !m.images.contains(&p) {
                    m.images.push(p);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// A list in one cell: separated by commas (, ，), 、, semicolons or line breaks.
pub fn list(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；', '\n', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Full-width digits and signs (１２９９．５０, ＋, －) as their ASCII forms.
fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' | '．' | '，' | '－' | '＋' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '　' => ' ',
            c => c,
        })
        .collect()
}

/// A price in yuan, exact in fen. `¥1,299`, `￥1299`, `1299元` and full-width digits are
/// refused with the plain number to write instead.
pub fn price(text: &str) -> Result<Fen, Refusal> {
    let how = "write the amount in yuan as a plain number, like 1299 or 1299.50";
    let plain: String = half_width(text)
        .replace("RMB", "")
        .replace("CNY", "")
        .chars()
        .filter(|c| !matches!(c, '¥' | '￥' | ',' | '元' | ' '))
        .collect();
    let mut what = Vec::new();
    if text.contains(['¥', '￥']) || text.contains("RMB") || text.contains("CNY") {
        what.push("a currency sign");
    }
    if text.contains('元') {
        what.push("元");
    }
    if half_width(text).contains(',') {
        what.push("a thousands separator");
    }
    if text
        .chars()
        .any(|c| ('０'..='９').contains(&c) || c == '．')
    {
        what.push("full-width digits");
    }
    if !what.is_empty() {
        let hint = match Fen::parse_yuan(&plain) {
            Ok(_) => format!("write `{plain}`: the price column holds the plain amount in yuan"),
            Err(_) => how.to_string(),
        };
        return Err((
            format!(
                "`{text}` is not a plain number: it has {}",
                what.join(" and ")
            ),
            hint,
        ));
    }
    Fen::parse_yuan(text).map_err(|e| {
        let m = e.0.split("; ").next().unwrap_or(&e.0).to_string();
        (m, how.to_string())
    })
}

/// A stock count: a whole number, 0 or more.
fn count(text: &str) -> Result<u32, Refusal> {
    let t = half_width(text);
    let hint = "write how many are in stock as a whole number (0 for sold out)".to_string();
    if t.starts_with('-') && t[1..].bytes().all(|b| b.is_ascii_digit()) {
        return Err((format!("`{text}` is negative"), hint));
    }
    let t = t.strip_suffix(".0").unwrap_or(&t);
    match t.parse::<u32>() {
        Ok(n) if text.is_ascii() => Ok(n),
        Ok(_) => Err((
            format!("`{text}` is written in full-width digits"),
            format!("write `{t}`"),
        )),
        Err(_) => Err((format!("`{text}` is not a whole number"), hint)),
    }
}

/// A sort weight: a whole number, may be negative.
fn whole(text: &str) -> Result<i64, Refusal> {
    text.strip_suffix(".0")
        .unwrap_or(text)
        .parse()
        .map_err(|_| {
            (
                format!("`{text}` is not a whole number"),
                "write a whole number; lower weights are listed first".to_string(),
            )
        })
}

/// Yes or no: `true`/`false`, `yes`/`no`, `1`/`0`, `是`/`否`, `有`/`无`.
fn yes(text: &str) -> Result<bool, Refusal> {
    match text.to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "是" | "有" | "√" | "✓" => Ok(true),
        "false" | "no" | "n" | "0" | "否" | "无" | "×" => Ok(false),
        _ => Err((
            format!("`{text}` is neither yes nor no"),
            "write 是 or 否 (or true / false)".to_string(),
        )),
    }
}

/// A date as front matter has it: Excel's `2026/3/1` becomes `2026-03-01`; anything else is
/// kept for the product checks to judge.
fn date(text: &str) -> String {
    let parts: Vec<&str> = text.split('/').collect();
    if let [y, m, d] = parts.as_slice()
        && y.len() == 4
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u16>(), m.parse::<u8>(), d.parse::<u8>())
    {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_exact_or_refused_with_the_number_to_write() {
        assert_eq!(price("1299"), Ok(Fen(129900)));
        assert_eq!(price("1299.5"), Ok(Fen(129950)));
        let (m, h) = price("¥1,299").unwrap_err();
        assert!(
            m.contains("currency sign") && m.contains("thousands"),
            "{m}"
        );
        assert!(h.contains("`1299`"), "{h}");
        let (m, h) = price("１２９９．５０").unwrap_err();
        assert!(m.contains("full-width"), "{m}");
        assert!(h.contains("`1299.50`"), "{h}");
        let (m, _) = price("￥899元").unwrap_err();
        assert!(m.contains("元"), "{m}");
        assert!(price("abc").unwrap_err().0.contains("not a number"));
        assert!(price("-5").unwrap_err().0.contains("negative"));
        assert!(price("12.999").unwrap_err().0.contains("two decimals"));
    }

    #[test]
    fn counts_flags_lists_and_dates() {
        assert_eq!(count("12"), Ok(12));
        assert!(count("-5").unwrap_err().0.contains("negative"));
        assert!(count("abc").unwrap_err().0.contains("not a whole number"));
        assert!(count("１２").unwrap_err().1.contains("`12`"));
        assert_eq!(yes("是"), Ok(true));
        assert_eq!(yes("FALSE"), Ok(false));
        assert!(yes("也许").is_err());
        assert_eq!(list("黑色、棕色, 白色；灰"), ["黑色", "棕色", "白色", "灰"]);
        assert_eq!(date("2026/3/1"), "2026-03-01");
        assert_eq!(date("2026-03-01"), "2026-03-01");
    }
}
