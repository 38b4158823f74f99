//! The China rules, pure data and functions (no I/O): filing numbers and the hosting-region
//! rules, OSS regions, payment links, the blocked-host and advertising-term tables.

pub mod ad_terms;
pub mod beian;
pub mod blocked_hosts;
pub mod hant;
pub mod payments;
pub mod region;

use crate::config::{Config, Document, Provider, Region};
use crate::util::diag::{Diagnostic, Severity};

/// Check `hosting:` (and the deploy region, and the analytics ids) against the rules of
/// the hosting region. Returns (errors, warnings).
pub fn validate(c: &Config, doc: &Document) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut errs = Vec::new();
    let mut warns = Vec::new();
    let diag = |field: &str, msg: String, hint: &str| doc.error(field, msg).hint(hint);
    let h = &c.hosting;
    let shows_filings = h.region == Region::Mainland || h.mainland_cdn;
    match h.region {
        Region::Mainland => {
            if h.icp.as_deref().is_none_or(|s| s.trim().is_empty()) {
                errs.push(diag(
                    "hosting.icp",
                    "a mainland site needs its ICP filing number (ICP备案号)".into(),
                    &format!("add `icp: {}` under `hosting:`; a shop hosted in Hong Kong sets `region: hongkong` instead", beian::ICP_EXAMPLE),
                ));
            }
        }
        Region::Hongkong => {
            if !h.mainland_cdn {
                for (field, v) in [("hosting.icp", &h.icp), ("hosting.gongan", &h.gongan)] {
                    if v.is_some() {
                        errs.push(diag(
                            field,
                            "a Hong Kong site shows no mainland filing numbers".into(),
                            "remove it, or set `mainland_cdn: true` under `hosting:` if a mainland CDN fronts the shop (then mainland rules apply)",
                        ));
                    }
                }
            }
        }
    }
    if shows_filings {
        if let Some(icp) = &h.icp {
            match beian::parse_icp(icp) {
                Ok(ok) => {
                    for w in ok.warnings {
                        warns.push(
                            diag(
                                "hosting.icp",
                                w,
                                "a current number uses the current character",
                            )
                            .severity(Severity::Warning),
                        );
                    }
                }
                Err(m) => errs.push(diag(
                    "hosting.icp",
                    m,
                    &format!("a valid number looks like {}", beian::ICP_EXAMPLE),
                )),
            }
        }
        if let Some(g) = &h.gongan
            && let Err(m) = beian::parse_gongan(g)
        {
            errs.push(diag("hosting.gongan", m, "a valid number looks like 京公网安备11010502030143号 (province character, 公网安备, 14 digits, 号)"));
        }
        if let Some(l) = &h.licence
            && let Err(m) = beian::parse_licence(l)
        {
            errs.push(diag(
                "hosting.licence",
                m,
                "give the licence exactly as issued, e.g. 京ICP证030173号 or 浙B2-20080224",
            ));
        }
    }
    if let Some(d) = &c.deploy
        && d.provider == Provider::Oss
        && let Some(r) = &d.region
    {
        match region::oss_region(r) {
            Err(m) => errs.push(diag(
                "deploy.region",
                m,
                "use the bucket's region id from the OSS console",
            )),
            Ok(bucket) => {
                let ok = match (bucket, h.region) {
                    (Some(Region::Mainland), Region::Mainland) => true,
                    (Some(Region::Hongkong), Region::Hongkong) => true,
                    (Some(Region::Hongkong), Region::Mainland) => false,
                    (Some(Region::Mainland), Region::Hongkong) => false,
                    (None, _) => false,
                };
                if !ok {
                    let where_ = match bucket {
                        Some(Region::Mainland) => "in mainland China",
                        Some(Region::Hongkong) => "in Hong Kong (oss-cn-hongkong is not mainland)",
                        None => "outside Greater China",
                    };
                    errs.push(diag(
                        "deploy.region",
                        format!(
                            "the bucket region `{r}` is {where_}, but `hosting.region` is {}",
                            match h.region {
                                Region::Mainland => "mainland",
                                Region::Hongkong => "hongkong",
                            }
                        ),
                        "make the hosting region and the bucket region agree",
                    ));
                }
            }
        }
    }
    for (at, p) in payments::all(c) {
        for (field, msg) in payments::validate(p) {
            errs.push(diag(
                &format!("{at}.{field}"),
                msg,
                "copy the collection code's link from the payment app (Alipay, WeChat Pay, UnionPay, PayMe, AlipayHK), and the FPS details from your bank",
            ));
        }
    }
    if let Some(id) = &c.analytics.baidu_tongji
        && (id.len() != 32 || !id.chars().all(|ch| ch.is_ascii_hexdigit()))
    {
        errs.push(diag(
            "analytics.baidu_tongji",
            format!("`{id}` is not a Baidu Tongji id"),
            "copy the 32 hexadecimal characters after `hm.js?` from the Tongji code",
        ));
    }
    if let Some(v) = &c.analytics.baidu_verification
        && (v.is_empty()
            || !v
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'))
    {
        errs.push(diag(
            "analytics.baidu_verification",
            format!("`{v}` is not a Baidu site-verification code"),
            "copy the content value of the baidu-site-verification meta tag, e.g. codeva-AbC123",
        ));
    }
    (errs, warns)
}
