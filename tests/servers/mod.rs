//! Deploy targets for the end-to-end deploy tests, each started by the test on 127.0.0.1:
//! an S3-protocol server (s3s-fs, in-process; it checks SigV4 and Content-MD5), the test-only
//! OSS endpoint `tests/oss_fake.py` (it checks every V4 signature with Aliyun's `oss2` SDK),
//! and a plain folder.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use hyper::service::Service;
use hyper_util::rt::{TokioExecutor, TokioIo};
use opendal::{Buffer, HttpTransporter, Operator, services};

pub mod moto;

pub const BUCKET: &str = "shanchuan-www";
pub const KEY_ID: &str = "AKIDshopgenTEST0001";
pub const SECRET: &str = "sEcReTshopgenTEST0002xyz";
pub const TOKEN: &str = "STStokenShopgenTEST0003";

/// One stored object as a visitor would get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub md5: String,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
}

/// What the deploy tests need from a target.
pub trait Target {
    /// The `deploy:` block of shop.yaml.
    fn deploy_yaml(&self) -> String;
    /// The environment the deploy runs with (credentials).
    fn env(&self) -> Vec<(String, String)>;
    /// Every object in the bucket (or folder), also outside the prefix, by full key.
    fn objects(&self) -> BTreeMap<String, Object>;
    /// Object uploads the server has accepted so far.
    fn puts(&self) -> usize;
    /// After `n` more uploads, hold every further upload until [`Target::release`], which
    /// answers the held ones with 503 (their client is gone by then) and stores nothing.
    fn hold_after(&self, n: usize);
    /// After `n` more uploads, answer every further upload with 503.
    fn fail_after(&self, n: usize);
    fn release(&self);
    /// Store an object directly (outside the deploy), e.g. one outside the prefix.
    fn seed(&self, key: &str, body: &[u8]);
    /// The prefix the scenario deploys under.
    fn prefix(&self) -> &str;
    /// Object uploads that came without Content-MD5 (the OSS endpoint refuses them).
    fn uploads_without_content_md5(&self) -> usize {
        0
    }
    /// Whether the target stores Content-Type and Cache-Control.
    fn has_headers(&self) -> bool {
        true
    }
}

pub fn md5_hex(b: &[u8]) -> String {
    shopgen::deploy::local::md5_hex(b)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

// ---------------------------------------------------------------- S3 (s3s-fs, in-process)

#[derive(Default)]
struct Gate {
    puts: AtomicUsize,
    /// Object uploads that came without a Content-MD5 header.
    without_md5: AtomicUsize,
    /// ("hold" | "fail", allowed total puts)
    mode: Mutex<Option<(&'static str, usize)>>,
    released: tokio::sync::Notify,
}

#[derive(Clone)]
struct GatedService {
    inner: s3s::service::S3Service,
    gate: Arc<Gate>,
}

impl Service<http::Request<hyper::body::Incoming>> for GatedService {
    type Response = s3s::HttpResponse;
    type Error = s3s::HttpError;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
    >;

    fn call(&self, req: http::Request<hyper::body::Incoming>) -> Self::Future {
        let is_put = self.gate.on_request(&req);
        let this = self.clone();
        Box::pin(async move {
            if let Some(mode) = this.gate.blocked(is_put).await {
                return Ok(refused(mode));
            }
            let resp = Service::call(&this.inner, req).await?;
            this.gate.after(is_put, resp.status());
            Ok(resp)
        })
    }
}

impl Gate {
    /// Count a request; whether it is an object upload (PUT /<bucket>/<key>, no sub-resource).
    fn on_request<B>(&self, req: &http::Request<B>) -> bool {
        let is_put = req.method() == http::Method::PUT
            && req.uri().query().is_none()
            && req.uri().path().trim_start_matches('/').contains('/');
        if is_put && !req.headers().contains_key("content-md5") {
            self.without_md5.fetch_add(1, Ordering::SeqCst);
        }
        is_put
    }

    /// For an upload past what the test allows: "hold" (wait for the release, by when the
    /// client is gone) or "fail"; either is answered like a failure and never stored.
    async fn blocked(&self, is_put: bool) -> Option<&'static str> {
        if !is_put {
            return None;
        }
        let notified = self.released.notified();
        let mode = match *self.mode.lock().unwrap() {
            Some((m, allowed)) if self.puts.load(Ordering::SeqCst) >= allowed => Some(m),
            _ => None,
        }?;
        if mode == "hold" {
            notified.await;
        }
        Some(mode)
    }

    fn set_mode(&self, mode: &'static str, n: usize) {
        let allowed = self.puts.load(Ordering::SeqCst) + n;
        *self.mode.lock().unwrap() = Some((mode, allowed));
    }

    fn release(&self) {
        *self.mode.lock().unwrap() = None;
        self.released.notify_waiters();
    }

    fn after(&self, is_put: bool, status: http::StatusCode) {
        if is_put && status.is_success() {
            self.puts.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Every object of the bucket `op` reads, with its MD5 and headers.
fn s3_objects(op: &Operator) -> BTreeMap<String, Object> {
    rt().block_on(async {
        let keys: Vec<String> = op
            .list_with("")
            .recursive(true)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| !e.metadata().is_dir())
            .map(|e| e.path().to_string())
            .collect();
        futures::stream::iter(keys)
            .map(|key| {
                let op = op.clone();
                async move {
                    let (meta, body) = futures::join!(op.stat(&key), op.read(&key));
                    let meta = meta.unwrap();
                    let object = Object {
                        md5: md5_hex(&body.unwrap().to_vec()),
                        content_type: meta.content_type().map(str::to_string),
                        cache_control: meta.cache_control().map(str::to_string),
                    };
                    (key, object)
                }
            })
            .buffer_unordered(16)
            .collect()
            .await
    })
}

/// An S3 client of the test's own (not shopgen's) for the bucket on `port`.
fn s3_client(port: u16, key_id: &str, secret: &str) -> Operator {
    Operator::new(
        services::S3::default()
            .bucket(BUCKET)
            .endpoint(&format!("http://127.0.0.1:{port}"))
            .region("us-east-1")
            .access_key_id(key_id)
            .secret_access_key(secret)
            .disable_config_load()
            .disable_ec2_metadata()
            .checksum_algorithm("md5"),
    )
    .unwrap()
}

/// The answer to an upload the gate refuses.
fn refused(mode: &str) -> http::Response<s3s::Body> {
    let mut resp = http::Response::new(s3s::Body::from(format!(
        "<Error><Code>ServiceUnavailable</Code><Message>{mode}</Message></Error>"
    )));
    *resp.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
    resp
}

/// s3s-fs serving a folder on 127.0.0.1, with SigV4 authentication on.
pub struct S3Server {
    pub port: u16,
    pub dir: tempfile::TempDir,
    gate: Arc<Gate>,
    _runtime: tokio::runtime::Runtime,
    prefix: String,
}

impl S3Server {
    pub fn start(prefix: &str) -> S3Server {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(BUCKET)).unwrap();
        let fs = s3s_fs::FileSystem::new(dir.path()).unwrap();
        let mut b = s3s::service::S3ServiceBuilder::new(fs);
        b.set_auth(s3s::auth::SimpleAuth::from_single(KEY_ID, SECRET));
        let gate = Arc::new(Gate::default());
        let service = GatedService {
            inner: b.build(),
            gate: gate.clone(),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        runtime.spawn(async move {
            let http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                let conn = http
                    .serve_connection(TokioIo::new(socket), service.clone())
                    .into_owned();
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        });
        S3Server {
            port,
            dir,
            gate,
            _runtime: runtime,
            prefix: prefix.to_string(),
        }
    }

    fn client(&self) -> Operator {
        s3_client(self.port, KEY_ID, SECRET)
    }
}

impl Target for S3Server {
    fn deploy_yaml(&self) -> String {
        format!(
            "deploy:\n  provider: s3\n  bucket: {BUCKET}\n  region: us-east-1\n  endpoint: http://127.0.0.1:{}\n  path_style: true\n  prefix: {}\n",
            self.port, self.prefix
        )
    }
    fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID".into(), KEY_ID.into()),
            ("AWS_SECRET_ACCESS_KEY".into(), SECRET.into()),
        ]
    }
    fn objects(&self) -> BTreeMap<String, Object> {
        s3_objects(&self.client())
    }
    fn puts(&self) -> usize {
        self.gate.puts.load(Ordering::SeqCst)
    }
    fn uploads_without_content_md5(&self) -> usize {
        self.gate.without_md5.load(Ordering::SeqCst)
    }
    fn hold_after(&self, n: usize) {
        self.gate.set_mode("hold", n)
    }
    fn fail_after(&self, n: usize) {
        self.gate.set_mode("fail", n)
    }
    fn release(&self) {
        self.gate.release()
    }
    fn seed(&self, key: &str, body: &[u8]) {
        let op = self.client();
        rt().block_on(op.write(key, body.to_vec())).unwrap();
    }
    fn prefix(&self) -> &str {
        &self.prefix
    }
}

// ---------------------------------------------------------------- OSS (tests/oss_fake.py)

/// Options of the fake OSS endpoint.
#[derive(Default, Clone)]
pub struct OssOptions {
    pub v1: bool,
    pub path_style: bool,
    pub security_token: bool,
    pub baidu_token: Option<String>,
    pub prefix: String,
    /// The region the endpoint expects in V4 signatures (default cn-hangzhou).
    pub region: Option<String>,
}

/// The test-only OSS endpoint, a Python process that checks signatures with `oss2`.
pub struct OssServer {
    pub port: u16,
    child: Child,
    opts: OssOptions,
    stderr: Arc<Mutex<String>>,
}

impl OssServer {
    pub fn start(opts: OssOptions) -> OssServer {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oss_fake.py");
        let mut cmd = Command::new("python3");
        cmd.arg(&script)
            .args(["--bucket", BUCKET, "--region"])
            .arg(opts.region.as_deref().unwrap_or("cn-hangzhou"))
            .args(["--access-key-id", KEY_ID, "--access-key-secret", SECRET]);
        if opts.v1 {
            cmd.args(["--signature", "v1"]);
        }
        if opts.path_style {
            cmd.arg("--path-style");
        }
        if opts.security_token {
            cmd.args(["--security-token", TOKEN]);
        }
        if let Some(t) = &opts.baidu_token {
            cmd.args(["--baidu-token", t]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect(
                "python3 must be installed (with `pip install oss2`) to run the OSS deploy tests",
            );
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = String::new();
            let _ = std::io::Read::read_to_string(&mut err, &mut buf);
            sink.lock().unwrap().push_str(&buf);
        });
        let port = match line.trim().strip_prefix("PORT ") {
            Some(p) => p.parse().unwrap(),
            None => {
                let _ = child.wait();
                panic!(
                    "the fake OSS endpoint did not start (is the `oss2` package installed? pip install oss2): {}",
                    stderr.lock().unwrap()
                );
            }
        };
        OssServer {
            port,
            child,
            opts,
            stderr,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The fake's state: objects, website configuration, counters, Baidu pushes.
    pub fn state(&self) -> serde_json::Value {
        let (status, body) = http("GET", &format!("{}/__control/state", self.url()));
        assert_eq!(status, 200);
        serde_json::from_slice(&body).unwrap()
    }

    pub fn signature_failures(&self) -> u64 {
        self.state()["signature_failures"].as_u64().unwrap()
    }

    pub fn requests(&self) -> u64 {
        self.state()["requests"].as_u64().unwrap()
    }

    /// What the fake printed about rejected requests.
    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for OssServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Target for OssServer {
    fn deploy_yaml(&self) -> String {
        let mut y = format!(
            "deploy:\n  provider: oss\n  bucket: {BUCKET}\n  region: oss-cn-hangzhou\n  endpoint: {}\n  prefix: \"{}\"\n",
            self.url(),
            self.opts.prefix
        );
        if self.opts.v1 {
            y.push_str("  signature: v1\n");
        }
        if self.opts.path_style {
            y.push_str("  path_style: true\n");
        }
        if self.opts.baidu_token.is_some() {
            y.push_str(&format!(
                "  baidu_push:\n    site: https://www.shanchuan.example.cn\n    endpoint: {}/__baidu/urls\n",
                self.url()
            ));
        }
        y
    }
    fn env(&self) -> Vec<(String, String)> {
        let mut v = vec![
            ("OSS_ACCESS_KEY_ID".to_string(), KEY_ID.to_string()),
            ("OSS_ACCESS_KEY_SECRET".to_string(), SECRET.to_string()),
        ];
        if self.opts.security_token {
            v.push(("OSS_SECURITY_TOKEN".into(), TOKEN.into()));
        }
        if let Some(t) = &self.opts.baidu_token {
            v.push(("BAIDU_PUSH_TOKEN".into(), t.clone()));
        }
        v
    }
    fn objects(&self) -> BTreeMap<String, Object> {
        let state = self.state();
        state["objects"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, o)| {
                let s = |f: &str| o[f].as_str().map(str::to_string);
                (
                    k.clone(),
                    Object {
                        md5: s("md5").unwrap(),
                        content_type: s("content_type"),
                        cache_control: s("cache_control"),
                    },
                )
            })
            .collect()
    }
    fn puts(&self) -> usize {
        self.state()["puts"].as_u64().unwrap() as usize
    }
    fn uploads_without_content_md5(&self) -> usize {
        self.state()["md5_failures"].as_u64().unwrap() as usize
    }
    fn hold_after(&self, n: usize) {
        assert_eq!(
            http("POST", &format!("{}/__control/hold?after={n}", self.url())).0,
            200
        );
    }
    fn fail_after(&self, n: usize) {
        assert_eq!(
            http("POST", &format!("{}/__control/fail?after={n}", self.url())).0,
            200
        );
    }
    fn release(&self) {
        assert_eq!(
            http("POST", &format!("{}/__control/release", self.url())).0,
            200
        );
    }
    fn seed(&self, _key: &str, _body: &[u8]) {
        unimplemented!("the OSS scenario deploys at the bucket root")
    }
    fn prefix(&self) -> &str {
        &self.opts.prefix
    }
}

/// A plain request to a test server: (status, body).
pub fn http(method: &str, url: &str) -> (u16, Vec<u8>) {
    let req = http::Request::builder()
        .method(method)
        .uri(url)
        .header("content-length", "0")
        .body(Buffer::new())
        .unwrap();
    let resp = rt().block_on(HttpTransporter::default().send(req)).unwrap();
    (resp.status().as_u16(), resp.into_body().to_vec())
}

// ---------------------------------------------------------------- a local folder

pub struct Folder {
    pub dir: tempfile::TempDir,
    prefix: String,
}

impl Folder {
    pub fn new(prefix: &str) -> Folder {
        Folder {
            dir: tempfile::tempdir().unwrap(),
            prefix: prefix.to_string(),
        }
    }
    fn root(&self) -> PathBuf {
        self.dir.path().join("www")
    }
}

impl Target for Folder {
    fn deploy_yaml(&self) -> String {
        format!(
            "deploy:\n  provider: fs\n  root: {}\n  prefix: {}\n",
            self.root().display(),
            self.prefix
        )
    }
    fn env(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    fn objects(&self) -> BTreeMap<String, Object> {
        let root = self.root();
        walkdir::WalkDir::new(&root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let key = e
                    .path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .replace('\\', "/");
                let body = std::fs::read(e.path()).unwrap();
                (
                    key,
                    Object {
                        md5: md5_hex(&body),
                        content_type: None,
                        cache_control: None,
                    },
                )
            })
            .filter(|(k, _)| !k.contains(".shopgen/tmp/"))
            .collect()
    }
    fn puts(&self) -> usize {
        unimplemented!("a folder counts no uploads")
    }
    fn hold_after(&self, _n: usize) {
        unimplemented!()
    }
    fn fail_after(&self, _n: usize) {
        unimplemented!()
    }
    fn release(&self) {}
    fn seed(&self, key: &str, body: &[u8]) {
        let p = self.root().join(key);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    fn prefix(&self) -> &str {
        &self.prefix
    }
    fn has_headers(&self) -> bool {
        false
    }
}

/// Wait until `cond` holds, or fail after `secs`.
pub fn wait_for(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
