//! The browser harness: chromedriver + Debian's chromium driven with fantoccini, the WebDriver
//! calls fantoccini does not wrap (logs, DevTools), and a small static server for the built site.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde::Deserialize;
use serde_json::{Value as Json, json};

use crate::common::shopgen;

pub async fn run_script<T: for<'de> Deserialize<'de>>(
    client: &Client,
    js: &str,
) -> Result<T, String> {
    let v = client
        .execute(js, vec![])
        .await
        .map_err(|e| format!("page script: {e}"))?;
    serde_json::from_value(v).map_err(|e| format!("page script result: {e}"))
}

pub async fn run_async_script<T: for<'de> Deserialize<'de>>(
    client: &Client,
    js: &str,
) -> Result<T, String> {
    let v = client
        .execute_async(js, vec![])
        .await
        .map_err(|e| format!("page script: {e}"))?;
    serde_json::from_value(v).map_err(|e| format!("page script result: {e}"))
}

/// `http://127.0.0.1:PORT/...` of this site, or a URL that never leaves the page.
pub fn same_origin(u: &str, origin: &str) -> bool {
    let local = ["data:", "blob:", "about:blank", "about:srcdoc"];
    local.iter().any(|p| u.starts_with(p))
        || u == origin
        || u.strip_prefix(origin)
            .is_some_and(|rest| rest.starts_with(['/', '?', '#']))
}

/// A chromedriver endpoint under the session that fantoccini does not wrap:
/// `se/log` (the browser and performance logs) and `goog/cdp/execute`.
#[derive(Debug)]
pub struct SessionPost {
    pub path: &'static str,
    pub body: Json,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Reads (and empties) one of chromedriver's logs.
pub async fn read_log(client: &Client, kind: &str) -> Result<Vec<Json>, String> {
    let v = client
        .issue_cmd(SessionPost {
            path: "se/log",
            body: json!({ "type": kind }),
        })
        .await
        .map_err(|e| format!("reading the {kind} log: {e}"))?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

/// Runs a Chrome DevTools Protocol command through chromedriver.
pub async fn cdp(client: &Client, cmd: &str, params: Json) -> Result<Json, String> {
    client
        .issue_cmd(SessionPost {
            path: "goog/cdp/execute",
            body: json!({ "cmd": cmd, "params": params }),
        })
        .await
        .map_err(|e| format!("{cmd}: {e}"))
}

/// Emulate a screen: `width`×`height` CSS pixels at `dpr` device pixels each, as a phone
/// (touch, mobile viewport) or a desktop window.
pub async fn viewport(
    client: &Client,
    (width, height, dpr, mobile): (u32, u32, f64, bool),
) -> Result<(), String> {
    cdp(
        client,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": dpr, "mobile": mobile }),
    )
    .await
    .map(|_| ())
}

pub fn screenshot_dir() -> PathBuf {
    match std::env::var_os("SHOPGEN_SCREENSHOTS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        // CARGO_TARGET_TMPDIR is <target>/tmp.
        _ => Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .unwrap_or(Path::new(env!("CARGO_TARGET_TMPDIR")))
            .join("screenshots"),
    }
}

/// The browser and its driver, found on PATH.
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Tools {
    pub fn find() -> Tools {
        let find = |names: &[&str]| {
            let path = std::env::var_os("PATH").unwrap_or_default();
            std::env::split_paths(&path)
                .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
                .find(|p| p.is_file())
        };
        let chromium = find(&["chromium", "chromium-browser"]);
        let chromedriver = find(&["chromedriver"]);
        match (chromium, chromedriver) {
            (Some(chromium), Some(chromedriver)) => Tools {
                chromium,
                chromedriver,
            },
            (chromium, chromedriver) => panic!(
                "the browser test needs Chromium and ChromeDriver on PATH (chromium: {}, chromedriver: {}). \
                 `.ci/run` installs them; by hand: apt-get update && apt-get install -y chromium chromium-driver",
                chromium.map_or("missing".into(), |p| p.display().to_string()),
                chromedriver.map_or("missing".into(), |p| p.display().to_string()),
            ),
        }
    }
}

/// A chromedriver process on a free 127.0.0.1 port, killed on drop.
pub struct ChromeDriver {
    pub child: Child,
    pub port: u16,
    pub log: tempfile::NamedTempFile,
}

impl ChromeDriver {
    pub fn start(tools: &Tools) -> ChromeDriver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.path().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", tools.chromedriver.display()));
        let mut driver = ChromeDriver { child, port, log };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited ({status}):\n{}", driver.log_tail());
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen on 127.0.0.1:{port}:\n{}",
                driver.log_tail()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.log.path()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// A new browser session: headless Chromium that can reach 127.0.0.1 only.
    pub async fn session(&self, tools: &Tools, profile: &Path) -> Client {
        let caps = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": { "pageLoad": 30_000, "script": 20_000, "implicit": 0 },
            "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" },
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--hide-scrollbars",
                    "--window-size=1280,800",
                    format!("--user-data-dir={}", profile.display()),
                    // Every host name fails to resolve except 127.0.0.1: the pages can reach
                    // nothing but the test's own servers.
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                ],
                "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false },
            },
        });
        let Json::Object(caps) = caps else {
            unreachable!()
        };
        let caps: Capabilities = caps;
        let connect = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await;
        let client = connect.unwrap_or_else(|e| {
            panic!(
                "chromedriver could not start Chromium ({}): {e}\n{}",
                tools.chromium.display(),
                self.log_tail()
            )
        });
        // Whatever the start page loaded is not part of any shop page.
        let _ = client.goto("about:blank").await;
        let _ = read_log(&client, "performance").await;
        let _ = read_log(&client, "browser").await;
        client
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A built site served on its own 127.0.0.1 port.
pub struct Site {
    pub name: &'static str,
    pub origin: String,
    pub pages: Vec<(&'static str, &'static str)>,
    /// A mainland site (ICP link visible) or a Hong Kong one (no ICP link).
    pub icp: bool,
    pub _server: StaticServer,
    pub _out: tempfile::TempDir,
}

impl Site {
    pub fn build(
        name: &'static str,
        src: &Path,
        pages: &[(&'static str, &'static str)],
        icp: bool,
    ) -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let origin = format!("http://{addr}");
        let out = tempfile::tempdir().unwrap();
        let public = out.path().join("public");
        shopgen(&[
            "build",
            src.to_str().unwrap(),
            "--output",
            public.to_str().unwrap(),
            "--base-url",
            &format!("{origin}/"),
        ])
        .assert_ok();
        Site {
            name,
            origin,
            pages: pages.to_vec(),
            icp,
            _server: StaticServer::start(listener, public),
            _out: out,
        }
    }
}

/// A static file server for one folder: `dir/` serves `dir/index.html`, a missing file gets
/// the site's `404.html` with status 404. One thread per connection, `Connection: close`.
pub struct StaticServer {
    pub addr: SocketAddr,
    pub stop: Arc<AtomicBool>,
    pub thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(listener: TcpListener, root: PathBuf) -> StaticServer {
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let root = Arc::new(root);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                std::thread::spawn(move || {
                    let _ = serve_one(stream, &root);
                });
            }
        });
        StaticServer {
            addr,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn serve_one(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut file = root.to_path_buf();
    for seg in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if seg == ".." {
            file = root.join("-");
            break;
        }
        file.push(seg);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let (status, file) = match std::fs::read(&file) {
        Ok(body) => ("200 OK", Ok((body, file))),
        Err(_) => (
            "404 Not Found",
            std::fs::read(root.join("404.html")).map(|b| (b, root.join("404.html"))),
        ),
    };
    let (body, file) = file?;
    let content_type = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        _ => "application/octet-stream",
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}
