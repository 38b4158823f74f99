//! Alipay, WeChat Pay and UnionPay collection codes: validated, then drawn as QR codes.

use serde::Serialize;

use crate::config::Payments;

/// The payment methods in the order the page shows them.
pub const KINDS: &[(&str, &str, &str)] = &[
    // (kind, required prefix, what it is)
    ("wechat", "wxp://", "a WeChat Pay collection code (wxp://…)"),
    (
        "alipay",
        "https://qr.alipay.com/",
        "an Alipay collection link (https://qr.alipay.com/…)",
    ),
    (
        "unionpay",
        "https://qr.95516.com/",
        "a UnionPay QuickPass link (https://qr.95516.com/…)",
    ),
];

fn value<'a>(p: &'a Payments, kind: &str) -> Option<&'a str> {
    match kind {
        "alipay" => p.alipay.as_deref(),
        "wechat" => p.wechat.as_deref(),
        "unionpay" => p.unionpay.as_deref(),
        _ => None,
    }
}

/// Check every configured payment value. Returns (field name, message) for each bad one.
pub fn validate(p: &Payments) -> Vec<(String, String)> {
    let mut bad = Vec::new();
    for (kind, prefix, what) in KINDS {
        let Some(v) = value(p, kind) else { continue };
        let v = v.trim();
        let rest = v.strip_prefix(prefix);
        let ok = rest.is_some_and(|r| {
            !r.is_empty()
                && r.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~/?=&%+".contains(c))
        });
        if !ok {
            let msg = if v.is_empty() {
                format!("the {kind} payment value is empty; it must be {what}")
            } else {
                format!("`{v}` is not {what}")
            };
            bad.push((kind.to_string(), msg));
        }
    }
    if let Some(c) = &p.qr_color {
        match contrast_on_white(c) {
            None => bad.push(("qr_color".into(), format!("`{c}` is not a colour like #3b2a20"))),
            Some(r) if r < 7.0 => bad.push((
                "qr_color".into(),
                format!("`{c}` is too light to scan reliably on white (contrast {r:.1}:1, needs 7:1); pick a darker shade"),
            )),
            Some(_) => {}
        }
    }
    bad
}

/// The site's payments with a product's own values on top.
pub fn merged(site: &Payments, own: Option<&Payments>) -> Payments {
    let Some(own) = own else { return site.clone() };
    Payments {
        alipay: own.alipay.clone().or_else(|| site.alipay.clone()),
        wechat: own.wechat.clone().or_else(|| site.wechat.clone()),
        unionpay: own.unionpay.clone().or_else(|| site.unionpay.clone()),
        qr_color: own.qr_color.clone().or_else(|| site.qr_color.clone()),
    }
}

/// One payment method as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentView {
    /// `wechat`, `alipay` or `unionpay` (the theme labels it from its UI strings).
    pub kind: &'static str,
    pub url: String,
    /// Inline SVG QR code of `url`.
    pub qr: String,
}

/// The dark colour of QR codes unless `payments.qr_color` says otherwise.
pub const DEFAULT_QR_COLOR: &str = "#1f1410";

/// Payment views for `p`; `qr` draws (and may cache) one code.
pub fn views(p: &Payments, mut qr: impl FnMut(&str, &str) -> String) -> Vec<PaymentView> {
    KINDS
        .iter()
        .filter_map(|(kind, _, _)| {
            value(p, kind).map(|v| PaymentView {
                kind,
                url: v.trim().to_string(),
                qr: qr(kind, v.trim()),
            })
        })
        .collect()
}

/// WCAG contrast ratio of a `#rrggbb` colour against white.
pub fn contrast_on_white(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(h.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    let l = 0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?;
    Some(1.05 / (l + 0.05))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_colour_contrast() {
        assert!(contrast_on_white("#000000").unwrap() > 20.0);
        assert!(contrast_on_white("#3b2a20").unwrap() > 7.0);
        assert!(contrast_on_white("#ffff00").unwrap() < 2.0);
        assert_eq!(contrast_on_white("red"), None);
    }

    fn pay(alipay: Option<&str>, wechat: Option<&str>, unionpay: Option<&str>) -> Payments {
        Payments {
            alipay: alipay.map(Into::into),
            wechat: wechat.map(Into::into),
            unionpay: unionpay.map(Into::into),
            qr_color: None,
        }
    }

    #[test]
    fn good_values_pass() {
        let p = pay(
            Some("https://qr.alipay.com/fkx12345abcde"),
            Some("wxp://f2f0AbCdEf123456"),
            Some("https://qr.95516.com/00010000/0123"),
        );
        assert!(validate(&p).is_empty());
    }

    #[test]
    fn bad_values_name_the_field() {
        let cases = [
            (pay(Some("http://qr.alipay.com/x"), None, None), "alipay"),
            (
                pay(Some("https://evil.example/qr.alipay.com/x"), None, None),
                "alipay",
            ),
            (pay(Some("https://qr.alipay.com/"), None, None), "alipay"),
            (pay(None, Some(""), None), "wechat"),
            (pay(None, Some("weixin://f2f0"), None), "wechat"),
            (pay(None, Some("wxp://f2f0 abc"), None), "wechat"),
            (pay(None, None, Some("not a url")), "unionpay"),
        ];
        for (p, field) in cases {
            let bad = validate(&p);
            assert_eq!(bad.len(), 1, "{p:?}");
            assert_eq!(bad[0].0, field);
        }
        let mut p = pay(None, None, None);
        p.qr_color = Some("#ffcc00".into());
        assert!(validate(&p)[0].1.contains("too light"));
    }

    #[test]
    fn product_values_override_the_site() {
        let site = pay(Some("https://qr.alipay.com/site"), Some("wxp://site"), None);
        let own = pay(Some("https://qr.alipay.com/own"), None, None);
        let m = merged(&site, Some(&own));
        assert_eq!(m.alipay.as_deref(), Some("https://qr.alipay.com/own"));
        assert_eq!(m.wechat.as_deref(), Some("wxp://site"));
        let v = views(&m, |_, u| format!("<svg>{u}</svg>"));
        assert_eq!(
            v.iter().map(|p| p.kind).collect::<Vec<_>>(),
            ["wechat", "alipay"]
        );
    }
}
