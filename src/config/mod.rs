//! `shop.yaml`: the typed site configuration (its validation is in `load.rs`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub mod languages;
mod load;
pub mod yaml;
pub use load::load;
pub use yaml::Document;

/// The name of the configuration file at the root of a site.
pub const CONFIG_FILE: &str = "shop.yaml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub tagline: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub base_url: String,
    #[serde(default)]
    pub language: Language,
    /// Further languages, each under its own folder (`zh-HK: { path: hk, currency: HKD, from: zh-CN }`).
    #[serde(default)]
    pub languages: std::collections::BTreeMap<Language, languages::LanguageConfig>,
    #[serde(default)]
    pub currency: Currency,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub logo: Option<String>,
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    #[serde(default)]
    pub price: PriceConfig,
    #[serde(default)]
    pub hosting: Hosting,
    #[serde(default)]
    pub contact: Contact,
    #[serde(default)]
    pub payments: Payments,
    #[serde(default)]
    pub share: Vec<ShareTarget>,
    #[serde(default)]
    pub analytics: Analytics,
    #[serde(default)]
    pub deploy: Option<Deploy>,
    #[serde(default)]
    pub home: Home,
    #[serde(default)]
    pub categories: Vec<CategoryMeta>,
    #[serde(default)]
    pub menu: Option<Vec<MenuItem>>,
    #[serde(default)]
    pub typography: Typography,
    #[serde(default)]
    pub style: Style,
    #[serde(default)]
    pub images: ImagesConfig,
    /// The theme's own fields, free-form (Zola's `extra`, Hugo's `params`): templates read
    /// them as `site.extra["材质"]`; nothing else does.
    #[serde(default)]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

/// How photos are published (`images:` in shop.yaml).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// `local`: shopgen makes the variants at build time; `oss`: pages ask Aliyun OSS image
    /// processing for them and the build encodes nothing.
    #[serde(default)]
    pub processor: ImageProcessor,
    /// Lossy WebP quality, 1–100.
    #[serde(default = "default_webp_quality")]
    pub quality: u8,
    /// JPEG fallback quality, 1–100.
    #[serde(default = "default_jpeg_quality")]
    pub jpeg_quality: u8,
    /// The largest photo accepted, in pixels (width × height), checked before decoding.
    #[serde(default = "default_max_pixels")]
    pub max_pixels: u64,
    /// Widths per use, replacing the theme's (`gallery: [375, 750, 1125]`).
    #[serde(default)]
    pub widths: std::collections::BTreeMap<String, Vec<u32>>,
    /// Also publish AVIF (smaller than WebP, much slower to encode).
    #[serde(default)]
    pub avif: bool,
    /// AVIF quality, 1–100.
    #[serde(default = "default_avif_quality")]
    pub avif_quality: u8,
    /// AVIF encoder speed, 1 (slowest, smallest) to 10 (fastest).
    #[serde(default = "default_avif_speed")]
    pub avif_speed: u8,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ImageProcessor {
    #[default]
    Local,
    Oss,
}

fn default_webp_quality() -> u8 {
    80
}
fn default_jpeg_quality() -> u8 {
    82
}
fn default_avif_quality() -> u8 {
    60
}
fn default_avif_speed() -> u8 {
    8
}
fn default_max_pixels() -> u64 {
    100_000_000
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            processor: ImageProcessor::Local,
            quality: default_webp_quality(),
            jpeg_quality: default_jpeg_quality(),
            max_pixels: default_max_pixels(),
            widths: Default::default(),
            avif: false,
            avif_quality: default_avif_quality(),
            avif_speed: default_avif_speed(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Typography {
    /// Put a space between Chinese and Latin letters or digits (`14英寸` → `14 英寸`).
    #[serde(default = "yes")]
    pub cjk_spacing: bool,
}

fn yes() -> bool {
    true
}

impl Default for Typography {
    fn default() -> Self {
        Typography { cjk_spacing: true }
    }
}

/// The theme's look, overridden from shop.yaml (CSS custom properties).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// Brand colour, `#rrggbb` (`--c-brand`).
    #[serde(default)]
    pub brand: Option<String>,
    /// Accent colour for prices and calls to action (`--c-accent`).
    #[serde(default)]
    pub accent: Option<String>,
    /// Corner radius, e.g. `8px` (`--radius`).
    #[serde(default)]
    pub radius: Option<String>,
}

impl Style {
    /// The CSS that applies these overrides (empty when there are none).
    pub fn css(&self) -> String {
        let mut vars = Vec::new();
        for (name, v) in [
            ("--c-brand", &self.brand),
            ("--c-accent", &self.accent),
            ("--radius", &self.radius),
        ] {
            if let Some(v) = v {
                vars.push(format!("{name}:{v}"));
            }
        }
        if vars.is_empty() {
            String::new()
        } else {
            format!(":root{{{}}}", vars.join(";"))
        }
    }
}

fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| (h.len() == 6 || h.len() == 3) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_length(s: &str) -> bool {
    let num = s
        .trim_end_matches("px")
        .trim_end_matches("rem")
        .trim_end_matches("em");
    num != s
        && !num.is_empty()
        && num.len() <= 6
        && num.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn default_theme() -> String {
    "meigong".into()
}
fn default_paginate() -> usize {
    12
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "zh-HK")]
    ZhHk,
    #[serde(rename = "en")]
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::ZhHk => "zh-HK",
            Language::En => "en",
        }
    }
    /// The `hreflang` of its pages: the script and the region a buyer reads.
    pub fn hreflang(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-Hans-CN",
            Language::ZhHk => "zh-Hant-HK",
            Language::En => "en",
        }
    }
    /// Its name in itself, for the language switcher.
    pub fn own_name(self) -> &'static str {
        match self {
            Language::ZhCn => "简体中文",
            Language::ZhHk => "繁體中文",
            Language::En => "English",
        }
    }
    /// Every language shopgen knows.
    pub const ALL: [Language; 3] = [Language::ZhCn, Language::ZhHk, Language::En];
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
pub enum Currency {
    #[default]
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "HKD")]
    Hkd,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Hkd => "HKD",
        }
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Cny => "¥",
            Currency::Hkd => "HK$",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceConfig {
    /// Show `¥1,299` instead of `¥1,299.00` when a price has no fen.
    #[serde(default)]
    pub hide_zero_cents: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    #[default]
    Mainland,
    Hongkong,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hosting {
    #[serde(default)]
    pub region: Region,
    /// ICP filing number, e.g. `京ICP备12345678号-1`.
    #[serde(default)]
    pub icp: Option<String>,
    /// Public-security filing number, e.g. `京公网安备11010502030143号`.
    #[serde(default)]
    pub gongan: Option<String>,
    /// ICP licence / value-added telecom licence, e.g. `京ICP证030173号`.
    #[serde(default)]
    pub licence: Option<String>,
    /// A Hong Kong site fronted by a mainland CDN: mainland filing rules apply.
    #[serde(default)]
    pub mainland_cdn: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub wechat: Option<String>,
    #[serde(default)]
    pub wechat_qr: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub hours: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Payments {
    #[serde(default)]
    pub alipay: Option<String>,
    #[serde(default)]
    pub wechat: Option<String>,
    #[serde(default)]
    pub unionpay: Option<String>,
    /// Whether the WeChat Pay codes are a person's 个人收款码 (the default: WeChat does not
    /// recognise them from a web page or a screenshot) or a merchant's 商家收款码.
    #[serde(default)]
    pub wechat_kind: WechatKind,
    /// Hong Kong: FPS 轉數快, paid to an FPS ID, a phone number or an email address.
    #[serde(default)]
    pub fps: Option<Fps>,
    /// Hong Kong: a PayMe payment link (`https://payme.hsbc/…`).
    #[serde(default)]
    pub payme: Option<String>,
    /// Hong Kong: an AlipayHK collection code.
    #[serde(default)]
    pub alipay_hk: Option<String>,
    /// Hong Kong: a WeChat Pay HK collection code.
    #[serde(default)]
    pub wechat_hk: Option<String>,
    /// Dark colour of the QR codes (`#rrggbb`, dark enough to scan on white).
    #[serde(default)]
    pub qr_color: Option<String>,
}

/// What kind of WeChat Pay code a shop has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WechatKind {
    #[default]
    Personal,
    Merchant,
}

/// Where FPS payments go: any of the three proxies the shop registered, and the name the
/// buyer's bank shows before paying.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fps {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ShareTarget {
    Wechat,
    Weibo,
    Qq,
    Qzone,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Analytics {
    #[serde(default)]
    pub baidu_tongji: Option<String>,
    #[serde(default)]
    pub baidu_verification: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Oss,
    S3,
    Fs,
}

/// How OSS requests are signed: V4 (`OSS4-HMAC-SHA256`, the default) or the legacy V1,
/// which Aliyun no longer offers to new accounts and buckets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Signature {
    #[default]
    V4,
    V1,
}

/// `deploy:` in shop.yaml. Credentials are never here: they come from the environment.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    pub provider: Provider,
    #[serde(default)]
    pub bucket: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub path_style: bool,
    /// Target folder for `provider: fs`.
    #[serde(default)]
    pub root: Option<String>,
    /// OSS only: `v4` (default) or `v1` for old buckets that still accept it.
    #[serde(default)]
    pub signature: Signature,
    /// `shopgen deploy --baidu-push`: Baidu's link-submission settings (the token comes from
    /// the environment, `BAIDU_PUSH_TOKEN`).
    #[serde(default)]
    pub baidu_push: Option<BaiduPush>,
    /// Seconds to wait for a connection to the endpoint (default 10).
    #[serde(default)]
    pub connect_timeout: Option<u64>,
    /// Seconds one request (or one chunk of an upload) may take before it is tried again
    /// (default 15).
    #[serde(default)]
    pub request_timeout: Option<u64>,
    /// How many times a failed request is tried again (default 2): with the defaults an
    /// endpoint that never answers fails within a minute.
    #[serde(default)]
    pub retries: Option<u32>,
}

impl Deploy {
    fn non_empty(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    pub fn bucket(&self) -> Option<&str> {
        Self::non_empty(&self.bucket)
    }
    pub fn region(&self) -> Option<&str> {
        Self::non_empty(&self.region)
    }
    pub fn endpoint(&self) -> Option<&str> {
        Self::non_empty(&self.endpoint).map(|e| e.trim_end_matches('/'))
    }
    pub fn root(&self) -> Option<&str> {
        Self::non_empty(&self.root)
    }
    pub fn connect_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.connect_timeout.unwrap_or(10))
    }
    pub fn request_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.request_timeout.unwrap_or(15))
    }
    pub fn retries(&self) -> u32 {
        self.retries.unwrap_or(2)
    }
    /// The key prefix without surrounding slashes (`""` for the bucket root).
    pub fn prefix(&self) -> &str {
        self.prefix
            .as_deref()
            .unwrap_or("")
            .trim()
            .trim_matches('/')
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BaiduPush {
    /// The site as registered with Baidu's webmaster tools (default: base_url's origin).
    #[serde(default)]
    pub site: Option<String>,
    /// The submission API (default: Baidu's `http://data.zz.baidu.com/urls`).
    #[serde(default)]
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Home {
    #[serde(default)]
    pub hero: Option<Hero>,
    #[serde(default)]
    pub story: Option<Story>,
    #[serde(default)]
    pub endorsements: Vec<Endorsement>,
    #[serde(default)]
    pub trust: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hero {
    #[serde(default)]
    pub image: Option<String>,
    pub headline: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub cta_text: Option<String>,
    #[serde(default)]
    pub cta_link: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    pub title: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Endorsement {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    pub quote: String,
    #[serde(default)]
    pub photo: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryMeta {
    pub name: String,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
}

/// Where `base_url` puts the site: `https://x.cn/shop/` → origin `https://x.cn`, path `/shop/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    pub origin: String,
    pub path: String,
}

impl BaseUrl {
    /// Parse an `http(s)://host[:port][/path]` address (with the `url` crate): the host is
    /// normalised (lower case, punycode), the path percent-encoded and ended with `/`.
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let Some(rest) = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
        else {
            return Err(format!("`{s}` must start with https:// or http://"));
        };
        // `url` would resolve these away; a site root written with them is a mistake.
        let raw_path = rest.find('/').map_or("", |i| &rest[i..]);
        if raw_path.contains(['?', '#', ' ', '\\']) || raw_path.split('/').any(|seg| seg == "..") {
            return Err(format!("`{s}` has a path that cannot be a site root"));
        }
        let url = url::Url::parse(s).map_err(|_| format!("`{s}` has no valid host name"))?;
        if url.host_str().is_none_or(str::is_empty)
            || !url.username().is_empty()
            || url.password().is_some()
            || rest
                .split('/')
                .next()
                .is_some_and(|h| h.contains(char::is_whitespace))
        {
            return Err(format!("`{s}` has no valid host name"));
        }
        let mut path = url.path().to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl {
            origin: url.origin().ascii_serialization(),
            path,
        })
    }

    /// The full URL of the site root, always ending in `/`.
    pub fn root(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }
}

/// Check a path that is meant to point inside `static/`.
pub fn check_static_path(p: &str) -> Result<(), String> {
    if p.starts_with("http://") || p.starts_with("https://") || p.starts_with("//") {
        return Err(format!(
            "`{p}` points outside the site; images must ship with the shop (many hosts are blocked in China)"
        ));
    }
    let pb = PathBuf::from(p.trim_start_matches('/'));
    if pb
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
        || p.contains('\\')
    {
        return Err(format!(
            "`{p}` must be a plain relative path inside static/"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_parts() {
        let b = BaseUrl::parse("https://www.example.cn").unwrap();
        assert_eq!(
            (b.origin.as_str(), b.path.as_str()),
            ("https://www.example.cn", "/")
        );
        let b = BaseUrl::parse("http://127.0.0.1:1111/shop").unwrap();
        assert_eq!(b.root(), "http://127.0.0.1:1111/shop/");
        assert!(BaseUrl::parse("www.example.cn").is_err());
        assert!(BaseUrl::parse("https://").is_err());
        assert!(BaseUrl::parse("https://a.cn/../x").is_err());
        assert!(BaseUrl::parse("https://user@a.cn/").is_err());
        assert!(BaseUrl::parse("https://a.cn/?x=1").is_err());
        let b = BaseUrl::parse("https://WWW.Example.CN:443/Shop").unwrap();
        assert_eq!(b.root(), "https://www.example.cn/Shop/");
    }

    #[test]
    fn default_deploy_timeouts_give_up_within_a_minute() {
        let d: Deploy = serde_saphyr::from_str("provider: s3\nbucket: shop\n").unwrap();
        assert_eq!(d.connect_timeout().as_secs(), 10);
        // Every try waits at most the request timeout; the waits between tries are 1 s, then
        // 2 s, … (jitter at most doubles them).
        let tries = u64::from(d.retries()) + 1;
        let waits: u64 = (0..d.retries()).map(|i| 2 * (1u64 << i)).sum();
        let worst = tries * d.request_timeout().as_secs() + waits;
        assert!(
            worst < 60,
            "an endpoint that never answers takes {worst} s to fail"
        );
    }

    #[test]
    fn static_paths_stay_inside() {
        assert!(check_static_path("images/a.svg").is_ok());
        assert!(check_static_path("/images/a.svg").is_ok());
        assert!(check_static_path("../secret").is_err());
        assert!(check_static_path("https://fonts.googleapis.com/x").is_err());
    }
}
