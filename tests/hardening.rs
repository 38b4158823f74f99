//! Nothing escapes, nothing hangs: names that could leave the output, FIFOs and devices in
//! place of files, links out of the site, prices with too many decimals, slugs too long to be
//! file names, staging folders of killed builds. Every run is bounded in time.

mod common;
use common::*;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Run shopgen with a deadline: a hang is a failure, not a stuck test.
fn bounded(args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopgen"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("shopgen {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run {
        out: child.wait_with_output().unwrap(),
    }
}

fn good_site() -> Fixture {
    let f = Fixture::new(SHOP_YAML);
    f.product("bag.md", &product_fm("托特包", "199", "女包", 1), "正文\n");
    f
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

#[test]
fn a_static_name_with_backslashes_never_writes_outside_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let f = good_site();
    // Legal names on Linux; on Windows, or once backslashes become slashes, they climb out.
    f.write("static/evil\\..\\..\\..\\pwn.txt", "pwned");
    f.write("static/..\\..\\..\\pwn2.txt", "pwned");
    let out = tmp.path().join("a/b/out");
    let run = bounded(&[
        "build",
        f.root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(!run.ok(), "the build must refuse the name");
    let err = run.stderr();
    assert!(err.contains("evil"), "names the file: {err}");
    assert!(err.contains("backslash"), "{err}");
    for p in [
        tmp.path().join("pwn.txt"),
        tmp.path().join("a/pwn.txt"),
        tmp.path().join("pwn2.txt"),
    ] {
        assert!(!p.exists(), "{} was written", p.display());
    }
    assert!(!out.exists(), "a failed build leaves no output");
    // Without the one bad name (the dotfile one is ignored like every dotfile) it builds.
    std::fs::remove_file(f.root().join("static/evil\\..\\..\\..\\pwn.txt")).unwrap();
    bounded(&[
        "build",
        f.root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ])
    .assert_ok();
    assert!(!tmp.path().join("pwn2.txt").exists());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_fail_at_once_instead_of_hanging() {
    // A FIFO in place of shop.yaml.
    let f = good_site();
    std::fs::remove_file(f.root().join("shop.yaml")).unwrap();
    mkfifo(&f.root().join("shop.yaml"));
    let run = bounded(&["build", f.root().to_str().unwrap()]);
    assert!(!run.ok());
    assert!(run.stderr().contains("FIFO"), "{}", run.stderr());

    // shop.yaml as a link to /dev/zero.
    let f = good_site();
    std::fs::remove_file(f.root().join("shop.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", f.root().join("shop.yaml")).unwrap();
    let run = bounded(&["build", f.root().to_str().unwrap()]);
    assert!(!run.ok());
    assert!(run.stderr().contains("device"), "{}", run.stderr());
    let run = bounded(&["check", f.root().to_str().unwrap()]);
    assert!(!run.ok());

    // A FIFO as a product and in static/, and a logo that is a FIFO: left out with a warning,
    // or refused, never opened.
    let f = good_site();
    mkfifo(&f.root().join("content/products/pipe.md"));
    mkfifo(&f.root().join("static/images/pipe.jpg"));
    let run = bounded(&["build", f.root().to_str().unwrap()]);
    run.assert_ok();
    let err = run.stderr();
    assert!(err.contains("warning") && err.contains("FIFO"), "{err}");
    assert!(!f.out().join("images/pipe.jpg").exists());
    f.write("shop.yaml", &format!("{SHOP_YAML}logo: images/pipe.jpg\n"));
    let run = bounded(&["build", f.root().to_str().unwrap()]);
    assert!(!run.ok());
    assert!(run.stderr().contains("images/pipe.jpg"), "{}", run.stderr());
}

#[cfg(unix)]
#[test]
fn links_inside_the_site_are_published_and_links_out_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "TOP-SECRET").unwrap();
    let f = Fixture::new(SHOP_YAML);
    f.write(
        "photos/tote.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>",
    );
    std::fs::create_dir_all(f.root().join("static/images")).unwrap();
    std::os::unix::fs::symlink(
        f.root().join("photos/tote.svg"),
        f.root().join("static/images/tote.svg"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        tmp.path().join("secret.txt"),
        f.root().join("static/secret.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/etc/passwd", f.root().join("static/passwd")).unwrap();
    f.product(
        "bag.md",
        "title: 托特包\nprice: 199\nimages: [images/tote.svg]\n",
        "正文\n",
    );
    let run = bounded(&["build", f.root().to_str().unwrap()]);
    run.assert_ok();
    // The product's image, a link inside the site, is published; every page shows it.
    assert!(f.out().join("images/tote.svg").is_file());
    assert!(
        f.read("products/bag/index.html")
            .contains("/images/tote.svg")
    );
    // The links out are not, and one warning lists them.
    assert!(!f.out().join("secret.txt").exists());
    assert!(!f.out().join("passwd").exists());
    let err = run.stderr();
    assert!(
        err.contains("secret.txt") && err.contains("passwd"),
        "{err}"
    );
    assert_eq!(err.matches("warning").count(), 1, "one warning: {err}");
    let published = snapshot(&f.out());
    assert!(!published.values().any(|b| b == b"TOP-SECRET"));

    // A product file that is a link inside the site loads in build as in serve.
    f.write("drafts/belt.md", "---\ntitle: 皮带\nprice: 99\n---\n");
    std::os::unix::fs::symlink(
        f.root().join("drafts/belt.md"),
        f.root().join("content/products/belt.md"),
    )
    .unwrap();
    bounded(&["build", f.root().to_str().unwrap()]).assert_ok();
    assert!(f.out().join("products/belt/index.html").is_file());
}

#[test]
fn prices_are_exact_from_the_text_as_written() {
    let f = good_site();
    f.product("float.md", "title: 包\nprice: 19.999999999999999\n", "");
    let run = bounded(&["build", f.root().to_str().unwrap()]);
    assert!(!run.ok(), "19.999999999999999 must not become ¥20.00");
    let err = run.stderr();
    assert!(err.contains("float.md:3"), "{err}");
    assert!(err.contains("more than two decimals"), "{err}");
    std::fs::remove_file(f.root().join("content/products/float.md")).unwrap();
    f.product(
        "exact.md",
        "title: 包\nprice: 0.30\noriginal_price: 19.99\n",
        "",
    );
    bounded(&["build", f.root().to_str().unwrap()]).assert_ok();
    let page = f.read("products/exact/index.html");
    assert!(page.contains("content=\"0.30\""), "product:price:amount");
}

#[test]
fn names_too_long_for_a_file_fail_at_load_and_check_says_so() {
    let f = good_site();
    let long = "长".repeat(60); // "chang-" × 60: 359 bytes of slug
    f.product(
        "long.md",
        &format!("title: 包\nprice: 9\ntags: [{long}]\n"),
        "",
    );
    let run = bounded(&["build", f.root().to_str().unwrap()]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(err.contains("long.md:4"), "{err}");
    assert!(err.contains("tags[0]"), "{err}");
    assert!(
        !err.contains("staging"),
        "the error names no staging folder: {err}"
    );
    let check = bounded(&["check", f.root().to_str().unwrap(), "--format", "json"]);
    assert!(!check.ok());
    assert!(check.stdout().contains("long.md"), "{}", check.stdout());

    let f = good_site();
    f.product(
        &format!("{}.md", "真".repeat(50)),
        "title: 包\nprice: 9\n",
        "",
    );
    let run = bounded(&["build", f.root().to_str().unwrap()]);
    assert!(!run.ok());
    assert!(run.stderr().contains("at most 200"), "{}", run.stderr());
}

#[test]
fn the_next_build_removes_staging_folders_of_killed_builds() {
    let f = good_site();
    // What a build killed mid-write leaves (no process has this pid).
    let dead = f.root().join(".public.staging-4294967294");
    std::fs::create_dir_all(dead.join("products")).unwrap();
    std::fs::write(dead.join("index.html"), "half").unwrap();
    bounded(&["build", f.root().to_str().unwrap()]).assert_ok();
    if Path::new("/proc/self").exists() {
        assert!(
            !dead.exists(),
            "the dead build's staging folder is still there"
        );
    }
}
