//! `shop.yaml`: the typed site configuration and its validation.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;
use crate::yaml;

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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
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
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum Currency {
    #[default]
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "HKD")]
    Hkd,
}

impl Currency {
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
    /// Dark colour of the QR codes (`#rrggbb`, dark enough to scan on white).
    #[serde(default)]
    pub qr_color: Option<String>,
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
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("`{s}` must start with https:// or http://"))?;
        let scheme = &s[..s.len() - rest.len()];
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty()
            || host
                .chars()
                .any(|c| c.is_whitespace() || matches!(c, '?' | '#' | '@' | '\\'))
        {
            return Err(format!("`{s}` has no valid host name"));
        }
        if path.contains(['?', '#', ' ', '\\']) || path.split('/').any(|seg| seg == "..") {
            return Err(format!("`{s}` has a path that cannot be a site root"));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl {
            origin: format!("{scheme}{host}"),
            path,
        })
    }

    /// The full URL of the site root, always ending in `/`.
    pub fn root(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }
}

/// Read and validate `<site>/shop.yaml`. Returns the config and its warnings.
pub fn load(site: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let file = site.join(CONFIG_FILE);
    let raw = std::fs::read_to_string(&file).map_err(|e| {
        vec![
            Diagnostic::io(&file, "read the site configuration", &e).hint(format!(
                "is `{}` a shopgen site? run `shopgen init {}` to create one",
                site.display(),
                site.display()
            )),
        ]
    })?;
    let text = raw.strip_prefix('\u{feff}').unwrap_or(&raw);
    let config: Config = yaml::parse(text, &file, 1).map_err(|d| vec![credential_field(d)])?;
    let mut errors = validate(&config, text, &file);
    let (china_errors, warnings) = crate::china::validate(&config, text, &file);
    errors.extend(china_errors);
    if errors.is_empty() {
        Ok((config, warnings))
    } else {
        Err(errors)
    }
}

/// Field names that hold secrets. shop.yaml lives in git: a secret there is an error, and the
/// message names only the field, never its value.
fn is_credential_field(name: &str) -> bool {
    let n = name.to_ascii_lowercase().replace('-', "_");
    [
        "secret",
        "password",
        "passwd",
        "token",
        "access_key",
        "accesskey",
        "credential",
    ]
    .iter()
    .any(|w| n.contains(w))
        || ["ak", "sk", "key", "api_key", "key_id"].contains(&n.as_str())
}

fn credential_field(mut d: Diagnostic) -> Diagnostic {
    if d.message.starts_with("unknown field") && d.field.as_deref().is_some_and(is_credential_field)
    {
        d.message = format!(
            "`{}` looks like a credential: keys and tokens never go in shop.yaml (it is kept in git)",
            d.field.as_deref().unwrap_or_default()
        );
        d.hint = Some(
            "remove it and set the environment instead: OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET \
             (and OSS_SECURITY_TOKEN) for OSS, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for S3, \
             BAIDU_PUSH_TOKEN for Baidu push"
                .into(),
        );
    }
    d
}

fn validate(c: &Config, text: &str, file: &Path) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let mut err = |path: &str, msg: String, hint: &str| {
        let mut d = Diagnostic::new(file, msg).field(path).hint(hint);
        d.line = yaml::locate(text, path);
        errs.push(d);
    };
    if c.title.trim().is_empty() {
        err(
            "title",
            "the shop title is empty".into(),
            "write the shop's name, e.g. `title: 山川皮具`",
        );
    }
    if let Err(m) = BaseUrl::parse(&c.base_url) {
        err(
            "base_url",
            m,
            "write the address the shop is served from, e.g. `base_url: https://www.example.cn`",
        );
    }
    if c.paginate == 0 {
        err(
            "paginate",
            "must be at least 1".into(),
            "products per listing page, e.g. `paginate: 12`",
        );
    }
    if !crate::content::slug::is_valid(&c.theme) {
        err(
            "theme",
            format!("`{}` is not a theme name", c.theme),
            "use a folder name under themes/, e.g. `theme: meigong`",
        );
    }
    let mut check_path = |field: &str, p: &Option<String>| {
        if let Some(p) = p
            && let Err(m) = check_static_path(p)
        {
            err(
                field,
                m,
                "give a path inside static/, e.g. `images/logo.svg`",
            );
        }
    };
    check_path("logo", &c.logo);
    check_path("contact.wechat_qr", &c.contact.wechat_qr);
    if let Some(h) = &c.home.hero {
        check_path("home.hero.image", &h.image);
    }
    if let Some(s) = &c.home.story {
        check_path("home.story.image", &s.image);
    }
    for e in &c.home.endorsements {
        check_path("home.endorsements.photo", &e.photo);
    }
    for cat in &c.categories {
        check_path("categories.image", &cat.image);
    }
    for (field, v) in [
        ("style.brand", &c.style.brand),
        ("style.accent", &c.style.accent),
    ] {
        if let Some(v) = v
            && !is_hex_colour(v)
        {
            err(
                field,
                format!("`{v}` is not a colour"),
                "write it as #rrggbb, e.g. #a0522d",
            );
        }
    }
    if let Some(r) = &c.style.radius
        && !is_length(r)
    {
        err(
            "style.radius",
            format!("`{r}` is not a length"),
            "write it like 8px or 0.5rem",
        );
    }
    if let Some(d) = &c.deploy {
        for (field, msg, hint) in validate_deploy(d) {
            err(field, msg, hint);
        }
    }
    let mut names = std::collections::HashSet::new();
    for cat in &c.categories {
        if !names.insert(cat.name.as_str()) {
            err(
                "categories",
                format!("category `{}` is listed twice", cat.name),
                "list each category once",
            );
        }
        if let Some(s) = &cat.slug
            && !crate::content::slug::is_valid(s)
        {
            err(
                "categories.slug",
                format!("`{s}` is not a valid slug"),
                "use lowercase ASCII letters, digits and -, e.g. `nv-bao`",
            );
        }
    }
    errs
}

/// The `deploy:` block: what each provider needs. (The OSS region against `hosting.region`
/// is checked with the other China rules.)
fn validate_deploy(d: &Deploy) -> Vec<(&'static str, String, &'static str)> {
    let mut errs = Vec::new();
    let name = match d.provider {
        Provider::Oss => "oss",
        Provider::S3 => "s3",
        Provider::Fs => "fs",
    };
    match d.provider {
        Provider::Oss | Provider::S3 => {
            match d.bucket() {
                None => errs.push((
                    "deploy.bucket",
                    format!("`provider: {name}` needs the bucket name"),
                    "add e.g. `bucket: my-shop` under `deploy:`",
                )),
                Some(b) if !is_bucket_name(b) => errs.push((
                    "deploy.bucket",
                    format!("`{b}` is not a bucket name"),
                    "a bucket name has 3–63 lowercase letters, digits, dots and hyphens",
                )),
                Some(_) => {}
            }
            if d.provider == Provider::Oss && d.region().is_none() {
                errs.push((
                    "deploy.region",
                    "`provider: oss` needs the bucket's region (signature V4 is bound to it)"
                        .into(),
                    "add e.g. `region: oss-cn-hangzhou` (or oss-cn-hongkong) under `deploy:`",
                ));
            }
            if d.root().is_some() {
                errs.push((
                    "deploy.root",
                    format!("`root` is the folder of `provider: fs`, not of `provider: {name}`"),
                    "remove it; use `prefix:` to deploy into a folder of the bucket",
                ));
            }
        }
        Provider::Fs => {
            if d.root().is_none() {
                errs.push((
                    "deploy.root",
                    "`provider: fs` needs the folder to deploy into".into(),
                    "add e.g. `root: /srv/www/my-shop` under `deploy:` (relative paths are inside the site)",
                ));
            }
            for (field, set) in [
                ("deploy.bucket", d.bucket().is_some()),
                ("deploy.region", d.region().is_some()),
                ("deploy.endpoint", d.endpoint().is_some()),
            ] {
                if set {
                    errs.push((
                        field,
                        "`provider: fs` writes to a folder and takes no bucket, region or endpoint"
                            .into(),
                        "remove it, or choose `provider: oss` or `provider: s3`",
                    ));
                }
            }
        }
    }
    if d.signature == Signature::V1 && d.provider != Provider::Oss {
        errs.push((
            "deploy.signature",
            format!("`signature` is an OSS setting, not one of `provider: {name}`"),
            "remove it",
        ));
    }
    if let Some(e) = d.endpoint()
        && BaseUrl::parse(e).map(|b| b.path != "/").unwrap_or(true)
    {
        errs.push((
            "deploy.endpoint",
            format!("`{e}` is not an endpoint URL"),
            "write the scheme and host only, e.g. `endpoint: https://oss-cn-hangzhou-internal.aliyuncs.com` or `https://static.example.cn`",
        ));
    }
    let prefix = d.prefix();
    if !prefix.is_empty() && !crate::output::is_safe(prefix) {
        errs.push((
            "deploy.prefix",
            format!("`{prefix}` is not a plain folder path"),
            "use folder names separated by /, e.g. `prefix: shop/`",
        ));
    }
    if let Some(b) = &d.baidu_push {
        for (field, v) in [
            ("deploy.baidu_push.site", &b.site),
            ("deploy.baidu_push.endpoint", &b.endpoint),
        ] {
            if let Some(v) = v
                && let Err(m) = BaseUrl::parse(v)
            {
                errs.push((
                    field,
                    m,
                    "write a full address starting with https:// or http://",
                ));
            }
        }
    }
    errs
}

/// OSS and S3 bucket names: 3–63 of lowercase letters, digits, `.` and `-`, starting and
/// ending with a letter or digit.
fn is_bucket_name(b: &str) -> bool {
    (3..=63).contains(&b.len())
        && b.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
        && b.starts_with(|c: char| c.is_ascii_alphanumeric())
        && b.ends_with(|c: char| c.is_ascii_alphanumeric())
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
    }

    #[test]
    fn credential_fields_are_recognised() {
        for name in [
            "access_key_id",
            "access_key_secret",
            "secret_access_key",
            "security_token",
            "token",
            "password",
            "AccessKeySecret",
            "oss-access-key-id",
            "sk",
            "key",
        ] {
            assert!(is_credential_field(name), "{name}");
        }
        for name in ["bucket", "region", "endpoint", "keywords", "site", "skip"] {
            assert!(!is_credential_field(name), "{name}");
        }
    }

    #[test]
    fn bucket_names() {
        assert!(is_bucket_name("shanchuan-www"));
        assert!(is_bucket_name("a.b-c"));
        for bad in ["ab", "My_Shop", "-shop", "shop-", "shop/x", &"a".repeat(64)] {
            assert!(!is_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn static_paths_stay_inside() {
        assert!(check_static_path("images/a.svg").is_ok());
        assert!(check_static_path("/images/a.svg").is_ok());
        assert!(check_static_path("../secret").is_err());
        assert!(check_static_path("https://fonts.googleapis.com/x").is_err());
    }
}
