//! Per-page snippets built at render time: payment QR codes (each distinct code drawn once)
//! and the share block (Weibo/QQ/Qzone links, a WeChat QR code of the page's own URL).

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Payments, ShareTarget};
use crate::content::{Model, Product};
use crate::render::{qr, share};
use crate::rules::payments::{self, PaymentView};

/// Display size of payment QR codes, in CSS px.
const PAY_QR_PX: u32 = 168;
/// Display size of the WeChat share QR code.
const SHARE_QR_PX: u32 = 132;

/// Payment QR codes by value, drawn once each however many products use them.
pub struct PaymentCodes {
    svgs: HashMap<String, String>,
}

impl PaymentCodes {
    pub fn new(site: &Model) -> PaymentCodes {
        let c = &site.config.payments;
        let mut wanted: Vec<(String, String)> = Vec::new();
        let mut add = |p: &Payments| {
            let color = p
                .qr_color
                .clone()
                .unwrap_or_else(|| payments::DEFAULT_QR_COLOR.into());
            for v in payments::codes(p) {
                wanted.push((v.to_string(), color.clone()));
            }
        };
        add(c);
        for p in &site.products {
            if let Some(own) = &p.meta.payments {
                add(&payments::merged(c, Some(own)));
            }
        }
        wanted.sort();
        wanted.dedup();
        let svgs = wanted
            .par_iter()
            .filter_map(|(v, color)| {
                qr::svg(v, color, PAY_QR_PX, v, qr::Mask::Best)
                    .ok()
                    .map(|s| (key(v, color), s))
            })
            .collect();
        PaymentCodes { svgs }
    }

    /// How a product is paid for (its own values over the site's).
    pub fn for_product(&self, site: &Model, p: &Product) -> PaymentSet {
        let merged = payments::merged(&site.config.payments, p.meta.payments.as_ref());
        let color = merged
            .qr_color
            .clone()
            .unwrap_or_else(|| payments::DEFAULT_QR_COLOR.into());
        PaymentSet {
            codes: payments::views(&merged, |_, v| {
                self.svgs.get(&key(v, &color)).cloned().unwrap_or_default()
            }),
            wechat_personal: payments::personal_wechat(&merged),
            fps: merged.fps,
        }
    }
}

/// A product's payment methods: the codes, the FPS details, and whether its WeChat Pay code
/// is a person's.
pub struct PaymentSet {
    pub codes: Vec<PaymentView>,
    pub fps: Option<crate::config::Fps>,
    pub wechat_personal: bool,
}

fn key(v: &str, color: &str) -> String {
    format!("{color} {v}")
}

/// The share block as templates see it; a link is null when `share:` does not list it.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ShareView {
    pub wechat_qr: Option<String>,
    pub weibo: Option<String>,
    pub qq: Option<String>,
    pub qzone: Option<String>,
    /// The URL to copy.
    pub url: String,
}

pub fn share(site: &Model, s: &share::Shared) -> ShareView {
    let on = |t: ShareTarget| site.config.share.contains(&t);
    let links = share::links(s);
    ShareView {
        wechat_qr: on(ShareTarget::Wechat)
            .then(|| {
                qr::svg(
                    s.url,
                    payments::DEFAULT_QR_COLOR,
                    SHARE_QR_PX,
                    s.title,
                    qr::Mask::Fixed,
                )
                .ok()
            })
            .flatten(),
        weibo: on(ShareTarget::Weibo).then_some(links.weibo),
        qq: on(ShareTarget::Qq).then_some(links.qq),
        qzone: on(ShareTarget::Qzone).then_some(links.qzone),
        url: s.url.to_string(),
    }
}
