//! End-to-end deploys of the example shop to servers the tests start on 127.0.0.1: an
//! S3-protocol server (s3s-fs), the test-only OSS endpoint that checks every signature with
//! Aliyun's `oss2` SDK (tests/oss_fake.py), and a local folder.

mod common;
mod servers;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{Run, example_site};
use servers::moto::MotoServer;
use servers::{Folder, OssOptions, OssServer, S3Server, Target};

const BAIDU_TOKEN: &str = "bdTOKENshopgenTEST0004";

/// A copy of the example shop whose `deploy:` block points at a test server.
struct Shop {
    dir: tempfile::TempDir,
}

impl Shop {
    fn new(deploy_yaml: &str) -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let src = example_site();
        for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let rel = e.path().strip_prefix(&src).unwrap();
            if rel.starts_with("public") {
                continue;
            }
            let to = dir.path().join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
        let shop = Shop { dir };
        shop.set_deploy(deploy_yaml);
        shop
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Replace the `deploy:` block of shop.yaml.
    fn set_deploy(&self, deploy_yaml: &str) {
        let path = self.root().join("shop.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        let mut skipping = false;
        for line in text.lines() {
            if line.starts_with("deploy:") {
                skipping = true;
                out.push_str(deploy_yaml);
                continue;
            }
            if skipping && (line.starts_with(' ') || line.is_empty()) {
                continue;
            }
            skipping = false;
            out.push_str(line);
            out.push('\n');
        }
        std::fs::write(&path, out).unwrap();
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.root().join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }

    /// Build into a temp folder: relative path → contents.
    fn built(&self) -> BTreeMap<String, Vec<u8>> {
        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("public");
        common::shopgen(&[
            "build",
            self.root().to_str().unwrap(),
            "--output",
            dest.to_str().unwrap(),
        ])
        .assert_ok();
        common::snapshot(&dest)
            .into_iter()
            .map(|(p, b)| (p.to_str().unwrap().replace('\\', "/"), b))
            .collect()
    }

    fn command(&self, target: &dyn Target, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_shopgen"));
        cmd.arg("deploy").arg(self.root()).arg("--build").args(args);
        for v in [
            "OSS_ACCESS_KEY_ID",
            "OSS_ACCESS_KEY_SECRET",
            "OSS_SECURITY_TOKEN",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "BAIDU_PUSH_TOKEN",
        ] {
            cmd.env_remove(v);
        }
        cmd.envs(target.env()).stdin(Stdio::null());
        cmd
    }

    /// Run `shopgen deploy --build`; the output never shows a key.
    fn deploy(&self, target: &dyn Target, args: &[&str]) -> Run {
        let out = self.command(target, args).output().unwrap();
        let run = Run { out };
        assert_no_secrets(&run);
        run
    }

    fn spawn_deploy(&self, target: &dyn Target, args: &[&str]) -> Child {
        self.command(target, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }
}

#[track_caller]
fn assert_no_secrets(run: &Run) {
    for (name, text) in [("stdout", run.stdout()), ("stderr", run.stderr())] {
        for secret in [
            servers::KEY_ID,
            servers::SECRET,
            servers::TOKEN,
            BAIDU_TOKEN,
            "WRONGsecret",
        ] {
            assert!(!text.contains(secret), "{name} shows a key:\n{text}");
        }
    }
}

#[track_caller]
fn assert_ok(run: &Run) -> &Run {
    assert!(
        run.ok(),
        "deploy failed:\nstdout:\n{}\nstderr:\n{}",
        run.stdout(),
        run.stderr()
    );
    run
}

/// "uploaded N file(s)" from the summary.
#[track_caller]
fn uploaded(run: &Run) -> usize {
    let out = run.stdout();
    out.split("uploaded ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary in:\n{out}"))
}

/// The files a dry run lists (`+`, `~` or `-`).
fn planned(run: &Run, mark: char) -> BTreeSet<String> {
    run.stdout()
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("  {mark} ")))
        .map(|l| l.split(" (").next().unwrap().to_string())
        .collect()
}

fn key(prefix: &str, rel: &str) -> String {
    if prefix.is_empty() {
        rel.to_string()
    } else {
        format!("{prefix}/{rel}")
    }
}

/// The objects below the prefix (without shopgen's manifest), by relative path → MD5.
fn deployed(target: &dyn Target) -> BTreeMap<String, String> {
    let prefix = target.prefix();
    let inside = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };
    target
        .objects()
        .into_iter()
        .filter_map(|(k, o)| k.strip_prefix(&inside).map(|r| (r.to_string(), o.md5)))
        .filter(|(r, _)| !r.starts_with(".shopgen/"))
        .collect()
}

fn md5s(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(k, v)| (k.clone(), servers::md5_hex(v)))
        .collect()
}

fn changed(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    b.iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Every local link of every page in the bucket (a file, or a folder's index.html) that the
/// site really has is in the bucket: a visitor never follows a link to a missing file.
#[track_caller]
fn assert_consistent(target: &dyn Target, versions: &[&BTreeMap<String, Vec<u8>>]) {
    let stored = deployed(target);
    let by_md5: BTreeMap<String, &Vec<u8>> = versions
        .iter()
        .flat_map(|v| v.iter())
        .map(|(_, b)| (servers::md5_hex(b), b))
        .collect();
    let known: BTreeSet<&String> = versions.iter().flat_map(|v| v.keys()).collect();
    for (path, md5) in &stored {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(by_md5.get(md5).expect("a stored page from a build"));
        for link in html
            .split('"')
            .filter(|s| s.starts_with('/') && !s.starts_with("//"))
        {
            let link = link
                .split(['?', '#'])
                .next()
                .unwrap()
                .trim_start_matches('/');
            let file = if link.is_empty() || link.ends_with('/') {
                format!("{link}index.html")
            } else {
                link.to_string()
            };
            if known.contains(&file) {
                assert!(
                    stored.contains_key(&file),
                    "{path} links to /{link}, which is not in the bucket"
                );
            }
        }
    }
}

/// First deploy, no-change deploy, an edited product, a removed product with --delete:
/// the same story on every target.
fn full_cycle(target: &dyn Target) {
    let counts = target.has_headers();
    let prefix = target.prefix().to_string();
    let shop = Shop::new(&target.deploy_yaml());
    if !prefix.is_empty() {
        target.seed("outside/keep.txt", b"not the shop's");
        target.seed("keep-root.txt", b"not the shop's either");
    }

    // 1. The first deploy uploads everything, with the right headers.
    let v1 = shop.built();
    let run = shop.deploy(target, &[]);
    assert_ok(&run);
    assert_eq!(uploaded(&run), v1.len());
    assert_eq!(deployed(target), md5s(&v1));
    if counts {
        let objects = target.objects();
        let obj = |rel: &str| {
            objects
                .get(&key(&prefix, rel))
                .unwrap_or_else(|| panic!("{rel} stored"))
        };
        let css = v1.keys().find(|k| k.starts_with("assets/style.")).unwrap();
        for (rel, ct, cc) in [
            ("index.html", "text/html; charset=utf-8", "no-cache"),
            (
                "products/bifold-wallet/index.html",
                "text/html; charset=utf-8",
                "no-cache",
            ),
            ("404.html", "text/html; charset=utf-8", "no-cache"),
            ("sitemap.xml", "text/xml; charset=utf-8", "no-cache"),
            ("robots.txt", "text/plain; charset=utf-8", "no-cache"),
            (
                css.as_str(),
                "text/css; charset=utf-8",
                "public, max-age=31536000, immutable",
            ),
            (
                "images/logo.svg",
                "image/svg+xml; charset=utf-8",
                "public, max-age=3600",
            ),
        ] {
            let o = obj(rel);
            assert_eq!(o.content_type.as_deref(), Some(ct), "{rel}");
            assert_eq!(o.cache_control.as_deref(), Some(cc), "{rel}");
        }
        // Every object of the site has a Content-Type.
        for rel in v1.keys() {
            assert!(obj(rel).content_type.is_some(), "{rel}");
        }
    }
    let puts = |t: &dyn Target| if counts { t.puts() } else { 0 };

    // 2. Nothing changed: nothing is uploaded (not even the manifest).
    let before = puts(target);
    let run = shop.deploy(target, &[]);
    assert_ok(&run);
    assert_eq!(uploaded(&run), 0, "{}", run.stdout());
    assert_eq!(puts(target), before);

    // 3. One product's price changes: a dry run lists exactly the changed files and changes
    //    nothing; the deploy uploads exactly those.
    shop.edit(
        "content/products/bifold-wallet.md",
        "price: 399",
        "price: 429",
    );
    let v2 = shop.built();
    let diff = changed(&v1, &v2);
    assert!(diff.contains("products/bifold-wallet/index.html"));
    assert!(
        diff.len() < v2.len() / 2,
        "an edit changes a few files, not all: {diff:?}"
    );
    // The search files that changed have new (fingerprinted) names; every other file keeps its.
    let added: BTreeSet<String> = v2
        .keys()
        .filter(|k| !v1.contains_key(*k))
        .cloned()
        .collect();
    assert!(
        added.iter().all(|k| k.starts_with("assets/search/")),
        "{added:?}"
    );
    let run = shop.deploy(target, &["--dry-run"]);
    assert_ok(&run);
    assert_eq!(planned(&run, '~'), &diff - &added);
    assert_eq!(planned(&run, '+'), added);
    assert!(run.stdout().contains("dry run: nothing was changed"));
    assert_eq!(deployed(target), md5s(&v1), "a dry run changes nothing");
    assert_eq!(puts(target), before);
    let run = shop.deploy(target, &[]);
    assert_ok(&run);
    assert_eq!(uploaded(&run), diff.len());
    if counts {
        assert_eq!(
            target.puts(),
            before + diff.len() + 1,
            "the changed files and the manifest"
        );
    }
    // The old search files stay until --delete (pages cached before the deploy may ask for them).
    let now = deployed(target);
    let v2_sums = md5s(&v2);
    for (k, sum) in &now {
        match v2_sums.get(k) {
            Some(want) => assert_eq!(sum, want, "{k}"),
            None => assert!(k.starts_with("assets/search/") && v1.contains_key(k), "{k}"),
        }
    }
    assert!(v2_sums.keys().all(|k| now.contains_key(k)));

    // 4. A product is removed. Without --delete its page stays; --delete without --yes and
    //    without a terminal refuses; --delete --yes removes exactly the vanished files.
    std::fs::remove_file(shop.root().join("content/products/key-holder.md")).unwrap();
    let v3 = shop.built();
    let vanished: BTreeSet<String> = deployed(target)
        .into_keys()
        .filter(|k| !v3.contains_key(k))
        .collect();
    assert!(
        vanished.contains("products/key-holder/index.html"),
        "{vanished:?}"
    );
    let run = shop.deploy(target, &[]);
    assert_ok(&run);
    assert!(run.stdout().contains("kept"), "{}", run.stdout());
    assert!(vanished.iter().all(|v| deployed(target).contains_key(v)));
    let run = shop.deploy(target, &["--delete", "--dry-run"]);
    assert_ok(&run);
    assert_eq!(planned(&run, '-'), vanished);
    let run = shop.deploy(target, &["--delete"]);
    assert!(!run.ok());
    assert!(run.stderr().contains("without --yes"), "{}", run.stderr());
    assert!(
        vanished.iter().all(|v| deployed(target).contains_key(v)),
        "nothing deleted"
    );
    let run = shop.deploy(target, &["--delete", "--yes"]);
    assert_ok(&run);
    assert!(
        run.stdout()
            .contains(&format!("deleted {}", vanished.len())),
        "{}",
        run.stdout()
    );
    assert_eq!(
        deployed(target),
        md5s(&v3),
        "the bucket is the site, file for file"
    );
    assert_eq!(
        target.uploads_without_content_md5(),
        0,
        "every upload sends Content-MD5"
    );
    if !prefix.is_empty() {
        let all = target.objects();
        assert!(
            all.contains_key("outside/keep.txt"),
            "outside the prefix: kept"
        );
        assert!(
            all.contains_key("keep-root.txt"),
            "outside the prefix: kept"
        );
        assert!(all.contains_key(&key(&prefix, ".shopgen/manifest.json")));
    }
}

/// A deploy interrupted mid-way (killed, or the server failing) leaves every page pointing at
/// files that are there, and a re-run converges to the site exactly.
fn interrupted(target: &dyn Target, kill: bool) {
    let shop = Shop::new(&target.deploy_yaml());
    let v1 = shop.built();
    assert_ok(&shop.deploy(target, &[]));

    // A new stylesheet: a new fingerprinted file, and every page points to it.
    let theme_css = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/meigong/styles/footer.css");
    let mut css = std::fs::read_to_string(theme_css).unwrap();
    css.push_str("\n.shopgen-deploy-test { color: #c00; }\n");
    std::fs::create_dir_all(shop.root().join("styles")).unwrap();
    std::fs::write(shop.root().join("styles/footer.css"), css).unwrap();
    let v2 = shop.built();
    let diff = changed(&v1, &v2);
    assert!(
        diff.len() > 20,
        "a new stylesheet changes every page: {}",
        diff.len()
    );

    let start = target.puts();
    if kill {
        target.hold_after(3);
        let mut child = shop.spawn_deploy(target, &["--jobs", "2"]);
        servers::wait_for(120, "three uploads", || target.puts() >= start + 3);
        child.kill().unwrap();
        let out = child.wait_with_output().unwrap();
        assert_no_secrets(&Run { out });
    } else {
        target.fail_after(3);
        let run = shop.deploy(target, &["--jobs", "2"]);
        assert!(!run.ok(), "the deploy reports the failure");
        assert!(
            run.stderr().contains("run the deploy again"),
            "{}",
            run.stderr()
        );
        assert!(
            run.stderr().contains("nothing was deleted"),
            "{}",
            run.stderr()
        );
    }
    target.release();
    let done = target.puts() - start;
    assert!(
        done >= 3 && done < diff.len(),
        "interrupted after {done} of {} uploads",
        diff.len()
    );
    assert_consistent(target, &[&v1, &v2]);

    let run = shop.deploy(target, &["--delete", "--yes"]);
    assert_ok(&run);
    let again = uploaded(&run);
    assert!(
        again <= diff.len() - 3,
        "the re-run uploads only what is missing ({again} of {}, {done} done before)",
        diff.len()
    );
    assert_eq!(
        deployed(target),
        md5s(&v2),
        "the bucket is the site, file for file"
    );
    assert_consistent(target, &[&v2]);
}

// ---------------------------------------------------------------- S3 protocol (s3s-fs)

#[test]
fn s3_deploy_uploads_only_changes_and_deletes_only_inside_the_prefix() {
    full_cycle(&S3Server::start("shop"));
}

#[test]
fn s3_deploy_killed_midway_converges() {
    interrupted(&S3Server::start("shop"), true);
}

#[test]
fn s3_deploy_after_server_errors_converges() {
    interrupted(&S3Server::start(""), false);
}

/// A deploy of the example shop to `target` with `var` set to a wrong secret: it fails.
fn with_wrong_secret(target: &dyn Target, var: &str) -> Run {
    let shop = Shop::new(&target.deploy_yaml());
    let mut cmd = shop.command(target, &[]);
    cmd.env(var, "WRONGsecretWRONGsecret");
    let run = Run {
        out: cmd.output().unwrap(),
    };
    assert!(!run.ok(), "a wrong secret was accepted");
    assert_no_secrets(&run);
    run
}

#[test]
fn s3_wrong_keys_fail_without_showing_them() {
    let server = S3Server::start("");
    let run = with_wrong_secret(&server, "AWS_SECRET_ACCESS_KEY");
    assert!(run.stderr().contains("help:"), "{}", run.stderr());
    assert!(deployed(&server).is_empty());

    let shop = Shop::new(&server.deploy_yaml());
    let mut cmd = shop.command(&server, &[]);
    cmd.env_remove("AWS_ACCESS_KEY_ID");
    let run = Run {
        out: cmd.output().unwrap(),
    };
    assert!(!run.ok());
    assert!(
        run.stderr().contains("AWS_ACCESS_KEY_ID is not set"),
        "{}",
        run.stderr()
    );
}

// ---------------------------------------------------------------- Aliyun OSS (oss2-checked)

#[test]
fn oss_deploy_with_v4_signatures_checked_by_the_sdk() {
    let server = OssServer::start(OssOptions::default());
    full_cycle(&server);
    assert_eq!(server.signature_failures(), 0, "{}", server.log());
    assert!(server.requests() > 100);
}

#[test]
fn oss_deploy_killed_midway_converges() {
    let server = OssServer::start(OssOptions::default());
    interrupted(&server, true);
    assert_eq!(server.signature_failures(), 0, "{}", server.log());
}

#[test]
fn oss_deploy_after_server_errors_converges() {
    let server = OssServer::start(OssOptions::default());
    interrupted(&server, false);
    assert_eq!(server.signature_failures(), 0, "{}", server.log());
}

#[test]
fn oss_signatures_are_really_checked() {
    let server = OssServer::start(OssOptions::default());
    let run = with_wrong_secret(&server, "OSS_ACCESS_KEY_SECRET");
    assert!(
        run.stderr().contains("SignatureDoesNotMatch"),
        "{}",
        run.stderr()
    );
    assert!(server.signature_failures() > 0);
    assert!(deployed(&server).is_empty());
}

#[test]
fn oss_path_style_and_security_token() {
    let server = OssServer::start(OssOptions {
        path_style: true,
        security_token: true,
        prefix: "shop".into(),
        ..Default::default()
    });
    let shop = Shop::new(&server.deploy_yaml());
    let v1 = shop.built();
    assert_ok(&shop.deploy(&server, &[]));
    assert_eq!(deployed(&server), md5s(&v1));
    assert_eq!(server.signature_failures(), 0, "{}", server.log());
}

#[test]
fn oss_v1_signature_is_opt_in() {
    let server = OssServer::start(OssOptions {
        v1: true,
        ..Default::default()
    });
    let shop = Shop::new(&server.deploy_yaml());
    let v1 = shop.built();
    assert_ok(&shop.deploy(&server, &[]));
    assert_eq!(deployed(&server), md5s(&v1));
    assert_eq!(server.signature_failures(), 0, "{}", server.log());
    // Without `signature: v1` the deploy signs V4, which this endpoint refuses.
    shop.set_deploy(&server.deploy_yaml().replace("  signature: v1\n", ""));
    let run = shop.deploy(&server, &[]);
    assert!(!run.ok());
    assert!(server.signature_failures() > 0);
}

#[test]
fn oss_configure_website() {
    let server = OssServer::start(OssOptions::default());
    let shop = Shop::new(&server.deploy_yaml());
    let run = shop.deploy(&server, &["--configure-website", "--dry-run"]);
    assert_ok(&run);
    assert!(
        run.stdout()
            .contains("website hosting: index index.html, error 404.html")
    );
    assert!(
        server.state()["website"].is_null(),
        "a dry run changes nothing"
    );
    let run = shop.deploy(&server, &["--configure-website"]);
    assert_ok(&run);
    assert!(
        run.stdout().contains("website hosting set"),
        "{}",
        run.stdout()
    );
    let xml: String = server.state()["website"]
        .as_str()
        .expect("website configuration stored")
        .split_whitespace()
        .collect();
    assert!(xml.contains(
        "<IndexDocument><Suffix>index.html</Suffix><SupportSubDir>true</SupportSubDir><Type>0</Type></IndexDocument>"
    ), "{xml}");
    assert!(
        xml.contains(
            "<ErrorDocument><Key>404.html</Key><HttpStatus>404</HttpStatus></ErrorDocument>"
        ),
        "{xml}"
    );
    assert_eq!(server.signature_failures(), 0, "{}", server.log());

    // Only OSS has it.
    let folder = Folder::new("");
    shop.set_deploy(&folder.deploy_yaml());
    let run = shop.deploy(&folder, &["--configure-website"]);
    assert!(!run.ok());
    assert!(
        run.stderr().contains("--configure-website"),
        "{}",
        run.stderr()
    );
}

#[test]
fn oss_baidu_push_sends_the_changed_pages() {
    let server = OssServer::start(OssOptions {
        baidu_token: Some(BAIDU_TOKEN.into()),
        ..Default::default()
    });
    let shop = Shop::new(&server.deploy_yaml());
    assert_ok(&shop.deploy(&server, &[]));
    assert!(
        server.state()["baidu"].as_array().unwrap().is_empty(),
        "only with --baidu-push"
    );

    let v1 = shop.built();
    shop.edit(
        "content/products/bifold-wallet.md",
        "price: 399",
        "price: 429",
    );
    let v2 = shop.built();
    let pages: BTreeSet<String> = changed(&v1, &v2)
        .into_iter()
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .map(|p| {
            let dir = p.trim_end_matches("index.html");
            format!("https://www.shanchuan.example.cn/{dir}")
        })
        .collect();
    assert!(pages.contains("https://www.shanchuan.example.cn/products/bifold-wallet/"));

    // The token is checked before anything is uploaded.
    let mut cmd = shop.command(&server, &["--baidu-push"]);
    cmd.env_remove("BAIDU_PUSH_TOKEN");
    let puts = server.puts();
    let run = Run {
        out: cmd.output().unwrap(),
    };
    assert!(!run.ok());
    assert!(
        run.stderr().contains("BAIDU_PUSH_TOKEN"),
        "{}",
        run.stderr()
    );
    assert_eq!(server.puts(), puts);

    let run = shop.deploy(&server, &["--baidu-push"]);
    assert_ok(&run);
    assert!(
        run.stdout().contains("Baidu push: HTTP 200: {\"remain\""),
        "{}",
        run.stdout()
    );
    let pushes = server.state()["baidu"].clone();
    assert_eq!(pushes.as_array().unwrap().len(), 1);
    assert_eq!(pushes[0]["site"], "https://www.shanchuan.example.cn");
    let sent: BTreeSet<String> = pushes[0]["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_string())
        .collect();
    assert_eq!(sent, pages);

    // A wrong token: Baidu's answer is shown, the token is not.
    let mut cmd = shop.command(&server, &["--baidu-push"]);
    cmd.env("BAIDU_PUSH_TOKEN", "WRONGsecretToken");
    shop.edit(
        "content/products/bifold-wallet.md",
        "price: 429",
        "price: 439",
    );
    let run = Run {
        out: cmd.output().unwrap(),
    };
    assert_no_secrets(&run);
    assert!(!run.ok());
    assert!(
        run.stderr().contains("token is not valid"),
        "{}",
        run.stderr()
    );
}

#[test]
fn region_mismatch_stops_before_any_request() {
    let server = OssServer::start(OssOptions::default());
    let shop = Shop::new(
        &server
            .deploy_yaml()
            .replace("oss-cn-hangzhou", "oss-cn-hongkong"),
    );
    let run = shop.deploy(&server, &[]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(err.contains("deploy.region"), "{err}");
    assert!(err.contains("Hong Kong"), "{err}");
    assert!(err.contains("nothing was deployed"), "{err}");
    assert_eq!(server.requests(), 0, "no request reached the bucket");
}

#[test]
fn hong_kong_bucket_signs_for_its_own_region() {
    let server = OssServer::start(OssOptions {
        region: Some("cn-hongkong".into()),
        ..Default::default()
    });
    let shop = Shop::new(
        &server
            .deploy_yaml()
            .replace("oss-cn-hangzhou", "oss-cn-hongkong"),
    );
    shop.edit("shop.yaml", "  region: mainland\n", "  region: hongkong\n");
    for field in ["  icp: ", "  gongan: ", "  licence: "] {
        let p = shop.root().join("shop.yaml");
        let text = std::fs::read_to_string(&p).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(field)).collect();
        std::fs::write(&p, kept.join("\n") + "\n").unwrap();
    }
    let v1 = shop.built();
    assert_ok(&shop.deploy(&server, &[]));
    assert_eq!(deployed(&server), md5s(&v1));
    assert_eq!(server.signature_failures(), 0, "{}", server.log());
}

// ---------------------------------------------------------------- a local folder

#[test]
fn fs_deploy_uploads_only_changes_and_deletes_only_inside_the_prefix() {
    full_cycle(&Folder::new("shop"));
}

#[test]
fn fs_dry_run_creates_nothing() {
    let folder = Folder::new("");
    let shop = Shop::new(&folder.deploy_yaml());
    let n = shop.built().len();
    let run = shop.deploy(&folder, &["--dry-run"]);
    assert_ok(&run);
    assert!(
        run.stdout().contains(&format!("upload {n} ({n} new")),
        "{}",
        run.stdout()
    );
    assert!(!folder.dir.path().join("www").exists());
}

#[test]
fn deploy_reads_public_without_build() {
    let folder = Folder::new("");
    let shop = Shop::new(&folder.deploy_yaml());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shopgen"));
    let run = Run {
        out: cmd.arg("deploy").arg(shop.root()).output().unwrap(),
    };
    assert!(!run.ok());
    assert!(run.stderr().contains("--build"), "{}", run.stderr());
    common::shopgen(&["build", shop.root().to_str().unwrap()]).assert_ok();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shopgen"));
    let run = Run {
        out: cmd.arg("deploy").arg(shop.root()).output().unwrap(),
    };
    assert_ok(&run);
    let public: PathBuf = shop.root().join("public");
    let local: BTreeMap<String, String> = common::snapshot(&public)
        .into_iter()
        .map(|(p, b)| (p.to_str().unwrap().replace('\\', "/"), servers::md5_hex(&b)))
        .collect();
    assert_eq!(deployed(&folder), local);
}

// ---------------------------------------------------------------- shop.yaml

#[test]
fn a_key_in_shop_yaml_is_an_error_that_does_not_repeat_it() {
    let shop = Shop::new(
        "deploy:\n  provider: oss\n  bucket: my-shop\n  region: oss-cn-hangzhou\n  access_key_secret: WRONGsecretInYaml\n",
    );
    let run = common::shopgen(&["build", shop.root().to_str().unwrap()]);
    assert!(!run.ok());
    assert_no_secrets(&run);
    let err = run.stderr();
    assert!(err.contains("access_key_secret"), "{err}");
    assert!(err.contains("looks like a credential"), "{err}");
    assert!(err.contains("OSS_ACCESS_KEY_SECRET"), "{err}");
}

#[test]
fn deploy_settings_are_checked() {
    for (yaml, field) in [
        (
            "deploy:\n  provider: oss\n  region: oss-cn-hangzhou\n",
            "deploy.bucket",
        ),
        (
            "deploy:\n  provider: oss\n  bucket: my-shop\n",
            "deploy.region",
        ),
        ("deploy:\n  provider: fs\n", "deploy.root"),
        (
            "deploy:\n  provider: s3\n  bucket: My_Shop\n",
            "deploy.bucket",
        ),
        (
            "deploy:\n  provider: s3\n  bucket: my-shop\n  signature: v1\n",
            "deploy.signature",
        ),
        (
            "deploy:\n  provider: s3\n  bucket: my-shop\n  prefix: ../up\n",
            "deploy.prefix",
        ),
        (
            "deploy:\n  provider: s3\n  bucket: my-shop\n  endpoint: s3.example.cn\n",
            "deploy.endpoint",
        ),
    ] {
        let shop = Shop::new(yaml);
        let run = common::shopgen(&["build", shop.root().to_str().unwrap()]);
        assert!(!run.ok(), "{yaml}");
        assert!(
            run.stderr().contains(&format!("field `{field}`")),
            "{yaml}\n{}",
            run.stderr()
        );
    }
}

// ---------------------------------------------------------------- OSS signatures, offline

/// Requests to the default endpoint (`<bucket>.oss-<region>.aliyuncs.com`, which no test can
/// reach) signed by shopgen and checked by Aliyun's SDK: V4 with and without a security
/// token, and the opt-in V1.
#[test]
fn signatures_for_the_default_endpoint_match_the_sdk() {
    use opendal::Buffer;
    use shopgen::config::Signature;
    use shopgen::deploy::oss::{Addressing, OssCredentials, OssSigner};
    let host = format!("https://{}.oss-cn-hangzhou.aliyuncs.com", servers::BUCKET);
    // (method, URL, headers, body)
    type Req<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, &'a [u8]);
    let requests: Vec<Req> = vec![
        (
            "PUT",
            format!("{host}/products/%E7%9C%9F%E7%9A%AE/index.html"),
            vec![
                ("content-type", "text/html; charset=utf-8"),
                ("cache-control", "no-cache"),
                ("content-length", "5"),
            ],
            b"hello",
        ),
        (
            "GET",
            format!("{host}/?list-type=2&prefix=shop%2F&max-keys=100"),
            vec![],
            b"",
        ),
        (
            "HEAD",
            format!("{host}/assets/style.0123456789.css"),
            vec![],
            b"",
        ),
        ("DELETE", format!("{host}/old/index.html"), vec![], b""),
        (
            "PUT",
            format!("{host}/?website"),
            vec![("content-type", "application/xml")],
            b"<WebsiteConfiguration/>",
        ),
    ];
    for (signature, token) in [
        (Signature::V4, None),
        (Signature::V4, Some(servers::TOKEN)),
        (Signature::V1, None),
    ] {
        let creds = OssCredentials {
            access_key_id: servers::KEY_ID.into(),
            access_key_secret: servers::SECRET.into(),
            security_token: token.map(str::to_string),
        };
        let signer = OssSigner::new(
            servers::BUCKET,
            "cn-hangzhou",
            signature,
            Addressing::Virtual,
            &creds,
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut lines = String::new();
        for (method, uri, headers, body) in &requests {
            let mut b = http::Request::builder().method(*method).uri(uri);
            for (k, v) in headers {
                b = b.header(*k, *v);
            }
            let (mut parts, ()) = b.body(()).unwrap().into_parts();
            rt.block_on(signer.sign(&mut parts, &Buffer::from(body.to_vec())))
                .unwrap();
            if !body.is_empty() {
                assert!(
                    parts.headers.contains_key("content-md5"),
                    "{method} {uri}: Content-MD5"
                );
            }
            let headers: serde_json::Map<String, serde_json::Value> = parts
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap().into()))
                .collect();
            let line = serde_json::json!({
                "method": method,
                "path": parts.uri.path(),
                "query": parts.uri.query().unwrap_or(""),
                "headers": headers,
            });
            lines.push_str(&format!("{line}\n"));
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oss_fake.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script)
            .args([
                "--verify",
                "--bucket",
                servers::BUCKET,
                "--region",
                "cn-hangzhou",
            ])
            .args([
                "--access-key-id",
                servers::KEY_ID,
                "--access-key-secret",
                servers::SECRET,
            ])
            .args([
                "--signature",
                if signature == Signature::V1 {
                    "v1"
                } else {
                    "v4"
                },
            ]);
        if let Some(t) = token {
            cmd.args(["--security-token", t]);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 with the oss2 package (pip install oss2)");
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), lines.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let verdicts = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            verdicts.lines().collect::<Vec<_>>(),
            vec!["ok"; requests.len()],
            "{signature:?} token {token:?}"
        );
    }
}

#[test]
fn ignored_files_in_public_are_never_deployed() {
    let folder = Folder::new("");
    let shop = Shop::new(&folder.deploy_yaml());
    common::shopgen(&["build", shop.root().to_str().unwrap()]).assert_ok();
    let public: PathBuf = shop.root().join("public");
    // What a file manager or an editor leaves in a folder someone opened.
    for junk in [
        ".DS_Store",
        "images/Thumbs.db",
        "products/.index.html.swp",
        "desktop.ini",
    ] {
        std::fs::write(public.join(junk), "junk").unwrap();
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shopgen"));
    let run = Run {
        out: cmd.arg("deploy").arg(shop.root()).output().unwrap(),
    };
    assert_ok(&run);
    let got = deployed(&folder);
    assert!(got.contains_key("index.html"), "{got:?}");
    for junk in [
        ".DS_Store",
        "images/Thumbs.db",
        "products/.index.html.swp",
        "desktop.ini",
    ] {
        assert!(!got.contains_key(junk), "{junk} was deployed");
    }
}

#[test]
fn deploy_build_takes_the_same_load_flags_as_build() {
    let folder = Folder::new("");
    let shop = Shop::new(&folder.deploy_yaml());
    shop.edit(
        "content/products/真皮托特包.md",
        "title: 真皮托特包",
        "title: 真皮托特包\ndraft: true",
    );
    let run = shop.deploy(&folder, &["--base-url", "https://preview.example.cn/"]);
    assert_ok(&run);
    let got = deployed(&folder);
    assert!(!got.contains_key("products/zhen-pi-tuo-te-bao/index.html"));
    let home = std::fs::read_to_string(folder.dir.path().join("www/index.html")).unwrap();
    assert!(
        home.contains("https://preview.example.cn/"),
        "--base-url was not used"
    );
    let run = shop.deploy(&folder, &["--drafts"]);
    assert_ok(&run);
    assert!(deployed(&folder).contains_key("products/zhen-pi-tuo-te-bao/index.html"));
}

// ---------------------------------------------------------------- bad networks

/// A server that accepts connections and never answers; it stops when dropped.
struct Silent {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Silent {
    fn start() -> Silent {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            let until = std::time::Instant::now() + std::time::Duration::from_secs(120);
            while !flag.load(std::sync::atomic::Ordering::Relaxed)
                && std::time::Instant::now() < until
            {
                if let Ok((s, _)) = listener.accept() {
                    held.push(s);
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        });
        Silent { port, stop }
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn an_endpoint_that_never_answers_fails_in_bounded_time_with_a_line_per_retry() {
    let silent = Silent::start();
    let shop = Shop::new(&format!(
        "deploy:\n  provider: s3\n  bucket: my-shop\n  endpoint: http://127.0.0.1:{}\n  path_style: true\n  request_timeout: 2\n  retries: 2\n",
        silent.port
    ));
    let start = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_shopgen"))
        .arg("deploy")
        .arg(shop.root())
        .arg("--build")
        .env("AWS_ACCESS_KEY_ID", "AKIDneveranswers")
        .env("AWS_SECRET_ACCESS_KEY", "SECRETneveranswers")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let took = start.elapsed();
    let run = Run { out };
    assert!(!run.ok());
    // Three tries of 2 s and the waits between them; far from a hang.
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
    let err = run.stderr();
    assert!(err.contains("retry 1/2 in"), "{err}");
    assert!(err.contains("retry 2/2 in"), "{err}");
    assert!(err.contains("help:"), "{err}");
    for line in err.lines() {
        assert!(
            !line.contains("SECRETneveranswers") && !line.contains("AKIDneveranswers"),
            "{line}"
        );
        assert!(
            line.len() < 400,
            "one line of cause, not a raw response: {line}"
        );
    }
}

#[test]
fn wrong_keys_give_one_line_of_cause_and_a_hint_not_raw_headers() {
    let server = OssServer::start(OssOptions::default());
    let run = with_wrong_secret(&server, "OSS_ACCESS_KEY_SECRET");
    let err = run.stderr();
    let error_lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(error_lines.len(), 1, "{err}");
    assert!(error_lines[0].contains("SignatureDoesNotMatch"), "{err}");
    assert!(err.contains("help: check the keys"), "{err}");
    for raw in [
        "x-oss-request-id",
        "content-length",
        "Parts {",
        "HeaderMap",
        "<?xml",
    ] {
        assert!(
            !err.to_ascii_lowercase().contains(&raw.to_ascii_lowercase()),
            "raw response in: {err}"
        );
    }
}

// ---------------------------------------------------------------- moto (a server no one here wrote)

#[test]
fn moto_deploy_with_a_prefix_uploads_only_changes_and_deletes_only_inside_it() {
    full_cycle(&MotoServer::start("shop"));
}

#[test]
fn moto_deploy_at_the_bucket_root() {
    full_cycle(&MotoServer::start(""));
}

#[test]
fn moto_deploy_killed_midway_converges() {
    interrupted(&MotoServer::start("shop"), true);
}

#[test]
fn moto_checks_the_signatures() {
    let server = MotoServer::start("shop");
    let run = with_wrong_secret(&server, "AWS_SECRET_ACCESS_KEY");
    assert!(!run.stderr().contains(&server.secret));
    assert!(
        run.stderr().contains("SignatureDoesNotMatch"),
        "{}",
        run.stderr()
    );
}

/// A name in `public/` that could leave the bucket prefix (or the folder) is refused before
/// the first request, on every provider.
#[test]
fn a_key_that_could_leave_the_prefix_is_refused_before_any_request() {
    let s3 = S3Server::start("shop");
    let oss = OssServer::start(OssOptions {
        prefix: "shop".into(),
        ..OssOptions::default()
    });
    let folder = Folder::new("shop");
    let targets: [&dyn Target; 3] = [&s3, &oss, &folder];
    for target in targets {
        let shop = Shop::new(&target.deploy_yaml());
        common::shopgen(&["build", shop.root().to_str().unwrap()]).assert_ok();
        std::fs::write(
            shop.root().join("public/evil\\..\\..\\other-bucket.txt"),
            "x",
        )
        .unwrap();
        let before: Vec<String> = target.objects().into_keys().collect();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_shopgen"));
        cmd.arg("deploy")
            .arg(shop.root())
            .envs(target.env())
            .stdin(Stdio::null());
        let run = Run {
            out: cmd.output().unwrap(),
        };
        assert!(!run.ok(), "{}", target.deploy_yaml());
        assert!(run.stderr().contains("backslash"), "{}", run.stderr());
        let after: Vec<String> = target.objects().into_keys().collect();
        assert_eq!(after, before, "nothing was uploaded");
    }
    assert!(!folder.dir.path().join("other-bucket.txt").exists());
}
