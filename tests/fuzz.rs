//! Mutation fuzzing of `shop.yaml` and front matter: byte flips, truncation, deletions, huge
//! strings, deep nesting, odd numbers and dates, odd file types. For every case: no panic, no
//! hang (each case has a deadline), nothing written outside the output folder or into the
//! site, and a failed build leaves the previous output exactly as it was.
//!
//! `cargo test --test fuzz` runs a few hundred cases; `cargo test --release -- --ignored fuzz`
//! runs 10,000.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const SHOP_YAML: &str = "title: 测试小店
tagline: 植鞣真皮
base_url: https://shop.example.cn
language: zh-CN
paginate: 12
hosting:
  region: mainland
  icp: 京ICP备12345678号-1
contact: { wechat: shop_kf, phone: 400-800-8888 }
payments: { alipay: \"https://qr.alipay.com/fkx12345\" }
home:
  trust: [正品保证, 七天无理由]
  endorsements:
    - { name: 林晓, quote: 好用 }
categories:
  - { name: 女包, slug: nv-bao }
";

const PRODUCT: &str = "---
title: 托特包
price: 1299.50
original_price: 1599
category: 女包
tags: [真皮, 通勤]
badges: [正品保证]
variants: [{ name: 颜色, options: [黑色, 棕色] }]
date: 2026-03-01
---
正文 **详情**。
";

/// Odd values a careless (or hostile) author might write.
const ODD: &[&str] = &[
    "1e999",
    "-0",
    ".nan",
    "-.inf",
    "0x1F",
    "0o17",
    "99999999999999999999999999",
    "19.999999999999999",
    "-5",
    "1,299",
    "¥1299",
    "2026-02-30",
    "99999-01-01",
    "0000-00-00",
    "~",
    "null",
    "\"\"",
    "[]",
    "{}",
    "!!binary AAAA",
    "&a [*a, *a]",
    "*nowhere",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "|\n  block",
    ">-\n  folded",
    "? complex\n: key",
    "'unclosed",
    "\"unclosed",
    "[1, [2, [3",
    "{a: {b: {c:",
    "yes",
    "NO",
    "🙂🙂🙂",
    "\t\t",
    "---",
    "...",
    "%YAML 1.1",
];

const KEYS: &[&str] = &[
    "title",
    "price",
    "original_price",
    "category",
    "tags",
    "date",
    "slug",
    "images",
    "variants",
    "base_url",
    "paginate",
    "hosting",
    "icp",
    "region",
    "language",
    "currency",
    "theme",
    "logo",
    "categories",
    "home",
    "weight",
    "stock",
    "draft",
    "extra",
];

#[derive(Debug, Clone)]
enum Op {
    Flip(usize, u8),
    Truncate(usize),
    Delete(usize, usize),
    Insert(usize, String),
    Huge(usize, usize),
    Nest(usize, usize),
    Odd(usize, usize),
    Special(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(p, b)| Op::Flip(p, b)),
        any::<usize>().prop_map(Op::Truncate),
        (any::<usize>(), 1usize..40).prop_map(|(p, n)| Op::Delete(p, n)),
        (any::<usize>(), "[ -~\\n:\\[\\]{}&*!|>#'\"-]{1,12}").prop_map(|(p, s)| Op::Insert(p, s)),
        (any::<usize>(), 1usize..3_000_000).prop_map(|(p, n)| Op::Huge(p, n)),
        (any::<usize>(), 10usize..200_000).prop_map(|(p, n)| Op::Nest(p, n)),
        (0..KEYS.len(), 0..ODD.len()).prop_map(|(k, v)| Op::Odd(k, v)),
        (0u8..6).prop_map(Op::Special),
    ]
}

fn at(text: &[u8], p: usize) -> usize {
    if text.is_empty() {
        0
    } else {
        p % (text.len() + 1)
    }
}

fn apply(text: &[u8], op: &Op) -> Vec<u8> {
    let mut t = text.to_vec();
    match op {
        Op::Flip(p, b) => {
            if !t.is_empty() {
                let i = p % t.len();
                t[i] ^= 1 << b;
            }
        }
        Op::Truncate(p) => t.truncate(at(text, *p)),
        Op::Delete(p, n) => {
            let i = at(text, *p);
            let end = (i + n).min(t.len());
            t.drain(i..end);
        }
        Op::Insert(p, s) => {
            let i = at(text, *p);
            t.splice(i..i, s.bytes());
        }
        Op::Huge(p, n) => {
            let i = at(text, *p);
            t.splice(i..i, std::iter::repeat_n(b'x', *n));
        }
        Op::Nest(p, n) => {
            let i = at(text, *p);
            t.splice(i..i, std::iter::repeat_n(b'[', *n));
        }
        Op::Odd(k, v) => {
            let line = format!("\n{}: {}\n", KEYS[*k], ODD[*v]);
            // Replace the key's value where it is written, or add the key.
            let s = String::from_utf8_lossy(text).into_owned();
            let key = format!("\n{}:", KEYS[*k]);
            t = match s.find(&key) {
                Some(i) => {
                    let end = s[i + 1..].find('\n').map_or(s.len(), |j| i + 1 + j);
                    format!("{}{}{}", &s[..i], line.trim_end(), &s[end..]).into_bytes()
                }
                None => match s.find("\n---\n") {
                    Some(i) if s.starts_with("---") => {
                        format!("{}{}{}", &s[..i], line.trim_end(), &s[i..]).into_bytes()
                    }
                    _ => format!("{s}{line}").into_bytes(),
                },
            };
        }
        Op::Special(_) => {}
    }
    t
}

/// Every file below `dir` with its contents (links as their targets' text).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.depth() > 0)
        // The site's own state (the output manifest) is shopgen's to write.
        .filter(|e| {
            !e.path()
                .strip_prefix(dir)
                .is_ok_and(|r| r.starts_with(".shopgen"))
        })
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let t = e.file_type();
            let v = if t.is_file() {
                std::fs::read(e.path()).unwrap_or_default()
            } else if t.is_symlink() {
                std::fs::read_link(e.path())
                    .map(|p| p.to_string_lossy().into_owned().into_bytes())
                    .unwrap_or_default()
            } else {
                format!("<{t:?}>").into_bytes()
            };
            (rel, v)
        })
        .collect()
}

/// Make the `Special` change: a file replaced by something that is not a regular file.
#[cfg(unix)]
fn special(site: &Path, kind: u8) {
    let victim = match kind % 3 {
        0 => site.join("shop.yaml"),
        1 => site.join("content/products/bag.md"),
        _ => site.join("static/images/a.svg"),
    };
    let _ = std::fs::remove_file(&victim);
    match kind / 3 {
        0 => {
            let ok = std::process::Command::new("mkfifo")
                .arg(&victim)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "mkfifo");
        }
        _ => std::os::unix::fs::symlink("/dev/zero", &victim).unwrap(),
    }
}

#[cfg(not(unix))]
fn special(site: &Path, _kind: u8) {
    let _ = std::fs::remove_file(site.join("shop.yaml"));
    std::fs::create_dir_all(site.join("shop.yaml")).unwrap();
}

/// One case: the site with `op` applied to file `which` (0: shop.yaml, 1: a product).
fn case(which: u8, op: &Op) -> Result<(), TestCaseError> {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("content/products")).unwrap();
    std::fs::create_dir_all(site.join("static/images")).unwrap();
    std::fs::write(
        site.join("static/images/a.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
    )
    .unwrap();
    let (file, base) = match which {
        0 => (site.join("shop.yaml"), SHOP_YAML),
        _ => (site.join("content/products/bag.md"), PRODUCT),
    };
    std::fs::write(site.join("shop.yaml"), SHOP_YAML).unwrap();
    std::fs::write(site.join("content/products/bag.md"), PRODUCT).unwrap();
    match op {
        Op::Special(k) => special(&site, *k),
        _ => std::fs::write(&file, apply(base.as_bytes(), op)).unwrap(),
    }
    // A previous output that a failed build must leave as it is.
    let out = tmp.path().join("out").join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("index.html"), "previous build").unwrap();
    let before_out = snapshot(&out);
    let before_site = snapshot(&site);

    let (tx, rx) = mpsc::channel();
    let (s, o) = (site.clone(), out.clone());
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| {
            shopgen::Site::load(&s, &shopgen::Options::default())
                .and_then(|site| site.build(Some(&o), false))
        });
        let _ = tx.send(r.map(|b| b.is_ok()));
    });
    let built = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(built)) => built,
        Ok(Err(_)) => return Err(TestCaseError::fail(format!("panicked on {op:?}"))),
        Err(_) => return Err(TestCaseError::fail(format!("hung on {op:?}"))),
    };
    // Nothing written beside the site and the output folder, nor into the site.
    let top: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    prop_assert!(
        top.iter().all(|n| n == "site" || n == "out"),
        "wrote {top:?} for {op:?}"
    );
    let beside: Vec<String> = std::fs::read_dir(tmp.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    prop_assert_eq!(
        beside,
        vec!["public".to_string()],
        "staging left for {:?}",
        op
    );
    prop_assert!(
        snapshot(&site) == before_site,
        "the site changed for {:?}",
        op
    );
    if built {
        prop_assert!(
            out.join("products").is_dir() || which == 1,
            "a build that succeeded wrote no products"
        );
    } else {
        prop_assert!(
            snapshot(&out) == before_out,
            "a failed build changed the output for {:?}",
            op
        );
    }
    Ok(())
}

fn run(cases: u32) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(0u8..2, op()), |(which, op)| case(which, &op))
        .unwrap();
}

#[test]
fn fuzz_shop_yaml_and_front_matter() {
    run(300);
}

#[test]
#[ignore = "10,000 cases: cargo test --release -- --ignored fuzz"]
fn fuzz_long() {
    run(10_000);
}
