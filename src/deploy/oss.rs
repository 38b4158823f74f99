//! Aliyun OSS: every request OpenDAL's OSS service builds is signed here, with signature V4
//! (`OSS4-HMAC-SHA256`) by `reqsign-aliyun-oss` (or V1 when a bucket opts in).
//!
//! OpenDAL 0.59 signs OSS requests with V1 only, which Aliyun no longer offers to new
//! accounts and buckets. So the OSS service is built with `skip_signature` and its HTTP
//! transport is wrapped: [`SigningTransport`] adds `Content-MD5` to every request with a body
//! (OSS recomputes it and rejects a corrupted upload) and then signs the request.

use std::sync::Arc;

use base64::Engine;
use http::Uri;
use md5::{Digest, Md5};
use opendal::{Buffer, HttpBody, HttpTransport, HttpTransporter};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, percent_encode};
use reqsign_aliyun_oss::{Credential, RequestSigner, SigningVersion, StaticCredentialProvider};
use reqsign_core::{Context, Signer};

use crate::config::Signature;

/// OSS credentials, read from the environment. Never printed: no `Debug`, no `Display`.
pub struct OssCredentials {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: Option<String>,
}

/// How the bucket appears in request URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressing {
    /// `https://<bucket>.oss-<region>.aliyuncs.com/<key>` (the default endpoint).
    Virtual,
    /// `https://<endpoint>/<bucket>/<key>`.
    Path,
    /// A custom domain bound to the bucket: `https://static.example.cn/<key>`.
    Cname,
}

/// Signs OSS requests for one bucket.
pub struct OssSigner {
    bucket: String,
    addressing: Addressing,
    signer: Signer<Credential>,
}

impl OssSigner {
    /// `region` is the Aliyun region id (`cn-hangzhou`), which V4 binds the signature to.
    pub fn new(
        bucket: &str,
        region: &str,
        signature: Signature,
        addressing: Addressing,
        creds: &OssCredentials,
    ) -> OssSigner {
        let mut provider =
            StaticCredentialProvider::new(&creds.access_key_id, &creds.access_key_secret);
        if let Some(token) = &creds.security_token {
            provider = provider.with_security_token(token);
        }
        let request_signer = match signature {
            Signature::V4 => RequestSigner::new(bucket)
                .with_region(region)
                .with_signing_version(SigningVersion::V4),
            Signature::V1 => RequestSigner::new(bucket).with_signing_version(SigningVersion::V1),
        };
        OssSigner {
            bucket: bucket.to_string(),
            addressing,
            signer: Signer::new(Context::new(), provider, request_signer),
        }
    }

    /// Add `Content-MD5` (when there is a body and none was set) and sign `parts` in place.
    pub async fn sign(
        &self,
        parts: &mut http::request::Parts,
        body: &Buffer,
    ) -> Result<(), String> {
        if !body.is_empty() && !parts.headers.contains_key("content-md5") {
            let value = content_md5(body.clone());
            parts.headers.insert(
                "content-md5",
                value
                    .parse()
                    .map_err(|_| "cannot set Content-MD5".to_string())?,
            );
        }
        // OSS signs the resource `/<bucket>/<key>` whatever the host name. reqsign derives it
        // from the URL and recognises the bucket only in a virtual-hosted host name, so sign the
        // virtual-hosted form of the same request and keep the headers that signing produced.
        let mut view = parts.clone();
        view.uri = self.virtual_hosted(&parts.uri)?;
        self.signer
            .sign(&mut view, None)
            .await
            .map_err(|e| format!("cannot sign the OSS request: {e}"))?;
        parts.headers = view.headers;
        Ok(())
    }

    /// The virtual-hosted URL that `uri` stands for: `<bucket>.<host>/<key>`.
    fn virtual_hosted(&self, uri: &Uri) -> Result<Uri, String> {
        let path = uri.path();
        let object_path = match self.addressing {
            Addressing::Virtual => return Ok(uri.clone()),
            Addressing::Cname => path,
            Addressing::Path => match path.strip_prefix(&format!("/{}", self.bucket)) {
                Some("") => "/",
                Some(rest) if rest.starts_with('/') => rest,
                _ => return Err(format!("`{path}` is not a path-style URL of the bucket")),
            },
        };
        let host = uri.authority().map(|a| a.as_str()).unwrap_or("");
        let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        format!(
            "{}://{}.{host}{object_path}{query}",
            uri.scheme_str().unwrap_or("https"),
            self.bucket
        )
        .parse()
        .map_err(|e| format!("cannot build the URL to sign: {e}"))
    }
}

/// Base64 of the MD5 of `body`: the `Content-MD5` header.
pub fn content_md5(body: Buffer) -> String {
    let mut h = Md5::new();
    for chunk in body {
        h.update(&chunk);
    }
    base64::engine::general_purpose::STANDARD.encode(h.finalize())
}

/// The HTTP transport of the OSS operator: signs, then sends with the default transport.
pub struct SigningTransport {
    pub signer: Arc<OssSigner>,
    pub inner: HttpTransporter,
}

impl HttpTransport for SigningTransport {
    async fn fetch(&self, req: http::Request<Buffer>) -> opendal::Result<http::Response<HttpBody>> {
        let (mut parts, body) = req.into_parts();
        self.signer
            .sign(&mut parts, &body)
            .await
            .map_err(|e| opendal::Error::new(opendal::ErrorKind::Unexpected, e))?;
        self.inner
            .fetch(http::Request::from_parts(parts, body))
            .await
    }
}

/// Query values sent as SigV4 signs them: every byte but `A-Z a-z 0-9 - _ . ~` percent-encoded.
const SIGV4_QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `uri` with its query written the way a SigV4 canonical request writes it (`prefix=shop%2F`,
/// not `prefix=shop/`). The signature covers the canonical form (AWS SigV4: "encode the
/// forward slash character everywhere except in the object key name"); a server that follows
/// the specification decodes and re-encodes the query, and one that uses the query as it
/// arrives (moto, through botocore) then computes the same canonical form too.
pub fn canonical_query(uri: &http::Uri) -> Option<http::Uri> {
    let query = uri.query()?;
    let encoded: Vec<String> = query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let enc = |s: &str| {
                let decoded: Vec<u8> = percent_decode_str(s).collect();
                percent_encode(&decoded, SIGV4_QUERY).to_string()
            };
            if pair.contains('=') {
                format!("{}={}", enc(k), enc(v))
            } else {
                enc(k)
            }
        })
        .collect();
    let joined = encoded.join("&");
    if joined == query {
        return None;
    }
    format!("{}?{joined}", uri.path())
        .parse::<http::uri::PathAndQuery>()
        .ok()
        .and_then(|pq| {
            let mut parts = uri.clone().into_parts();
            parts.path_and_query = Some(pq);
            http::Uri::from_parts(parts).ok()
        })
}

/// The HTTP transport of the S3 operator: the request as OpenDAL signed it, with its query on
/// the wire in the form the signature covers (see [`canonical_query`]).
pub struct CanonicalQueryTransport {
    pub inner: HttpTransporter,
}

impl HttpTransport for CanonicalQueryTransport {
    async fn fetch(&self, req: http::Request<Buffer>) -> opendal::Result<http::Response<HttpBody>> {
        let (mut parts, body) = req.into_parts();
        if let Some(uri) = canonical_query(&parts.uri) {
            parts.uri = uri;
        }
        self.inner
            .fetch(http::Request::from_parts(parts, body))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_go_out_as_sigv4_signs_them() {
        let u = |s: &str| s.parse::<http::Uri>().unwrap();
        assert_eq!(
            canonical_query(&u("http://127.0.0.1:9000/shop?list-type=2&prefix=shop/"))
                .unwrap()
                .to_string(),
            "http://127.0.0.1:9000/shop?list-type=2&prefix=shop%2F"
        );
        assert!(canonical_query(&u("http://h/b?prefix=a%2Fb%20c&delete")).is_none());
        assert!(canonical_query(&u("http://h/b?list-type=2&prefix=a%2Fb")).is_none());
        assert!(canonical_query(&u("http://h/b/key")).is_none());
        assert_eq!(
            canonical_query(&u("http://h/b?prefix=%E6%89%98/x:y"))
                .unwrap()
                .to_string(),
            "http://h/b?prefix=%E6%89%98%2Fx%3Ay"
        );
    }

    fn signer(addressing: Addressing) -> OssSigner {
        let creds = OssCredentials {
            access_key_id: "AKIDEXAMPLE".into(),
            access_key_secret: "secret".into(),
            security_token: None,
        };
        OssSigner::new("shop", "cn-hangzhou", Signature::V4, addressing, &creds)
    }

    #[test]
    fn every_addressing_signs_the_virtual_hosted_resource() {
        let cases = [
            (
                Addressing::Virtual,
                "https://shop.oss-cn-hangzhou.aliyuncs.com/a/b.html?x=1",
                "https://shop.oss-cn-hangzhou.aliyuncs.com/a/b.html?x=1",
            ),
            (
                Addressing::Cname,
                "https://static.example.cn/a/b.html",
                "https://shop.static.example.cn/a/b.html",
            ),
            (
                Addressing::Path,
                "http://127.0.0.1:9000/shop/a/b.html",
                "http://shop.127.0.0.1:9000/a/b.html",
            ),
            (
                Addressing::Path,
                "http://127.0.0.1:9000/shop?list-type=2",
                "http://shop.127.0.0.1:9000/?list-type=2",
            ),
            (
                Addressing::Cname,
                "http://127.0.0.1:9000/?website",
                "http://shop.127.0.0.1:9000/?website",
            ),
        ];
        for (a, from, to) in cases {
            let got = signer(a).virtual_hosted(&from.parse().unwrap()).unwrap();
            assert_eq!(got.to_string(), to, "{a:?} {from}");
        }
        assert!(
            signer(Addressing::Path)
                .virtual_hosted(&"http://h/other/x".parse().unwrap())
                .is_err()
        );
    }

    #[test]
    fn content_md5_is_base64_of_the_digest() {
        assert_eq!(
            content_md5(Buffer::from(b"hello".to_vec())),
            "XUFAKrxLKna5cZ2REBfFkg=="
        );
        assert_eq!(content_md5(Buffer::new()), "1B2M2Y8AsgTpgAmY7PhCfg==");
    }
}
