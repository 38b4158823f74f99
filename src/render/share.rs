//! Share links for Weibo, QQ and Qzone, correctly percent-encoded. WeChat has no share URL:
//! the page shows a QR code of its own address instead.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

/// Encode everything but the unreserved characters of RFC 3986.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// What a page shares.
pub struct Shared<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Absolute URL of an image, or empty.
    pub image: &'a str,
    pub site: &'a str,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Links {
    pub weibo: String,
    pub qq: String,
    pub qzone: String,
}

pub fn links(s: &Shared) -> Links {
    let (url, title, desc, pic, site) = (
        encode(s.url),
        encode(s.title),
        encode(s.description),
        encode(s.image),
        encode(s.site),
    );
    Links {
        weibo: format!(
            "https://service.weibo.com/share/share.php?url={url}&title={title}&pic={pic}"
        ),
        qq: format!(
            "https://connect.qq.com/widget/shareqq/index.html?url={url}&title={title}&desc={desc}&summary={desc}&pics={pic}&site={site}"
        ),
        qzone: format!(
            "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url={url}&title={title}&desc={desc}&summary={desc}&pics={pic}&site={site}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(url: &str, key: &str) -> String {
        let q = url.split_once('?').unwrap().1;
        let v = q
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
            .unwrap();
        percent_encoding::percent_decode_str(v)
            .decode_utf8()
            .unwrap()
            .into_owned()
    }

    #[test]
    fn parameters_are_encoded_and_round_trip() {
        let s = Shared {
            url: "https://www.example.cn/products/a/?from=share&x=1",
            title: "真皮托特包 & 钱包 #1",
            description: "意大利植鞣牛皮 100%",
            image: "https://www.example.cn/images/a.svg",
            site: "山川皮具",
        };
        let l = links(&s);
        assert!(l.weibo.starts_with("https://service.weibo.com/share/share.php?url=https%3A%2F%2Fwww.example.cn%2Fproducts%2Fa%2F%3Ffrom%3Dshare%26x%3D1&"));
        for u in [&l.weibo, &l.qq, &l.qzone] {
            assert!(!u.contains(' ') && !u.contains('#'), "{u}");
            assert_eq!(param(u, "url"), s.url);
            assert_eq!(param(u, "title"), s.title);
        }
        assert_eq!(param(&l.weibo, "pic"), s.image);
        assert_eq!(param(&l.qq, "pics"), s.image);
        assert_eq!(param(&l.qq, "desc"), s.description);
        assert_eq!(param(&l.qzone, "site"), s.site);
    }
}
