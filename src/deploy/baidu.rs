//! `--baidu-push`: tell Baidu's link-submission API (普通收录 API 提交) which pages changed.
//! `POST <endpoint>?site=<site>&token=<token>` with one URL per line, at most 2,000 a request.

use opendal::{Buffer, HttpTransporter};

use super::headers;
use super::{DeployError, failure};
use crate::config::BaseUrl;

pub const DEFAULT_ENDPOINT: &str = "http://data.zz.baidu.com/urls";
/// Baidu takes at most 2,000 URLs in one request.
pub const MAX_URLS: usize = 2000;
/// The environment variable that holds the token.
pub const TOKEN_ENV: &str = "BAIDU_PUSH_TOKEN";

/// The public URLs of the uploaded pages: `products/x/index.html` → `<base>products/x/`.
/// The 404 page and non-HTML files are left out.
pub fn page_urls<'a>(paths: impl IntoIterator<Item = &'a str>, base: &BaseUrl) -> Vec<String> {
    let root = base.root();
    paths
        .into_iter()
        .filter(|p| headers::is_page(p) && p.ends_with(".html") && *p != "404.html")
        .map(|p| {
            let rel = if p == "index.html" {
                ""
            } else {
                p.strip_suffix("/index.html").map_or(p, |d| d)
            };
            let slash = if rel.is_empty() || rel.ends_with(".html") {
                ""
            } else {
                "/"
            };
            format!("{root}{rel}{slash}")
        })
        .collect()
}

/// The requests for `urls`, at most [`MAX_URLS`] each.
pub fn requests(
    endpoint: &str,
    site: &str,
    token: &str,
    urls: &[String],
) -> Result<Vec<http::Request<Buffer>>, DeployError> {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("site", site)
        .append_pair("token", token)
        .finish();
    urls.chunks(MAX_URLS)
        .map(|chunk| {
            let body = chunk.join("\n").into_bytes();
            http::Request::post(format!("{endpoint}?{query}"))
                .header(http::header::CONTENT_TYPE, "text/plain")
                .header(http::header::CONTENT_LENGTH, body.len())
                .body(Buffer::from(body))
                .map_err(|_| {
                    failure("cannot build the Baidu push request")
                        .hint("check deploy.baidu_push.endpoint and site in shop.yaml")
                })
        })
        .collect()
}

/// Send the URLs; returns Baidu's answer to each request (`HTTP 200: {"remain":…}`).
pub async fn push(
    endpoint: &str,
    site: &str,
    token: &str,
    urls: &[String],
) -> Result<Vec<String>, DeployError> {
    let transport = HttpTransporter::default();
    let mut answers = Vec::new();
    for req in requests(endpoint, site, token, urls)? {
        // The URL carries the token: errors are described without it.
        let resp = transport.send(req).await.map_err(|e| {
            failure(format!(
                "cannot reach Baidu's link submission at {endpoint}: {}",
                e.kind()
            ))
            .hint("the deploy itself is done; run again with --baidu-push later, or submit in Baidu's webmaster tools")
        })?;
        let status = resp.status();
        let text = String::from_utf8_lossy(&resp.into_body().to_vec())
            .trim()
            .to_string();
        if !status.is_success() {
            return Err(failure(format!(
                "Baidu refused the push (HTTP {status}): {text}"
            ))
            .hint(format!(
                "check {TOKEN_ENV} and that deploy.baidu_push.site (or base_url) is the site registered with Baidu"
            )));
        }
        answers.push(format!("HTTP {}: {text}", status.as_u16()));
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_of_pages_only() {
        let base = BaseUrl::parse("https://www.example.cn/shop").unwrap();
        let urls = page_urls(
            [
                "index.html",
                "products/a/index.html",
                "404.html",
                "assets/style.0123456789.css",
                "sitemap.xml",
                "baidu_verify_x.html",
            ],
            &base,
        );
        assert_eq!(
            urls,
            [
                "https://www.example.cn/shop/",
                "https://www.example.cn/shop/products/a/",
                "https://www.example.cn/shop/baidu_verify_x.html",
            ]
        );
    }

    #[test]
    fn requests_hold_at_most_2000_urls() {
        let urls: Vec<String> = (0..4001).map(|i| format!("https://a.cn/p/{i}/")).collect();
        let reqs = requests("http://127.0.0.1:9/urls", "https://a.cn", "t0k", &urls).unwrap();
        assert_eq!(reqs.len(), 3);
        let lines = |r: &http::Request<Buffer>| {
            String::from_utf8(r.body().to_vec())
                .unwrap()
                .lines()
                .count()
        };
        assert_eq!(reqs.iter().map(lines).collect::<Vec<_>>(), [2000, 2000, 1]);
        assert_eq!(
            reqs[0].uri().to_string(),
            "http://127.0.0.1:9/urls?site=https%3A%2F%2Fa.cn&token=t0k"
        );
        assert_eq!(reqs[0].headers()["content-type"], "text/plain");
    }
}
