//! moto's S3 server (a server no one here wrote), started by `tests/moto_s3.py` with
//! signature checking on, behind a small proxy in the test that counts, holds or refuses
//! uploads the way the in-process S3 server's gate does.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use hyper::body::Incoming;
use hyper::service::Service;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};

use super::{BUCKET, Gate, Object, Target, refused, s3_client, s3_objects};

/// Forwards every request to moto unchanged (its `Host` header too, which the signature
/// covers), through the gate.
#[derive(Clone)]
struct Proxy {
    client: Client<HttpConnector, Incoming>,
    upstream: u16,
    gate: Arc<Gate>,
}

impl Service<http::Request<Incoming>> for Proxy {
    type Response = http::Response<s3s::Body>;
    type Error = hyper_util::client::legacy::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
    >;

    fn call(&self, req: http::Request<Incoming>) -> Self::Future {
        let is_put = self.gate.on_request(&req);
        let this = self.clone();
        Box::pin(async move {
            if let Some(mode) = this.gate.blocked(is_put).await {
                return Ok(refused(mode));
            }
            let (mut parts, body) = req.into_parts();
            let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            parts.uri = format!("http://127.0.0.1:{}{path}", this.upstream)
                .parse()
                .unwrap();
            let resp = this
                .client
                .request(http::Request::from_parts(parts, body))
                .await?;
            this.gate.after(is_put, resp.status());
            Ok(resp.map(s3s::Body::from))
        })
    }
}

pub struct MotoServer {
    /// The proxy's port, which shopgen deploys to.
    pub port: u16,
    moto_port: u16,
    pub key_id: String,
    pub secret: String,
    gate: Arc<Gate>,
    prefix: String,
    child: Child,
    /// Closing it stops moto.
    _stdin: ChildStdin,
    _runtime: tokio::runtime::Runtime,
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl MotoServer {
    pub fn start(prefix: &str) -> MotoServer {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/moto_s3.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .arg(BUCKET)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with `pip install 'moto[server]'` runs the moto deploy tests");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let info: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| {
            panic!("tests/moto_s3.py did not start (is `moto[server]` installed?): {e}: {line:?}")
        });
        let moto_port = info["port"].as_u64().unwrap() as u16;
        let gate = Arc::new(Gate::default());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let proxy = Proxy {
            client: Client::builder(TokioExecutor::new()).build_http(),
            upstream: moto_port,
            gate: gate.clone(),
        };
        runtime.spawn(async move {
            let http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                let conn = http
                    .serve_connection(TokioIo::new(socket), proxy.clone())
                    .into_owned();
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        });
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.flush();
        MotoServer {
            port,
            moto_port,
            key_id: info["key_id"].as_str().unwrap().to_string(),
            secret: info["secret"].as_str().unwrap().to_string(),
            gate,
            prefix: prefix.to_string(),
            child,
            _stdin: stdin,
            _runtime: runtime,
        }
    }
}

impl Target for MotoServer {
    fn deploy_yaml(&self) -> String {
        format!(
            "deploy:\n  provider: s3\n  bucket: {BUCKET}\n  region: us-east-1\n  endpoint: http://127.0.0.1:{}\n  path_style: true\n  prefix: {}\n",
            self.port, self.prefix
        )
    }
    fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID".into(), self.key_id.clone()),
            ("AWS_SECRET_ACCESS_KEY".into(), self.secret.clone()),
        ]
    }
    fn objects(&self) -> BTreeMap<String, Object> {
        s3_objects(&s3_client(self.moto_port, &self.key_id, &self.secret))
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
        let op = s3_client(self.moto_port, &self.key_id, &self.secret);
        super::rt().block_on(op.write(key, body.to_vec())).unwrap();
    }
    fn prefix(&self) -> &str {
        &self.prefix
    }
}
