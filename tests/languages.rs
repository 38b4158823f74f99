//! One shop in three languages: the example site with `languages:` (zh-HK converted from
//! zh-CN and priced in HKD, en translated), built end to end.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::languages::three_languages;
use common::shopgen;

const ORIGIN: &str = "https://www.shanchuan.example.cn";

/// Two attributes of every element `selector` matches: `key` → `value`.
fn pairs(html: &str, selector: &str, key: &str, value: &str) -> BTreeMap<String, String> {
    let found = std::cell::RefCell::new(BTreeMap::new());
    lol_html::rewrite_str(
        html,
        lol_html::RewriteStrSettings::new().append_element_content_handler(lol_html::element!(
            selector,
            |el| {
                found.borrow_mut().insert(
                    el.get_attribute(key).unwrap(),
                    el.get_attribute(value).unwrap(),
                );
                Ok(())
            }
        )),
    )
    .unwrap();
    found.into_inner()
}

/// Every `<link rel="alternate" hreflang>` of an HTML page: hreflang → href.
fn alternates(html: &str) -> BTreeMap<String, String> {
    pairs(html, "link[rel=alternate][hreflang]", "hreflang", "href")
}

/// The switcher's links: language code → href.
fn switcher(html: &str) -> BTreeMap<String, String> {
    pairs(html, ".lang-list a", "lang", "href")
}

/// The output file an absolute URL of the site stands for.
fn file_of(out: &Path, url: &str) -> PathBuf {
    let rel = url.strip_prefix(ORIGIN).unwrap().trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    }
}

fn html_files(out: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn three_languages_each_under_its_folder() {
    let f = three_languages();
    let run = f.build(&[]);
    run.assert_ok();
    // The products without an HKD price are listed once, as a warning.
    let err = run.stderr();
    assert!(err.contains("no price in HKD"), "{err}");

    let tote = "products/zhen-pi-tuo-te-bao/index.html";
    let cn = f.read(tote);
    let hk = f.read(&format!("hk/{tote}"));
    let en = f.read(&format!("en/{tote}"));
    assert!(cn.contains("<html lang=\"zh-CN\">"));
    assert!(hk.contains("<html lang=\"zh-HK\">"));
    assert!(en.contains("<html lang=\"en\">"));

    // Hong Kong Traditional, converted; the glossary's word wins; code, SKU and slug untouched.
    assert!(
        cn.contains("配一只钱包刚好"),
        "the default language is as written"
    );
    assert!(hk.contains("配一隻銀包剛好"), "converted with the glossary");
    assert!(!hk.contains("钱包"));
    assert!(hk.contains("<code>SC-W-1001</code>"));
    assert!(hk.contains("意大利植鞣牛皮"));
    assert!(hk.contains("/hk/products/zhen-pi-tuo-te-bao/"));
    // Prices in HKD, as written, never converted.
    assert!(hk.contains("HK$1,399"), "HKD price");
    assert!(hk.contains("HK$1,699"), "HKD original price");
    assert!(!hk.contains("¥1,299"));
    assert!(cn.contains("1,299"));
    // The English translation, with its shop texts.
    assert!(en.contains("<title>Leather Tote - Shanchuan Leather</title>"));
    assert!(en.contains("A bag for many years"));
    assert!(en.contains("Cognac"));
    // A translation's own photo is published in variants like every photo.
    let photo = en
        .split("/assets/img/images/products/tote-en-")
        .nth(1)
        .expect("the English photo's variants on the English page");
    let variant = format!(
        "assets/img/images/products/tote-en-{}",
        &photo[..photo.find(['"', ' ']).unwrap()]
    );
    assert!(f.out().join(&variant).exists(), "{variant}");
    assert!(!cn.contains("tote-en"), "not on the Chinese page");
    assert!(
        f.read("en/index.html")
            .contains("Good leather, for the long road")
    );
    assert!(f.read("en/about/index.html").contains("Xixi wetlands"));
    // Untranslated English pages keep the default language's text; links stay in English.
    assert!(
        f.read("en/products/index.html")
            .contains("href=\"/en/products/")
    );

    // A product without an HKD price is left out of Hong Kong only.
    assert!(f.out().join("products/briefcase/index.html").exists());
    assert!(f.out().join("en/products/briefcase/index.html").exists());
    assert!(!f.out().join("hk/products/briefcase/index.html").exists());
    assert!(
        f.out()
            .join("hk/products/zipper-long-wallet/index.html")
            .exists()
    );

    // Files every language shares are written once, at the root.
    assert!(!f.out().join("en/favicon.svg").exists());
    assert!(!f.out().join("hk/images").exists());
    let css: Vec<_> = walkdir::WalkDir::new(f.out())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "css"))
        .map(|e| e.into_path())
        .collect();
    assert_eq!(css.len(), 1, "{css:?}");
    // Each language has its own search index.
    assert!(f.out().join("hk/search/index.json").exists());
    assert!(f.out().join("en/search/index.json").exists());
    let manifest = std::fs::read_to_string(f.out().join("en/search/index.json")).unwrap();
    assert!(manifest.contains("\"base\":\"/en/assets/search/\""));
}

#[test]
fn hreflang_alternates_are_reciprocal_and_absolute() {
    let f = three_languages();
    f.build(&[]).assert_ok();
    let out = f.out();
    let mut checked = 0;
    for file in html_files(&out) {
        let html = std::fs::read_to_string(&file).unwrap();
        let alts = alternates(&html);
        if alts.is_empty() {
            continue;
        }
        checked += 1;
        let rel = file.strip_prefix(&out).unwrap().display().to_string();
        assert!(alts.contains_key("x-default"), "{rel}: no x-default");
        let langs: BTreeSet<&str> = alts.keys().map(String::as_str).collect();
        assert!(langs.len() >= 3, "{rel}: {langs:?}");
        for l in &langs {
            assert!(
                ["zh-Hans-CN", "zh-Hant-HK", "en", "x-default"].contains(l),
                "{rel}: hreflang {l}"
            );
        }
        // The page names itself among its alternates.
        let canonical = html
            .split("<link rel=\"canonical\" href=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap();
        assert!(
            alts.values().any(|u| u == canonical),
            "{rel}: not among its own"
        );
        for (lang, url) in &alts {
            assert!(
                url.starts_with(ORIGIN),
                "{rel}: {lang} → {url} is not absolute"
            );
            let target = file_of(&out, url);
            let there = std::fs::read_to_string(&target)
                .unwrap_or_else(|_| panic!("{rel}: {lang} → {url}: no such page"));
            assert_eq!(alternates(&there), alts, "{rel} and {url} disagree");
        }
    }
    assert!(checked > 30, "only {checked} pages with alternates");

    // A tag only the default language has (the English tote has tags of its own): the
    // switcher leads to the other languages' home pages.
    let tag = f.read("tags/tuo-te-bao/index.html");
    let sw = switcher(&tag);
    assert_eq!(sw["en"], "/en/");
    // The same page in the other language where there is one.
    let sw = switcher(&f.read("hk/products/zhen-pi-tuo-te-bao/index.html"));
    assert_eq!(sw["zh-CN"], "/products/zhen-pi-tuo-te-bao/");
    assert_eq!(sw["en"], "/en/products/zhen-pi-tuo-te-bao/");
    assert_eq!(sw["zh-HK"], "/hk/products/zhen-pi-tuo-te-bao/");
    let sw = switcher(&f.read("en/products/briefcase/index.html"));
    assert_eq!(sw["zh-HK"], "/hk/", "not sold in Hong Kong: its home page");
    assert_eq!(sw["zh-CN"], "/products/briefcase/");
}

#[test]
fn sitemaps_list_the_alternates() {
    let f = three_languages();
    f.build(&[]).assert_ok();
    let robots = f.read("robots.txt");
    for m in ["/sitemap.xml", "/hk/sitemap.xml", "/en/sitemap.xml"] {
        assert!(
            robots.contains(&format!("Sitemap: {ORIGIN}{m}")),
            "{robots}"
        );
    }
    let hk = f.read("hk/sitemap.xml");
    assert!(hk.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entry = hk
        .lines()
        .find(|l| {
            l.contains(
                "<loc>https://www.shanchuan.example.cn/hk/products/zhen-pi-tuo-te-bao/</loc>",
            )
        })
        .expect("the tote in the Hong Kong sitemap");
    for (lang, path) in [
        ("zh-Hans-CN", "/products/zhen-pi-tuo-te-bao/"),
        ("zh-Hant-HK", "/hk/products/zhen-pi-tuo-te-bao/"),
        ("en", "/en/products/zhen-pi-tuo-te-bao/"),
    ] {
        assert!(
            entry.contains(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{ORIGIN}{path}\"/>"
            )),
            "{entry}"
        );
    }
    assert!(!hk.contains("/hk/products/briefcase/"));
    let cn = f.read("sitemap.xml");
    assert!(
        !cn.contains("<loc>https://www.shanchuan.example.cn/en/"),
        "one sitemap a language"
    );
}

#[test]
fn a_missing_hkd_price_fails_at_its_line() {
    let f = three_languages();
    let p = f.root().join("shop.yaml");
    let s = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, s.replace(", unpriced: leave_out", "")).unwrap();
    let before = common::snapshot(f.root());
    let run = f.build(&[]);
    assert!(!run.ok());
    let err = run.stderr();
    // briefcase.md has its `price:` on line 3.
    let line = std::fs::read_to_string(f.root().join("content/products/briefcase.md"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("price:"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("briefcase.md:{line}")),
        "no file:line in {err}"
    );
    assert!(err.contains("HKD"), "{err}");
    assert_eq!(
        common::snapshot(f.root()),
        before,
        "a failed build writes nothing"
    );
}

#[test]
fn check_passes_and_finds_simplified_text_on_hong_kong_pages() {
    let f = three_languages();
    let site = f.root().to_str().unwrap();
    let run = shopgen(&["check", site]);
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert!(run.ok(), "{out}");
    assert!(out.contains(" 0 errors"), "{out}");
    // The converted pages, the switcher's 简体中文 and the mainland filing number are fine.
    assert!(!out.contains("simplified-text"), "{out}");

    // A Hong Kong translation typed in Simplified: a warning at its line.
    f.write(
        "content/pages/about.zh-HK.md",
        "---\ntitle: 品牌故事\n---\n\n山川皮具，杭州西溪。\n\n我们的工坊在湿地旁边。\n",
    );
    let run = shopgen(&["check", site]);
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert!(run.ok(), "warnings do not fail the check: {out}");
    assert!(out.contains("warning[simplified-text]"), "{out}");
    assert!(out.contains("们湿"), "the characters are named: {out}");
    assert!(out.contains("about.zh-HK.md:7"), "file and line: {out}");
    assert!(out.contains("hk/about/index.html:"), "{out}");
    assert_eq!(out.matches("warning[simplified-text]").count(), 1, "{out}");
}

#[test]
fn a_translation_of_nothing_is_an_error() {
    let f = three_languages();
    f.write("content/products/no-such.en.md", "---\ntitle: Ghost\n---\n");
    let run = shopgen(&["build", f.root().to_str().unwrap()]);
    assert!(!run.ok());
    assert!(run.stderr().contains("no-such.en.md"), "{}", run.stderr());
}

#[test]
fn serve_renders_the_languages_an_edit_changes() {
    use shopgen::serve::live::{Changes, Live};
    let f = three_languages();
    let opts = shopgen::site::Options {
        drafts: false,
        base_url: None,
    };
    let (mut live, first) = Live::new(f.root().to_path_buf(), opts);
    first.unwrap();
    let edit = |rel: &str, from: &str, to: &str| {
        let p = f.root().join(rel);
        let s = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, s.replacen(from, to, 1)).unwrap();
        Changes {
            files: [p.clone()].into(),
            products: [p].into(),
            ..Changes::default()
        }
    };
    let tote = "products/zhen-pi-tuo-te-bao/index.html";
    let r = live
        .apply(edit(
            "content/products/真皮托特包.md",
            "配一只钱包刚好",
            "配一只钱包正好",
        ))
        .unwrap();
    let paths = &r.rendered.paths;
    assert!(paths.iter().any(|p| p == tote), "{paths:?}");
    assert!(
        paths.iter().any(|p| p == &format!("hk/{tote}")),
        "{paths:?}"
    );
    let hk = String::from_utf8(live.file(&format!("hk/{tote}")).unwrap().into_owned()).unwrap();
    assert!(hk.contains("配一隻銀包正好"), "converted again");

    let r = live
        .apply(edit(
            "content/products/真皮托特包.en.md",
            "A bag for many years",
            "A bag for decades",
        ))
        .unwrap();
    let paths = &r.rendered.paths;
    assert!(
        paths.iter().any(|p| p == &format!("en/{tote}")),
        "{paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.starts_with("hk/") || p == tote),
        "{paths:?}"
    );
    let en = String::from_utf8(live.file(&format!("en/{tote}")).unwrap().into_owned()).unwrap();
    assert!(en.contains("A bag for decades"));
}
