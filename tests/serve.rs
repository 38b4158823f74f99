//! `shopgen serve` end to end: the binary serves a temp copy of example-site on a free port;
//! the tests edit files and watch the pages and the live-reload channel. Every wait is bounded.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long to wait for the server or the watcher before failing.
const WAIT: Duration = Duration::from_secs(30);

/// A product of example-site, its URL and its price as shown.
const TOTE_FILE: &str = "content/products/真皮托特包.md";
const TOTE_URL: &str = "products/zhen-pi-tuo-te-bao/";

struct Server {
    child: Child,
    url: String,
    /// Holds `site/` (the copy of example-site) and `secret.txt` beside it, outside the site.
    dir: tempfile::TempDir,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Page {
    status: u16,
    content_type: String,
    location: String,
    body: String,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        copy_dir(&common::example_site(), &site);
        std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET-OUTSIDE-THE-SITE").unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_shopgen"))
            .args(["serve", site.to_str().unwrap(), "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run shopgen serve");
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            // Read to the end, so the server never writes to a closed pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let url = loop {
            let line = rx
                .recv_timeout(WAIT)
                .expect("shopgen serve printed no address");
            if let Some(i) = line.find("http://127.0.0.1:") {
                break line[i..].split_whitespace().next().unwrap().to_string();
            }
        };
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Server {
            child,
            url,
            dir,
            agent,
        }
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn get(&self, path: &str) -> Page {
        let res = self
            .agent
            .get(format!("{}{}", self.url, path.trim_start_matches('/')))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let (content_type, location) = (header("content-type"), header("location"));
        let status = res.status().as_u16();
        let body = res.into_body().read_to_string().unwrap();
        Page {
            status,
            content_type,
            location,
            body,
        }
    }

    /// Write a site file the way editors do: the new text appears at once (rename).
    fn write(&self, rel: &str, text: &str) {
        let path = self.site().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let tmp = path.with_file_name(".shopgen-test.tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.site().join(rel)).unwrap()
    }

    /// Poll `path` until `ok` holds for it.
    #[track_caller]
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Page) -> bool) -> Page {
        let start = Instant::now();
        loop {
            let page = self.get(path);
            if ok(&page) {
                return page;
            }
            assert!(
                start.elapsed() < WAIT,
                "{path}: {what} did not happen (status {})",
                page.status
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Subscribe to the live-reload channel (returns once subscribed).
    fn events(&self) -> Events {
        let res = self
            .agent
            .get(format!("{}__shopgen/events", self.url))
            .call()
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let ctype = res.headers().get("content-type").unwrap().to_str().unwrap();
        assert!(ctype.starts_with("text/event-stream"), "{ctype}");
        let mut reader = BufReader::new(res.into_body().into_reader());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut event, mut data) = (String::new(), String::new());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                let l = line.trim_end_matches(['\r', '\n']);
                if let Some(v) = l.strip_prefix("event:") {
                    event = v.trim().to_string();
                } else if let Some(v) = l.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                } else if l.is_empty() && !event.is_empty() {
                    let e = (std::mem::take(&mut event), std::mem::take(&mut data));
                    if tx.send(e).is_err() {
                        break;
                    }
                }
                line.clear();
            }
        });
        let events = Events { rx };
        events.expect("hello", |_| true);
        events
    }
}

struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    /// Wait for the next event named `name` whose data satisfies `ok`; other events are skipped.
    #[track_caller]
    fn expect(&self, name: &str, ok: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((event, data)) => {
                    let json: serde_json::Value = serde_json::from_str(&data)
                        .unwrap_or_else(|e| panic!("event {event}: bad JSON {data}: {e}"));
                    if event == name && ok(&json) {
                        return json;
                    }
                    seen.push(format!("{event} {data}"));
                }
                Err(_) => panic!("no `{name}` event; got: {seen:#?}"),
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A raw request, exactly as written (HTTP clients clean up `..` before sending).
fn raw_get(url: &str, target: &str) -> (u16, String) {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

#[test]
fn serves_pages_from_memory_with_the_right_types() {
    let srv = Server::start();
    let home = srv.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(home.body.contains("山川皮具"));
    assert!(
        home.body
            .contains("<script src=\"/__shopgen/livereload.js\"></script></body>"),
        "live-reload script before </body>"
    );
    // URLs point at the preview, not at the real shop.
    let sitemap = srv.get("/sitemap.xml");
    assert_eq!(sitemap.content_type, "text/xml; charset=utf-8");
    assert!(
        sitemap
            .body
            .contains(&format!("<loc>{}{TOTE_URL}</loc>", srv.url)),
        "the sitemap uses {}",
        srv.url
    );
    assert!(!sitemap.body.contains("__shopgen"));
    assert_eq!(
        srv.get("/robots.txt").content_type,
        "text/plain; charset=utf-8"
    );

    let css_href = home
        .body
        .split("href=\"")
        .map(|s| s.split('"').next().unwrap())
        .find(|h| h.starts_with("/assets/style.") && h.ends_with(".css"))
        .expect("a stylesheet link");
    let css = srv.get(css_href);
    assert_eq!(
        (css.status, css.content_type.as_str()),
        (200, "text/css; charset=utf-8")
    );
    let svg = srv.get("/images/logo.svg");
    assert_eq!(
        (svg.status, svg.content_type.as_str()),
        (200, "image/svg+xml; charset=utf-8")
    );
    let script = srv.get("/__shopgen/livereload.js");
    assert_eq!(script.content_type, "text/javascript; charset=utf-8");
    assert!(script.body.contains("EventSource"));

    let product = srv.get(TOTE_URL);
    assert_eq!(product.status, 200);
    assert!(product.body.contains("真皮托特包"));

    // The site's own 404 page, with status 404.
    let missing = srv.get("/products/no-such-thing/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.content_type, "text/html; charset=utf-8");
    assert_eq!(missing.body, srv.get("/404.html").body);
    // Folders without the slash redirect, as static hosting does.
    let about = srv.get("/about");
    assert_eq!((about.status, about.location.as_str()), (301, "/about/"));

    // `build` output carries no live-reload script.
    let out = srv.dir.path().join("public");
    common::shopgen(&[
        "build",
        srv.site().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
    .assert_ok();
    let built = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!built.contains("__shopgen"));
}

#[test]
fn an_edit_shows_up_and_a_bad_edit_keeps_the_last_good_page() {
    let srv = Server::start();
    let events = srv.events();
    let good = srv.read(TOTE_FILE);
    assert!(
        good.contains("\nprice: 1299\n"),
        "example product changed? {good}"
    );

    // A good edit: visible at the product's URL and a reload event.
    let edited = good
        .replace("\nprice: 1299\n", "\nprice: 1188\n")
        .replace("\ntitle: 真皮托特包\n", "\ntitle: 真皮托特包·新版\n");
    assert_ne!(edited, good);
    srv.write(TOTE_FILE, &edited);
    events.expect("reload", |_| true);
    srv.wait_for(TOTE_URL, "the new price", |p| p.body.contains("¥1,188.00"));
    // The listings that show it too.
    srv.wait_for(
        "/products/",
        "the new title and price in the listing",
        |p| p.body.contains("真皮托特包·新版") && p.body.contains(">1,188<"),
    );

    // A bad edit: the error (file and line) on the reload channel, the last good page stays.
    let broken = edited.replace("\nprice: 1188\n", "\nprice: [1188\n");
    srv.write(TOTE_FILE, &broken);
    let failed = events.expect("failed", |_| true);
    let err = &failed["errors"][0];
    assert_eq!(err["file"], TOTE_FILE, "{failed}");
    assert!(err["line"].as_u64().is_some_and(|l| l >= 2), "{failed}");
    assert!(!err["message"].as_str().unwrap().is_empty());
    let page = srv.get(TOTE_URL);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("¥1,188.00"),
        "the last good page is still served"
    );
    // A browser that connects now sees the error too.
    srv.events()
        .expect("failed", |e| e["errors"][0]["file"] == TOTE_FILE);

    // Fixing the file recovers.
    srv.write(
        TOTE_FILE,
        &edited.replace("\nprice: 1188\n", "\nprice: 1288\n"),
    );
    events.expect("reload", |_| true);
    srv.wait_for(TOTE_URL, "the fixed price", |p| {
        p.body.contains("¥1,288.00")
    });
}

#[test]
fn template_and_config_errors_are_reported_and_recover() {
    let srv = Server::start();
    let events = srv.events();

    // A broken template override: its file and line.
    srv.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ oops(\n{% endblock %}\n",
    );
    let failed = events.expect("failed", |_| true);
    let err = &failed["errors"][0];
    assert_eq!(err["file"], "templates/404.html", "{failed}");
    assert!(err["line"].as_u64().is_some(), "{failed}");
    assert_eq!(
        srv.get("/").status,
        200,
        "the last good site is still served"
    );
    srv.write("templates/404.html", "{% extends \"base.html\" %}\n{% block content %}<p id=\"own-404\">没有这个页面</p>{% endblock %}\n");
    events.expect("reload", |_| true);
    srv.wait_for("/nothing-here/", "the new 404 page", |p| {
        p.status == 404 && p.body.contains("own-404")
    });

    // An invalid ICP number in shop.yaml.
    let config = srv.read("shop.yaml");
    let bad = config
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("icp:") {
                "  icp: 京ICP备123号".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    srv.write("shop.yaml", &bad);
    let failed = events.expect("failed", |_| true);
    let err = &failed["errors"][0];
    assert_eq!(err["file"], "shop.yaml", "{failed}");
    assert_eq!(err["field"], "hosting.icp", "{failed}");
    assert!(err["line"].as_u64().is_some(), "{failed}");
    assert_eq!(srv.get(TOTE_URL).status, 200);
    srv.write(
        "shop.yaml",
        &config.replace("title: 山川皮具", "title: 山川皮具旗舰店"),
    );
    events.expect("reload", |_| true);
    srv.wait_for("/", "the new title", |p| p.body.contains("山川皮具旗舰店"));
}

#[test]
fn added_and_deleted_products() {
    let srv = Server::start();
    let events = srv.events();

    srv.write(
        "content/products/new-wallet.md",
        "---\ntitle: 新款零钱包\nprice: 99\ncategory: 钱包卡包\nweight: 1\n---\n新品。\n",
    );
    events.expect("reload", |_| true);
    let page = srv.wait_for("/products/new-wallet/", "the new product", |p| {
        p.status == 200
    });
    assert!(page.body.contains("新款零钱包"));
    assert!(srv.get("/products/").body.contains("/products/new-wallet/"));
    assert!(
        srv.get("/sitemap.xml")
            .body
            .contains("/products/new-wallet/")
    );

    std::fs::remove_file(srv.site().join(TOTE_FILE)).unwrap();
    events.expect("reload", |_| true);
    let gone = srv.wait_for(TOTE_URL, "the deleted product's 404", |p| p.status == 404);
    assert_eq!(gone.body, srv.get("/404.html").body);
    assert!(!srv.get("/products/").body.contains(TOTE_URL));
    assert!(!srv.get("/sitemap.xml").body.contains(TOTE_URL));
}

#[test]
fn a_css_change_swaps_the_stylesheet() {
    let srv = Server::start();
    let events = srv.events();
    let old = srv.get("/").body;
    srv.write("styles/home.css", ".shopgen-test-rule{color:#123456}\n");
    let css = events.expect("css", |_| true);
    let href = css["href"].as_str().unwrap().to_string();
    assert!(href.starts_with("/assets/style."), "{css}");
    assert!(!old.contains(&href), "a new bundle name");
    let sheet = srv.get(&href);
    assert_eq!(sheet.status, 200);
    assert!(sheet.body.contains(".shopgen-test-rule"), "{}", sheet.body);
    assert!(
        srv.get("/").body.contains(&href),
        "pages link the new bundle"
    );
}

#[test]
fn path_traversal_never_leaves_the_site() {
    let srv = Server::start();
    let secret = "TOP-SECRET-OUTSIDE-THE-SITE";
    let site_only = "base_url:"; // text of shop.yaml, which is in the site folder but not the site
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/products/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/shop.yaml",
        "/../site/shop.yaml",
        "/%2e%2e/site/shop.yaml",
        "/content/products/%E7%9C%9F%E7%9A%AE%E6%89%98%E7%89%B9%E5%8C%85.md",
        "/etc/passwd",
        "//etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e/secret.txt",
        "/a%00/index.html",
    ] {
        let (status, text) = raw_get(&srv.url, target);
        assert!(status == 400 || status == 404, "{target}: status {status}");
        assert!(
            !text.contains(secret),
            "{target} leaked a file outside the site"
        );
        assert!(!text.contains(site_only), "{target} leaked shop.yaml");
        assert!(!text.contains("root:x:0:0"), "{target} leaked /etc/passwd");
    }
    // An absolute path from the file system's root too.
    let abs = srv.dir.path().join("secret.txt");
    let (status, text) = raw_get(&srv.url, abs.to_str().unwrap());
    assert!(status == 400 || status == 404, "{status}");
    assert!(!text.contains(secret));
}

#[test]
fn editor_and_system_junk_is_never_served() {
    let srv = Server::start();
    // Junk first, then a real file: once the real file is served, the static folder has been
    // listed again after the junk appeared.
    for junk in [
        "static/.DS_Store",
        "static/images/Thumbs.db",
        "static/images/.tote.svg.swp",
        "static/.hidden/secret.txt",
    ] {
        srv.write(junk, "junk");
    }
    srv.write("static/images/new-file.txt", "real");
    srv.wait_for("/images/new-file.txt", "the new static file", |p| {
        p.status == 200 && p.body == "real"
    });
    for path in [
        "/.DS_Store",
        "/images/Thumbs.db",
        "/images/.tote.svg.swp",
        "/.hidden/secret.txt",
    ] {
        assert_eq!(srv.get(path).status, 404, "{path} was served");
    }
}

#[cfg(unix)]
#[test]
fn a_static_file_swapped_for_a_link_out_of_the_site_is_never_served() {
    let srv = Server::start();
    srv.write("static/images/swap.txt", "real");
    srv.wait_for("/images/swap.txt", "the static file", |p| {
        p.status == 200 && p.body == "real"
    });
    let path = srv.site().join("static/images/swap.txt");
    let link = srv.site().join("static/images/.swap.tmp");
    std::os::unix::fs::symlink(srv.dir.path().join("secret.txt"), &link).unwrap();
    std::fs::rename(&link, &path).unwrap();
    // From the moment of the swap (before and after the watcher has seen it), never the secret.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        let page = srv.get("/images/swap.txt");
        assert!(
            !page.body.contains("TOP-SECRET"),
            "a file outside the site was served"
        );
    }
    srv.wait_for("/images/swap.txt", "the link to be left out", |p| {
        p.status == 404
    });
}
