//! Where a deploy goes: an OpenDAL operator for Aliyun OSS, an S3-protocol bucket or a local
//! folder, with retries, timeouts, and the few calls the deploy makes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::TryStreamExt;
use opendal::layers::{RetryEvent, RetryInterceptor, RetryLayer, TimeoutLayer};
use opendal::{ErrorKind, HttpTransporter, OperationContext, Operator, services};
use opendal_http_transport_reqwest::ReqwestTransport;

use super::manifest::{self, Manifest};
use super::oss::{
    Addressing, CanonicalQueryTransport, OssCredentials, OssSigner, SigningTransport,
};
use super::plan::{RemoteObject, etag_md5};
use super::{DeployError, failure};
use crate::config::{Deploy, Provider};
use crate::rules::region;

/// Counts the retries OpenDAL's retry layer makes, for the summary, and tells each one as it
/// happens (`retry 2/4 in 8 s: …`), without a key or a raw response in the line.
#[derive(Clone)]
pub struct RetryCounter {
    count: Arc<AtomicUsize>,
    max: u32,
    secrets: Arc<Vec<String>>,
    say: fn(&str),
}

impl RetryCounter {
    fn new(max: u32, secrets: Vec<String>, say: fn(&str)) -> RetryCounter {
        RetryCounter {
            count: Arc::default(),
            max,
            secrets: Arc::new(secrets),
            say,
        }
    }

    pub fn get(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }
}

impl RetryInterceptor for RetryCounter {
    fn intercept(&self, event: RetryEvent<'_>) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let line = format!(
            "retry {}/{} in {} s: {}: {}",
            event.attempt,
            self.max,
            event.retry_after.as_secs_f32().ceil(),
            event.op.into_static(),
            short(event.err)
        );
        (self.say)(&super::redact(&line, &self.secrets));
    }
}

/// One line for an OpenDAL error: its kind and message, never the raw response it carries.
pub fn short(e: &opendal::Error) -> String {
    let message = e.message().lines().next().unwrap_or("").trim();
    let mut s = if message.is_empty() {
        e.kind().to_string()
    } else {
        message.to_string()
    };
    // The innermost cause says what happened on the wire ("connection refused", "timed out").
    let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut last = None;
    while let Some(c) = cause {
        last = Some(c);
        cause = c.source();
    }
    if let Some(c) = last {
        let c: String = c
            .to_string()
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(160)
            .collect();
        if !c.is_empty() && !s.contains(&c) {
            s.push_str(": ");
            s.push_str(&c);
        }
    }
    s
}

/// What `--configure-website` needs: the bucket's URL and a signing transport.
pub struct OssAccess {
    pub bucket_url: String,
    /// Signs (V4) and sends.
    pub transport: HttpTransporter,
}

/// A connected deploy target.
pub struct Target {
    /// `None` for a local folder that does not exist yet (a dry run creates nothing).
    op: Option<Operator>,
    pub provider: Provider,
    /// `oss://bucket/prefix/`, `s3://bucket/prefix/` or the folder: for messages.
    pub describe: String,
    /// Values that must never appear in output: the keys from the environment.
    pub secrets: Vec<String>,
    pub retries: RetryCounter,
    pub oss: Option<OssAccess>,
}

/// Reads one environment variable (a parameter so tests can supply their own).
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn required(env: Env, name: &str, what: &str) -> Result<String, DeployError> {
    env(name).filter(|v| !v.is_empty()).ok_or_else(|| {
        failure(format!("{name} is not set")).hint(format!(
            "{what} come from the environment only, never from shop.yaml: export {name}=…"
        ))
    })
}

impl Target {
    /// Build the target from `deploy:` and the environment. `site` resolves a relative
    /// `root:` of `provider: fs`. With `dry_run`, nothing is created.
    pub fn connect(
        cfg: &Deploy,
        site: &Path,
        env: Env,
        dry_run: bool,
        say: fn(&str),
    ) -> Result<Target, DeployError> {
        // Connections that never open fail in `connect_timeout`; answers that never come, in
        // `request_timeout` (the timeout layer below), each tried `retries` times more.
        let client = reqwest::Client::builder()
            .connect_timeout(cfg.connect_timeout())
            .build()
            .map_err(|e| failure(format!("cannot set up the HTTP client: {e}")))?;
        let http = HttpTransporter::new(ReqwestTransport::new(client));
        let prefix = cfg.prefix();
        let root = if prefix.is_empty() {
            "/".to_string()
        } else {
            format!("/{prefix}/")
        };
        let shown_prefix = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        };
        let (op, describe, secrets, oss) = match cfg.provider {
            Provider::Fs => {
                let folder = site.join(cfg.root().unwrap_or_default()).join(prefix);
                let describe = folder.display().to_string();
                let op = if dry_run && !folder.is_dir() {
                    None
                } else {
                    let tmp = folder.join(manifest::DIR).join("tmp");
                    let b = services::Fs::default()
                        .root(&path_str(&folder)?)
                        .atomic_write_dir(&path_str(&tmp)?);
                    Some(build(b)?)
                };
                (op, describe, Vec::new(), None)
            }
            Provider::S3 => {
                let bucket = cfg.bucket().unwrap_or_default();
                let id = required(env, "AWS_ACCESS_KEY_ID", "S3 keys")?;
                let secret = required(env, "AWS_SECRET_ACCESS_KEY", "S3 keys")?;
                let token = env("AWS_SESSION_TOKEN").filter(|t| !t.is_empty());
                let mut b = services::S3::default()
                    .bucket(bucket)
                    .root(&root)
                    .region(cfg.region().unwrap_or("us-east-1"))
                    .access_key_id(&id)
                    .secret_access_key(&secret)
                    .disable_config_load()
                    .disable_ec2_metadata()
                    // Send Content-MD5 with every upload: the server rejects a corrupted body.
                    .checksum_algorithm("md5");
                if let Some(e) = cfg.endpoint() {
                    b = b.endpoint(e);
                }
                if !cfg.path_style {
                    b = b.enable_virtual_host_style();
                }
                if let Some(t) = &token {
                    b = b.session_token(t);
                }
                let mut secrets = vec![id, secret];
                secrets.extend(token);
                let transport = HttpTransporter::new(CanonicalQueryTransport {
                    inner: http.clone(),
                });
                let op =
                    build(b)?.with_context(OperationContext::new().with_http_transport(transport));
                (
                    Some(op),
                    format!("s3://{bucket}/{shown_prefix}"),
                    secrets,
                    None,
                )
            }
            Provider::Oss => {
                let bucket = cfg.bucket().unwrap_or_default();
                let region_id = cfg.region().unwrap_or_default();
                let full_region = if region_id.starts_with("oss-") {
                    region_id.to_string()
                } else {
                    format!("oss-{region_id}")
                };
                let creds = OssCredentials {
                    access_key_id: required(env, "OSS_ACCESS_KEY_ID", "OSS keys")?,
                    access_key_secret: required(env, "OSS_ACCESS_KEY_SECRET", "OSS keys")?,
                    security_token: env("OSS_SECURITY_TOKEN").filter(|t| !t.is_empty()),
                };
                let endpoint = cfg
                    .endpoint()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("https://{full_region}.aliyuncs.com"));
                let host = endpoint
                    .split_once("://")
                    .map(|(_, h)| h)
                    .unwrap_or(&endpoint)
                    .split([':', '/'])
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let addressing = if cfg.path_style {
                    Addressing::Path
                } else if host.ends_with(".aliyuncs.com") {
                    Addressing::Virtual
                } else {
                    Addressing::Cname
                };
                let signer = Arc::new(OssSigner::new(
                    bucket,
                    region::signing_region(&full_region),
                    cfg.signature,
                    addressing,
                    &creds,
                ));
                let b = services::Oss::default()
                    .bucket(bucket)
                    .root(&root)
                    .endpoint(&endpoint)
                    .addressing_style(match addressing {
                        Addressing::Virtual => "virtual",
                        Addressing::Path => "path",
                        Addressing::Cname => "cname",
                    })
                    // Signed by the transport below (V4), not by OpenDAL (V1).
                    .skip_signature();
                let transport = HttpTransporter::new(SigningTransport {
                    signer,
                    inner: http.clone(),
                });
                let op = build(b)?
                    .with_context(OperationContext::new().with_http_transport(transport.clone()));
                let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", &endpoint));
                let bucket_url = match addressing {
                    Addressing::Virtual => format!("{scheme}://{bucket}.{rest}"),
                    Addressing::Path => format!("{endpoint}/{bucket}"),
                    Addressing::Cname => endpoint.clone(),
                };
                let mut secrets = vec![creds.access_key_id, creds.access_key_secret];
                secrets.extend(creds.security_token);
                (
                    Some(op),
                    format!("oss://{bucket}/{shown_prefix} ({full_region})"),
                    secrets,
                    Some(OssAccess {
                        bucket_url,
                        transport,
                    }),
                )
            }
        };
        let retries = RetryCounter::new(cfg.retries(), secrets.clone(), say);
        let op = op.map(|op| {
            op.layer(
                TimeoutLayer::new()
                    .with_timeout(cfg.request_timeout())
                    .with_io_timeout(cfg.request_timeout()),
            )
            .layer(
                RetryLayer::new()
                    .with_jitter()
                    .with_max_times(cfg.retries() as usize)
                    .with_min_delay(Duration::from_secs(1))
                    .with_max_delay(Duration::from_secs(8))
                    .with_notify(retries.clone()),
            )
        });
        Ok(Target {
            op,
            provider: cfg.provider,
            describe,
            secrets,
            retries,
            oss,
        })
    }

    fn op(&self) -> Result<&Operator, DeployError> {
        self.op
            .as_ref()
            .ok_or_else(|| failure(format!("{} does not exist", self.describe)))
    }

    /// Every object below the prefix (shopgen's own `.shopgen/` left out), with its size and
    /// ETag when the server lists one.
    pub async fn list(&self) -> Result<BTreeMap<String, RemoteObject>, DeployError> {
        let Some(op) = &self.op else {
            return Ok(BTreeMap::new());
        };
        let mut lister = op
            .lister_with("")
            .recursive(true)
            .await
            .map_err(|e| self.err("list the files", e))?;
        let mut out = BTreeMap::new();
        while let Some(entry) = lister
            .try_next()
            .await
            .map_err(|e| self.err("list the files", e))?
        {
            let path = entry.path();
            let meta = entry.metadata();
            if meta.is_dir() || path.ends_with('/') || path.starts_with(manifest::DIR) {
                continue;
            }
            out.insert(
                path.to_string(),
                RemoteObject {
                    size: meta.content_length(),
                    etag: meta.etag().map(str::to_string),
                },
            );
        }
        Ok(out)
    }

    /// The manifest of the last complete deploy, if there is a readable one.
    pub async fn read_manifest(&self) -> Result<Option<Manifest>, DeployError> {
        let Some(op) = &self.op else {
            return Ok(None);
        };
        match op.read(manifest::PATH).await {
            Ok(buf) => Ok(Manifest::parse(&buf.to_vec())),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.err("read the deploy manifest", e)),
        }
    }

    /// For an object whose listing says nothing about its content: is it `md5`? Asks the
    /// server for the ETag; a local folder is read and hashed.
    pub async fn has_md5(&self, path: &str, md5: &str) -> Result<bool, DeployError> {
        let op = self.op()?;
        if self.provider == Provider::Fs {
            let buf = op
                .read(path)
                .await
                .map_err(|e| self.err(&format!("read `{path}`"), e))?;
            return Ok(super::local::md5_hex(&buf.to_vec()) == md5);
        }
        let meta = op
            .stat(path)
            .await
            .map_err(|e| self.err(&format!("look up `{path}`"), e))?;
        Ok(meta.etag().and_then(etag_md5).as_deref() == Some(md5))
    }

    /// Upload one file with its headers. Returns the ETag the server answered, after checking
    /// that it is the MD5 of what was sent whenever it is an MD5.
    pub async fn upload(
        &self,
        path: &str,
        bytes: Vec<u8>,
        md5: &str,
    ) -> Result<Option<String>, DeployError> {
        let op = self.op()?;
        let what = format!("upload `{path}`");
        let meta = if self.provider == Provider::Fs {
            op.write(path, bytes).await
        } else {
            op.write_with(path, bytes)
                .content_type(&super::headers::content_type(path))
                .cache_control(super::headers::cache_control(path))
                .await
        }
        .map_err(|e| self.err(&what, e))?;
        let etag = meta.etag().map(str::to_string);
        if let Some(got) = etag.as_deref().and_then(etag_md5)
            && got != md5
        {
            return Err(failure(format!(
                "{what}: the server stored content with MD5 {got}, but the file's MD5 is {md5}"
            ))
            .hint("the upload was corrupted on the way; run the deploy again"));
        }
        Ok(etag)
    }

    /// Delete objects below the prefix (batched where the server can).
    pub async fn delete(&self, paths: &[String]) -> Result<(), DeployError> {
        let op = self.op()?;
        op.delete_iter(paths.iter().map(String::as_str))
            .await
            .map_err(|e| self.err("delete the stale files", e))
    }

    /// Write the manifest, last of all.
    pub async fn write_manifest(&self, m: &Manifest) -> Result<(), DeployError> {
        let op = self.op()?;
        let r = if self.provider == Provider::Fs {
            op.write(manifest::PATH, m.to_json()).await
        } else {
            op.write_with(manifest::PATH, m.to_json())
                .content_type("application/json; charset=utf-8")
                .cache_control(super::headers::NO_CACHE)
                .await
        };
        r.map(|_| ())
            .map_err(|e| self.err("write the deploy manifest", e))
    }

    fn err(&self, what: &str, e: opendal::Error) -> DeployError {
        let hint = match e.kind() {
            ErrorKind::PermissionDenied => {
                "check the keys in the environment and that they may write to this bucket"
            }
            ErrorKind::NotFound => "check the bucket name, region and endpoint in shop.yaml",
            _ if e.is_temporary() => {
                "a network or server problem; run the deploy again: it carries on where it stopped"
            }
            _ => "run the deploy again; what is already uploaded is not uploaded twice",
        };
        failure(format!("{}: cannot {what}: {}", self.describe, short(&e))).hint(hint)
    }
}

fn build(b: impl opendal::Builder) -> Result<Operator, DeployError> {
    Operator::new(b).map_err(|e| failure(format!("cannot set up the deploy target: {e}")))
}

fn path_str(p: &Path) -> Result<String, DeployError> {
    let abs: PathBuf = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| failure(format!("cannot read the current folder: {e}")))?
            .join(p)
    };
    abs.to_str().map(str::to_string).ok_or_else(|| {
        failure(format!("`{}` is not a UTF-8 path", p.display()))
            .hint("deploy into a folder whose path is UTF-8")
    })
}
