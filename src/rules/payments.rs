//! Collection codes and payment details — Alipay, WeChat Pay and UnionPay for the mainland;
//! FPS, PayMe, AlipayHK and WeChat Pay HK for Hong Kong: validated, then drawn as QR codes.

use serde::Serialize;

use crate::config::{Fps, Payments, WechatKind};

/// The payment codes in the order the page shows them.
pub const KINDS: &[(&str, &[&str], &str)] = &[
    // (kind, accepted prefixes, what it is)
    (
        "wechat",
        &["wxp://"],
        "a WeChat Pay collection code (wxp://…)",
    ),
    (
        "alipay",
        &["https://qr.alipay.com/"],
        "an Alipay collection link (https://qr.alipay.com/…)",
    ),
    (
        "unionpay",
        &["https://qr.95516.com/"],
        "a UnionPay QuickPass link (https://qr.95516.com/…)",
    ),
    (
        "payme",
        &["https://payme.hsbc/", "https://payme.hsbc.com.hk/"],
        "a PayMe payment link (https://payme.hsbc/…)",
    ),
    (
        "alipay_hk",
        &["https://qr.alipay.com/", "https://qr.alipay.hk/"],
        "an AlipayHK collection link (https://qr.alipay.com/… or https://qr.alipay.hk/…)",
    ),
    (
        "wechat_hk",
        &["wxp://", "https://payapp.weixin.qq.com/"],
        "a WeChat Pay HK collection code (wxp://…)",
    ),
];

fn value<'a>(p: &'a Payments, kind: &str) -> Option<&'a str> {
    match kind {
        "alipay" => p.alipay.as_deref(),
        "wechat" => p.wechat.as_deref(),
        "unionpay" => p.unionpay.as_deref(),
        "payme" => p.payme.as_deref(),
        "alipay_hk" => p.alipay_hk.as_deref(),
        "wechat_hk" => p.wechat_hk.as_deref(),
        _ => None,
    }
}

/// The values of `p` that become QR codes.
pub fn codes(p: &Payments) -> impl Iterator<Item = &str> {
    KINDS
        .iter()
        .filter_map(|(kind, _, _)| value(p, kind).map(str::trim))
}

/// Every `payments:` of shop.yaml with where it is: the site's (`payments`), then each
/// language's (`languages.zh-HK.payments`).
pub fn all(c: &crate::config::Config) -> Vec<(String, &Payments)> {
    std::iter::once(("payments".to_string(), &c.payments))
        .chain(c.languages.iter().filter_map(|(l, lc)| {
            lc.payments
                .as_ref()
                .map(|p| (format!("languages.{}.payments", l.code()), p))
        }))
        .collect()
}

/// Whether `p` has a WeChat Pay code that is a person's (which WeChat will not recognise
/// from a web page).
pub fn personal_wechat(p: &Payments) -> bool {
    p.wechat_kind == WechatKind::Personal && (p.wechat.is_some() || p.wechat_hk.is_some())
}

/// Check every configured payment value. Returns (field name, message) for each bad one.
pub fn validate(p: &Payments) -> Vec<(String, String)> {
    let mut bad = Vec::new();
    for (kind, prefixes, what) in KINDS {
        let Some(v) = value(p, kind) else { continue };
        let v = v.trim();
        let ok = prefixes.iter().any(|prefix| {
            v.strip_prefix(prefix).is_some_and(|r| {
                !r.is_empty()
                    && r.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-._~/?=&%+".contains(c))
            })
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
    if let Some(f) = &p.fps {
        bad.extend(validate_fps(f));
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

fn validate_fps(f: &Fps) -> Vec<(String, String)> {
    let mut bad = Vec::new();
    if f.id.is_none() && f.phone.is_none() && f.email.is_none() {
        bad.push((
            "fps".into(),
            "FPS needs where to pay: an `id`, a `phone` or an `email` registered for FPS".into(),
        ));
    }
    if let Some(id) = &f.id {
        let digits = id.trim();
        if !(digits.len() == 7 || digits.len() == 9) || !digits.chars().all(|c| c.is_ascii_digit())
        {
            bad.push((
                "fps.id".into(),
                format!("`{id}` is not an FPS ID (7 or 9 digits)"),
            ));
        }
    }
    if let Some(phone) = &f.phone
        && fps_phone(phone).is_none()
    {
        bad.push((
            "fps.phone".into(),
            format!("`{phone}` is not a Hong Kong mobile number (8 digits, with or without +852)"),
        ));
    }
    if let Some(email) = &f.email {
        let e = email.trim();
        let ok = e.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !e.contains(char::is_whitespace)
        });
        if !ok {
            bad.push((
                "fps.email".into(),
                format!("`{email}` is not an email address"),
            ));
        }
    }
    bad
}

/// A Hong Kong mobile number as FPS writes it (`+852-91234567`), or None.
pub fn fps_phone(phone: &str) -> Option<String> {
    let digits: String = phone
        .trim()
        .trim_start_matches("+852")
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    (digits.len() == 8
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(digits.as_bytes()[0], b'4'..=b'9'))
    .then(|| format!("+852-{digits}"))
}

/// The site's payments with a product's own values on top.
pub fn merged(site: &Payments, own: Option<&Payments>) -> Payments {
    let Some(own) = own else { return site.clone() };
    let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
    Payments {
        alipay: pick(&own.alipay, &site.alipay),
        wechat: pick(&own.wechat, &site.wechat),
        unionpay: pick(&own.unionpay, &site.unionpay),
        payme: pick(&own.payme, &site.payme),
        alipay_hk: pick(&own.alipay_hk, &site.alipay_hk),
        wechat_hk: pick(&own.wechat_hk, &site.wechat_hk),
        fps: own.fps.clone().or_else(|| site.fps.clone()),
        // A product's own WeChat code says its own kind; otherwise the site's holds.
        wechat_kind: if own.wechat.is_some() || own.wechat_hk.is_some() {
            own.wechat_kind
        } else {
            site.wechat_kind
        },
        qr_color: pick(&own.qr_color, &site.qr_color),
    }
}

/// One payment method as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentView {
    /// `wechat`, `alipay`, `unionpay`, `payme`, `alipay_hk` or `wechat_hk` (the theme labels
    /// it from its UI strings).
    pub kind: &'static str,
    /// `wechat` for both WeChat Pay codes, `alipay` for both Alipay ones, else the kind.
    pub app: &'static str,
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
                app: kind.strip_suffix("_hk").unwrap_or(kind),
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
            ..Payments::default()
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
    fn hong_kong_methods() {
        let good = Payments {
            payme: Some("https://payme.hsbc/shanchuan".into()),
            alipay_hk: Some("https://qr.alipay.hk/281004000000ABCD".into()),
            wechat_hk: Some("wxp://f2f1HkCode".into()),
            fps: Some(Fps {
                id: Some("1234567".into()),
                phone: Some("+852 9123 4567".into()),
                email: Some("pay@shanchuan.hk".into()),
                name: Some("山川皮具".into()),
            }),
            ..Payments::default()
        };
        assert!(validate(&good).is_empty(), "{:?}", validate(&good));
        let v = views(&good, |_, u| u.to_string());
        assert_eq!(
            v.iter().map(|p| (p.kind, p.app)).collect::<Vec<_>>(),
            [
                ("payme", "payme"),
                ("alipay_hk", "alipay"),
                ("wechat_hk", "wechat")
            ]
        );
        assert!(personal_wechat(&good));
        assert_eq!(fps_phone("9123 4567").as_deref(), Some("+852-91234567"));
        assert_eq!(fps_phone("+852-2123-4567"), None, "a landline");

        let bad = Payments {
            payme: Some("https://payme.example/x".into()),
            fps: Some(Fps {
                id: Some("12ab".into()),
                phone: Some("12345".into()),
                email: Some("nobody".into()),
                name: None,
            }),
            ..Payments::default()
        };
        let fields: Vec<String> = validate(&bad).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["payme", "fps.id", "fps.phone", "fps.email"]);
        let empty = Payments {
            fps: Some(Fps::default()),
            ..Payments::default()
        };
        assert_eq!(validate(&empty)[0].0, "fps");
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
