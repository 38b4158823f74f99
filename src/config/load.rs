//! Reading `shop.yaml` and checking what types alone cannot: the fields that depend on each
//! other, the China rules, the deploy settings.

use std::path::Path;

use super::yaml::Document;
use super::{
    BaseUrl, CONFIG_FILE, Config, Deploy, Provider, Signature, check_static_path, is_hex_colour,
    is_length,
};
use crate::util::diag::Diagnostic;
use crate::util::{fsread, slug};

/// Read and validate `<site>/shop.yaml`: the config, and the document it came from (for
/// messages about its values; the China rules in `rules` are checked by the caller).
pub fn load(site: &Path) -> Result<(Config, Document), Vec<Diagnostic>> {
    let file = site.join(CONFIG_FILE);
    if !file.exists() {
        return Err(vec![
            Diagnostic::new(
                &file,
                "cannot read the site configuration: it does not exist",
            )
            .hint(format!(
                "is `{}` a shopgen site? run `shopgen init {}` to create one",
                site.display(),
                site.display()
            )),
        ]);
    }
    let raw = fsread::read_text(&file).map_err(|d| vec![d])?;
    let text = raw.strip_prefix('\u{feff}').unwrap_or(&raw).to_string();
    let doc = Document::new(&file, text, 1);
    let config: Config = doc.parse().map_err(|d| vec![credential_field(d)])?;
    let errors = validate(&config, &doc);
    if errors.is_empty() {
        Ok((config, doc))
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

fn validate(c: &Config, doc: &Document) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let mut err = |path: &str, msg: String, hint: &str| {
        errs.push(doc.error(path, msg).hint(hint));
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
    let im = &c.images;
    for (field, q) in [
        ("images.quality", im.quality),
        ("images.jpeg_quality", im.jpeg_quality),
    ] {
        if !(1..=100).contains(&q) {
            err(
                field,
                format!("{q} is not a quality from 1 to 100"),
                "80 is a good balance of sharpness and size",
            );
        }
    }
    if im.max_pixels < 1_000_000 {
        err(
            "images.max_pixels",
            format!("{} pixels is too small for a photo", im.max_pixels),
            "the default is 100000000 (100 megapixels)",
        );
    }
    for (name, widths) in &im.widths {
        if widths.is_empty() || widths.iter().any(|w| !(16..=8192).contains(w)) {
            err(
                &format!("images.widths.{name}"),
                "give one or more widths from 16 to 8192 pixels".into(),
                "e.g. `gallery: [375, 750, 1125, 1500]`",
            );
        }
    }
    if !slug::is_valid(&c.theme) {
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
    for (i, e) in c.home.endorsements.iter().enumerate() {
        check_path(&format!("home.endorsements[{i}].photo"), &e.photo);
    }
    for (i, cat) in c.categories.iter().enumerate() {
        check_path(&format!("categories[{i}].image"), &cat.image);
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
    for (i, cat) in c.categories.iter().enumerate() {
        if !names.insert(cat.name.as_str()) {
            err(
                &format!("categories[{i}].name"),
                format!("category `{}` is listed twice", cat.name),
                "list each category once",
            );
        }
        if let Some(s) = &cat.slug
            && !slug::is_valid(s)
        {
            err(
                &format!("categories[{i}].slug"),
                format!("`{s}` is not a valid slug"),
                "use lowercase ASCII letters, digits and -, e.g. `nv-bao`",
            );
        }
    }
    super::languages::validate(c, doc, &mut errs);
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
    for (field, v) in [
        ("deploy.connect_timeout", d.connect_timeout),
        ("deploy.request_timeout", d.request_timeout),
    ] {
        if v.is_some_and(|s| !(1..=600).contains(&s)) {
            errs.push((
                field,
                "must be between 1 and 600 seconds".into(),
                "e.g. `request_timeout: 30` for a slow link",
            ));
        }
    }
    if d.retries.is_some_and(|r| r > 10) {
        errs.push((
            "deploy.retries",
            "at most 10 retries".into(),
            "a failed request is tried again a few times; a deploy that stops carries on when run again",
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
