//! Hosts a page for mainland buyers must not load anything from: blocked by the firewall,
//! unreliable from inside China, or unsafe. One table; add a row to extend it.
//!
//! A row matches its domain and every subdomain of it (`googleapis.com` matches
//! `fonts.googleapis.com`), never a longer name that merely ends the same way (`x.com`
//! does not match `fox.com`). When several rows match, the longest domain wins, so a
//! specific row (`fonts.googleapis.com`) can carry a more precise reason than its parent.

/// One blocked or unreliable host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockedHost {
    /// The domain, lowercase, without a leading dot.
    pub domain: &'static str,
    /// What it serves, for messages.
    pub service: &'static str,
    /// How it behaves from mainland China, and the evidence.
    pub reason: &'static str,
    /// What to use instead.
    pub instead: &'static str,
}

const fn row(
    domain: &'static str,
    service: &'static str,
    reason: &'static str,
    instead: &'static str,
) -> BlockedHost {
    BlockedHost {
        domain,
        service,
        reason,
        instead,
    }
}

const SELF_HOST: &str = "self-host the file: put it in static/ and reference it by its local path";
const VIDEO: &str =
    "self-host an MP4 (with a poster image) or embed a Bilibili, Tencent Video or Youku player";
const SOCIAL: &str =
    "use Weibo/QQ share links and a WeChat QR code (the theme's share block does this)";
const FONTS: &str = "self-host woff2 subsets in static/; for Chinese text rely on the system fonts";

/// The table. Reasons follow the project's China reference (section 4).
pub const BLOCKED_HOSTS: &[BlockedHost] = &[
    row(
        "fonts.googleapis.com",
        "Google Fonts",
        "blocked: the render-blocking stylesheet hangs the page until it times out",
        FONTS,
    ),
    row(
        "fonts.gstatic.com",
        "Google Fonts files",
        "blocked: the font files never arrive",
        FONTS,
    ),
    row(
        "ajax.googleapis.com",
        "Google Hosted Libraries",
        "blocked: nothing from it loads",
        SELF_HOST,
    ),
    row(
        "googleapis.com",
        "Google APIs",
        "blocked in mainland China",
        SELF_HOST,
    ),
    row(
        "gstatic.com",
        "Google static content",
        "blocked in mainland China (fonts, reCAPTCHA, maps)",
        SELF_HOST,
    ),
    row(
        "google.com",
        "Google (reCAPTCHA, Maps, search)",
        "blocked in mainland China",
        "leave it out; a static shop needs no captcha, and Baidu or AMap serve maps",
    ),
    row(
        "recaptcha.net",
        "reCAPTCHA (China fallback)",
        "fails at times from mainland China",
        "leave the captcha out, or use a China-operated one",
    ),
    row(
        "google-analytics.com",
        "Google Analytics",
        "unreliable from mainland China; shops there use Baidu Tongji",
        "set `analytics.baidu_tongji` in shop.yaml",
    ),
    row(
        "googletagmanager.com",
        "Google Tag Manager",
        "unreliable from mainland China; nothing to depend on",
        "set `analytics.baidu_tongji` in shop.yaml",
    ),
    row(
        "googlesyndication.com",
        "Google AdSense",
        "blocked in mainland China",
        "leave it out",
    ),
    row(
        "doubleclick.net",
        "Google ads",
        "blocked in mainland China",
        "leave it out",
    ),
    row(
        "googleusercontent.com",
        "Google-hosted user content",
        "blocked in mainland China",
        SELF_HOST,
    ),
    row(
        "googlevideo.com",
        "YouTube video streams",
        "blocked since 2009",
        VIDEO,
    ),
    row("youtube.com", "YouTube", "blocked since 2009", VIDEO),
    row(
        "youtube-nocookie.com",
        "YouTube (privacy mode)",
        "blocked since 2009",
        VIDEO,
    ),
    row("youtu.be", "YouTube", "blocked since 2009", VIDEO),
    row(
        "ytimg.com",
        "YouTube thumbnails",
        "blocked since 2009",
        VIDEO,
    ),
    row("vimeo.com", "Vimeo", "blocked in mainland China", VIDEO),
    row(
        "vimeocdn.com",
        "Vimeo files",
        "blocked in mainland China",
        VIDEO,
    ),
    row("facebook.com", "Facebook", "blocked since 2009", SOCIAL),
    row("facebook.net", "Facebook SDK", "blocked since 2009", SOCIAL),
    row("fbcdn.net", "Facebook files", "blocked since 2009", SOCIAL),
    row("twitter.com", "Twitter/X", "blocked since 2009", SOCIAL),
    row("twimg.com", "Twitter/X files", "blocked since 2009", SOCIAL),
    row("x.com", "X (Twitter)", "blocked since 2009", SOCIAL),
    row("instagram.com", "Instagram", "blocked since 2014", SOCIAL),
    row(
        "cdninstagram.com",
        "Instagram files",
        "blocked since 2014",
        SOCIAL,
    ),
    row(
        "gravatar.com",
        "Gravatar",
        "blocked or very slow from mainland China",
        "show no avatars, or self-host the images",
    ),
    row(
        "disqus.com",
        "Disqus",
        "blocked in mainland China",
        "a shop needs no comment widget; if it must have one, self-host it (Waline, Twikoo)",
    ),
    row(
        "disquscdn.com",
        "Disqus files",
        "blocked in mainland China",
        "a shop needs no comment widget; if it must have one, self-host it (Waline, Twikoo)",
    ),
    row(
        "jsdelivr.net",
        "jsDelivr",
        "lost its ICP licence in 2021; DNS-poisoned and reset from mainland China since 2022",
        SELF_HOST,
    ),
    row(
        "unpkg.com",
        "unpkg",
        "slow and unstable from mainland China (Cloudflare-fronted)",
        SELF_HOST,
    ),
    row(
        "cdnjs.cloudflare.com",
        "cdnjs",
        "unstable from mainland China (Cloudflare-fronted)",
        SELF_HOST,
    ),
    row(
        "polyfill.io",
        "polyfill.io",
        "do not use: taken over and used in the 2024 supply-chain attack",
        "modern browsers need no polyfill service; self-host any polyfill you need",
    ),
    row(
        "bootcss.com",
        "BootCDN (old domain)",
        "do not use: run by the operator behind the 2024 polyfill.io attack",
        SELF_HOST,
    ),
    row(
        "bootcdn.net",
        "BootCDN",
        "do not use: run by the operator behind the 2024 polyfill.io attack",
        SELF_HOST,
    ),
    row(
        "staticfile.org",
        "Staticfile CDN",
        "do not use: run by the operator behind the 2024 polyfill.io attack",
        SELF_HOST,
    ),
    row(
        "staticfile.net",
        "Staticfile CDN",
        "do not use: run by the operator behind the 2024 polyfill.io attack",
        SELF_HOST,
    ),
    row(
        "vercel.app",
        "Vercel shared domain",
        "blocked in mainland China",
        "serve it from the shop's own domain",
    ),
    row(
        "netlify.app",
        "Netlify shared domain",
        "blocked or unstable in mainland China (shared with others' abuse)",
        "serve it from the shop's own domain",
    ),
    row(
        "deno.dev",
        "Deno Deploy shared domain",
        "blocked or unstable in mainland China (shared with others' abuse)",
        "serve it from the shop's own domain",
    ),
];

/// Every country domain of Google (`google.com.hk`, `google.co.jp`, `google.de`, `google.cn`,
/// which redirects to `google.com.hk`), as one rule.
static GOOGLE_COUNTRY: BlockedHost = row(
    "google.<country>",
    "Google (country domain)",
    "blocked in mainland China, like google.com",
    "leave it out; for maps use Amap (高德) or Baidu Maps, for search Baidu",
);

/// Whether `host` is `google.<cc>`, `google.com.<cc>` or `google.co.<cc>` (or below one).
fn is_google_country(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let cc = |l: &str| l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase());
    labels.iter().enumerate().any(|(i, l)| {
        *l == "google"
            && match &labels[i + 1..] {
                [c] => cc(c),
                ["com" | "co", c] => cc(c),
                _ => false,
            }
    })
}

/// The row for `host` (a host name as a browser would use it), if it is blocked.
/// Matching ignores letter case and a trailing dot.
pub fn lookup(host: &str) -> Option<&'static BlockedHost> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    BLOCKED_HOSTS
        .iter()
        .filter(|b| {
            host == b.domain
                || host
                    .strip_suffix(b.domain)
                    .is_some_and(|rest| rest.ends_with('.'))
        })
        .max_by_key(|b| b.domain.len())
        .or_else(|| is_google_country(&host).then_some(&GOOGLE_COUNTRY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomains_case_and_trailing_dot() {
        assert_eq!(
            lookup("fonts.googleapis.com").unwrap().service,
            "Google Fonts"
        );
        assert_eq!(
            lookup("FONTS.GoogleAPIs.com.").unwrap().service,
            "Google Fonts"
        );
        assert_eq!(
            lookup("maps.googleapis.com").unwrap().domain,
            "googleapis.com"
        );
        assert_eq!(lookup("www.youtube.com").unwrap().domain, "youtube.com");
        assert_eq!(lookup("i.ytimg.com").unwrap().domain, "ytimg.com");
        assert_eq!(lookup("my-app.vercel.app").unwrap().domain, "vercel.app");
        assert_eq!(lookup("cdn.jsdelivr.net").unwrap().domain, "jsdelivr.net");
        assert_eq!(lookup("x.com").unwrap().domain, "x.com");
    }

    #[test]
    fn every_google_country_domain_is_one_rule() {
        for host in [
            "google.com.hk",
            "www.google.com.hk",
            "google.co.jp",
            "maps.google.de",
            "google.cn",
            "WWW.GOOGLE.FR",
        ] {
            assert_eq!(
                lookup(host).map(|b| b.domain),
                Some("google.<country>"),
                "{host}"
            );
        }
        for ok in [
            "google.example.cn",
            "mygoogle.de",
            "google.com.evil",
            "google.shop.cn",
        ] {
            assert!(lookup(ok).is_none(), "{ok}");
        }
    }

    #[test]
    fn look_alikes_are_not_blocked() {
        for ok in [
            "fox.com",
            "notgoogle.com",
            "hm.baidu.com",
            "beian.miit.gov.cn",
            "player.bilibili.com",
            "cdnjs.example.cn",
            "googleapis.com.cn",
            "unpkg.com.evil.cn",
        ] {
            assert!(lookup(ok).is_none(), "{ok}");
        }
    }

    #[test]
    fn table_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for b in BLOCKED_HOSTS {
            assert!(seen.insert(b.domain), "{} twice", b.domain);
            assert_eq!(b.domain, b.domain.to_ascii_lowercase());
            assert!(!b.domain.starts_with('.') && b.domain.contains('.'));
            assert!(!b.service.is_empty() && !b.reason.is_empty() && !b.instead.is_empty());
        }
    }
}
