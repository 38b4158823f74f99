//! `--configure-website`: OSS static website hosting (PutBucketWebsite), which OpenDAL has no
//! call for. One `PUT /?website` request, signed like every other OSS request.

use opendal::Buffer;

use super::remote::OssAccess;
use super::{DeployError, failure};

/// The index document served for `dir/` (and the bucket root).
pub const INDEX: &str = "index.html";
/// The error document served, with status 404, for a missing key.
pub const ERROR: &str = "404.html";

/// The website configuration: `dir/` serves `dir/index.html` (SupportSubDir), `/dir` without
/// the slash redirects to `/dir/` when `dir/index.html` exists (Type 0), and a missing page
/// gets 404.html with status 404.
pub fn configuration_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <WebsiteConfiguration>\n\
         \x20 <IndexDocument>\n\
         \x20   <Suffix>{INDEX}</Suffix>\n\
         \x20   <SupportSubDir>true</SupportSubDir>\n\
         \x20   <Type>0</Type>\n\
         \x20 </IndexDocument>\n\
         \x20 <ErrorDocument>\n\
         \x20   <Key>{ERROR}</Key>\n\
         \x20   <HttpStatus>404</HttpStatus>\n\
         \x20 </ErrorDocument>\n\
         </WebsiteConfiguration>\n"
    )
}

/// The unsigned request: `PUT <bucket URL>/?website` with the XML body.
pub fn request(bucket_url: &str) -> Result<http::Request<Buffer>, DeployError> {
    let body = configuration_xml().into_bytes();
    http::Request::put(format!("{bucket_url}/?website"))
        .header(http::header::CONTENT_TYPE, "application/xml")
        .header(http::header::CONTENT_LENGTH, body.len())
        .body(Buffer::from(body))
        .map_err(|e| failure(format!("cannot build the website request: {e}")))
}

/// Send the configuration to the bucket.
pub async fn configure(access: &OssAccess) -> Result<(), DeployError> {
    let req = request(&access.bucket_url)?;
    let resp = access.transport.send(req).await.map_err(|e| {
        failure(format!("cannot configure website hosting: {e}"))
            .hint("check the network and the endpoint, then run again with --configure-website")
    })?;
    let status = resp.status();
    let text = String::from_utf8_lossy(&resp.into_body().to_vec())
        .trim()
        .to_string();
    if status.is_success() {
        Ok(())
    } else {
        Err(failure(format!(
            "OSS refused the website configuration (HTTP {status}): {text}"
        ))
        .hint("the keys need the oss:PutBucketWebsite permission on this bucket; or set static website hosting in the OSS console (index.html, 404.html, 子目录首页 on)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The request matches the documented PutBucketWebsite request
    /// (https://help.aliyun.com/en/oss/developer-reference/putbucketwebsite): `PUT /?website`,
    /// `Content-Type: application/xml`, host `BucketName.oss-cn-hangzhou.aliyuncs.com`, and the
    /// documented elements in the documented order.
    #[test]
    fn request_follows_the_documented_example() {
        let req = request("https://shop.oss-cn-hangzhou.aliyuncs.com").unwrap();
        assert_eq!(req.method(), http::Method::PUT);
        assert_eq!(req.uri().host(), Some("shop.oss-cn-hangzhou.aliyuncs.com"));
        assert_eq!(req.uri().path(), "/");
        assert_eq!(req.uri().query(), Some("website"));
        assert_eq!(req.headers()["content-type"], "application/xml");
        let body = String::from_utf8(req.body().to_vec()).unwrap();
        assert_eq!(
            req.headers()["content-length"],
            body.len().to_string().as_str()
        );
        assert!(
            body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<WebsiteConfiguration>")
        );
        let squeezed: String = body.split_whitespace().collect();
        assert!(squeezed.contains(
            "<IndexDocument><Suffix>index.html</Suffix><SupportSubDir>true</SupportSubDir><Type>0</Type></IndexDocument>"
        ));
        assert!(squeezed.contains(
            "<ErrorDocument><Key>404.html</Key><HttpStatus>404</HttpStatus></ErrorDocument></WebsiteConfiguration>"
        ));
    }
}
