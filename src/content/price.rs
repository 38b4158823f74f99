//! Prices as integer fen (分): parsed exactly from the yuan amount the author wrote, never floats.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// An amount of money in fen (1 yuan = 100 fen).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Fen(pub u64);

/// Why a written price was refused; the message says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceError(pub String);

impl fmt::Display for PriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const HOW: &str = "write the amount in yuan as a plain number, like 1299 or 1299.50";

impl Fen {
    /// Parse a decimal yuan amount (`1299`, `1299.5`, `1299.50`) exactly.
    pub fn parse_yuan(s: &str) -> Result<Fen, PriceError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(PriceError(format!("price is empty; {HOW}")));
        }
        if t.starts_with('-') {
            return Err(PriceError(format!("price `{t}` is negative; {HOW}")));
        }
        let (int, frac) = t.split_once('.').unwrap_or((t, "0"));
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || !digits(frac) {
            return Err(PriceError(format!(
                "price `{t}` is not a number (no ¥ sign, commas or words); {HOW}"
            )));
        }
        if frac.len() > 2 {
            return Err(PriceError(format!(
                "price `{t}` has more than two decimals; prices are counted in fen (0.01 yuan)"
            )));
        }
        let yuan: u64 = int
            .parse()
            .ok()
            .filter(|y: &u64| *y <= 1_000_000_000)
            .ok_or_else(|| PriceError(format!("price `{t}` is too large")))?;
        let mut fen: u64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            fen += u64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        Ok(Fen(yuan * 100 + fen))
    }

    /// `¥1,299.00`, or `¥1,299` when `hide_zero_cents` and there are no fen.
    pub fn display(self, symbol: &str, hide_zero_cents: bool) -> String {
        match self.parts(hide_zero_cents) {
            (whole, Some(cents)) => format!("{symbol}{whole}.{cents}"),
            (whole, None) => format!("{symbol}{whole}"),
        }
    }

    /// The amount as a plain decimal for machines (`1299.00`, or `1299` when the cents are
    /// zero and `hide_zero_cents`): no symbol, no grouping.
    pub fn amount(self, hide_zero_cents: bool) -> String {
        let (yuan, fen) = (self.0 / 100, self.0 % 100);
        if hide_zero_cents && fen == 0 {
            yuan.to_string()
        } else {
            format!("{yuan}.{fen:02}")
        }
    }

    /// The whole yuan grouped by thousands (`1,299`) and the two cent digits (`00`), which
    /// themes set in different sizes; no cents when they are zero and `hide_zero_cents`.
    pub fn parts(self, hide_zero_cents: bool) -> (String, Option<String>) {
        let yuan = self.0 / 100;
        let fen = self.0 % 100;
        let digits = yuan.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let cents = (!(hide_zero_cents && fen == 0)).then(|| format!("{fen:02}"));
        (grouped, cents)
    }

    /// The price as a 折 discount of `original` (`8.1折`), or None when it is no discount.
    pub fn discount_of(self, original: Fen) -> Option<String> {
        if original.0 == 0 || self >= original {
            return None;
        }
        // tenths of 折, rounded down so that a discount is never overstated
        let tenths = self.0 * 100 / original.0;
        let (whole, tenth) = (tenths / 10, tenths % 10);
        if whole == 0 && tenth == 0 {
            return None;
        }
        Some(if tenth == 0 {
            format!("{whole}折")
        } else {
            format!("{whole}.{tenth}折")
        })
    }
}

impl Fen {
    /// The saving against `original` as whole percent off (`19% off`), for English pages.
    pub fn percent_off(self, original: Fen) -> Option<String> {
        if original.0 == 0 || self >= original {
            return None;
        }
        let pct = (original.0 - self.0) * 100 / original.0;
        (pct > 0).then(|| format!("{pct}% off"))
    }
}

impl<'de> Deserialize<'de> for Fen {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fen, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Fen;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a price in yuan, like 1299 or 1299.50")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Fen, E> {
                Fen::parse_yuan(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Fen, E> {
                Fen::parse_yuan(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Fen, E> {
                // Only from a deserializer that has no text of the number (YAML gives the
                // text, below): a float cannot say whether more than two decimals were written.
                Err(E::custom(format!(
                    "price `{v}` reached shopgen as a binary fraction; {HOW}"
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Fen, E> {
                Fen::parse_yuan(v).map_err(E::custom)
            }
        }
        // The scalar as written (`19.999999999999999`, not the float it rounds to), so the
        // amount is exact and a third decimal is refused whatever the number of digits.
        d.deserialize_str(V).map_err(|e| {
            let m = e.to_string();
            if m.contains("expected string scalar") {
                de::Error::custom(
                    "expected a price in yuan, like 1299 or 1299.50, not a list or a mapping",
                )
            } else {
                e
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts() {
        assert_eq!(Fen(129_900).amount(false), "1299.00");
        assert_eq!(Fen(129_900).amount(true), "1299");
        assert_eq!(Fen(129_950).amount(true), "1299.50");
        assert_eq!(Fen(5).amount(false), "0.05");
    }

    #[test]
    fn reads_the_yaml_text_not_a_float() {
        #[derive(Deserialize)]
        struct P {
            price: Fen,
        }
        let p = |s: &str| serde_saphyr::from_str::<P>(s).map(|p| p.price);
        assert_eq!(p("price: 1299").unwrap(), Fen(129_900));
        assert_eq!(p("price: 19.99").unwrap(), Fen(1_999));
        assert_eq!(p("price: \"12.30\"").unwrap(), Fen(1_230));
        for bad in [
            "price: 19.999999999999999",
            "price: 0.30000000000000004",
            "price: 1.001",
            "price: 1e3",
            "price: .inf",
            "price: -5",
            "price: [1]",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
        let e = p("price: [1, 2]").unwrap_err();
        assert!(e.to_string().contains("expected a price in yuan"), "{e}");
        assert!(e.location().is_some());
        assert!(
            p("price: 19.999999999999999")
                .unwrap_err()
                .to_string()
                .contains("more than two decimals")
        );
    }

    #[test]
    fn parses_yuan_exactly() {
        assert_eq!(Fen::parse_yuan("1299"), Ok(Fen(129_900)));
        assert_eq!(Fen::parse_yuan("3354.5"), Ok(Fen(335_450)));
        assert_eq!(Fen::parse_yuan("19.99"), Ok(Fen(1_999)));
        assert_eq!(Fen::parse_yuan("0.01"), Ok(Fen(1)));
        assert_eq!(Fen::parse_yuan(" 12.30 "), Ok(Fen(1_230)));
    }

    #[test]
    fn refuses_what_is_not_a_price() {
        for bad in [
            "¥1,299", "1,299", "-5", "abc", "", "1.234", "1.", ".5", "1e3",
        ] {
            assert!(Fen::parse_yuan(bad).is_err(), "{bad} should fail");
        }
        assert!(Fen::parse_yuan("-5").unwrap_err().0.contains("negative"));
    }

    #[test]
    fn yaml_numbers_and_strings() {
        #[derive(Deserialize)]
        struct P {
            price: Fen,
        }
        let p = |s: &str| serde_saphyr::from_str::<P>(s).map(|p| p.price.0);
        assert_eq!(p("price: 1299").unwrap(), 129_900);
        assert_eq!(p("price: 19.99").unwrap(), 1_999);
        assert_eq!(p("price: 0.1").unwrap(), 10);
        assert_eq!(p("price: \"1299.50\"").unwrap(), 129_950);
        assert!(p("price: \"¥1,299\"").is_err());
        assert!(p("price: -3").is_err());
    }

    #[test]
    fn formats_like_cldr_zh_cn() {
        assert_eq!(Fen(129_900).display("¥", false), "¥1,299.00");
        assert_eq!(Fen(129_900).display("¥", true), "¥1,299");
        assert_eq!(Fen(129_950).display("¥", true), "¥1,299.50");
        assert_eq!(Fen(5).display("¥", false), "¥0.05");
        assert_eq!(Fen(12_345_678_900).display("¥", false), "¥123,456,789.00");
        assert_eq!(Fen(99_900).display("HK$", false), "HK$999.00");
    }

    #[test]
    fn discounts_in_zhe() {
        assert_eq!(Fen(129_900).discount_of(Fen(159_900)), Some("8.1折".into()));
        assert_eq!(Fen(8_000).discount_of(Fen(10_000)), Some("8折".into()));
        assert_eq!(Fen(10_000).discount_of(Fen(10_000)), None);
        assert_eq!(Fen(12_000).discount_of(Fen(10_000)), None);
        assert_eq!(
            Fen(129_900).percent_off(Fen(159_900)),
            Some("18% off".into())
        );
        assert_eq!(Fen(10_000).percent_off(Fen(10_000)), None);
    }
}
