//! `shopgen check`: every rule on fixture sites, the JSON report, exit codes, and the example
//! site passing its own check.

mod common;
use common::*;

use serde_json::Value;

/// Run `shopgen check SITE --format json`: (exit code, report).
fn check_json(site: &std::path::Path) -> (i32, Value) {
    let run = shopgen(&["check", site.to_str().unwrap(), "--format", "json"]);
    let code = run.out.status.code().expect("exit code");
    let json: Value = serde_json::from_str(&run.stdout())
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout(), run.stderr()));
    (code, json)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings array")
}

fn with_rule<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    findings(report)
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// 1-based number of the line of `path` that contains `needle` (which must be there once).
fn line_of(path: &std::path::Path, needle: &str) -> u64 {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "{needle} in {}", path.display());
    lines[0] as u64
}

fn ends_with(v: &Value, suffix: &str) -> bool {
    v.as_str()
        .is_some_and(|s| s.replace('\\', "/").ends_with(suffix))
}

/// A product body with every form of reference a browser loads, each from a blocked host.
const BLOCKED_BODY: &str = r#"正文介绍。文中提到 fonts.googleapis.com 和 https://www.youtube.com/ 只是文字，不是引用。

<a href="https://www.youtube.com/watch?v=abc">在 YouTube 上看视频</a> <a href="//facebook.com/shop">Facebook</a>

<script src="https://www.google-analytics.com/analytics.js"></script>

<IMG SRC="HTTPS://FONTS.GSTATIC.COM/s/upper.png" ALT="upper case">
<img src="//secure.gravatar.com/avatar/1.png" alt="protocol-relative">
<img src="/images/ok.png" srcset="/images/ok.png 1x, https://lh3.googleusercontent.com/x.png 2x" alt="srcset">
<video poster="https://i.vimeocdn.com/poster.jpg" src="/media/ok.mp4"></video>
<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>
<object data="https://disqus.com/embed.js"></object>
<embed src="https://cdnjs.cloudflare.com/ajax/libs/x.swf">
<audio src="https://unpkg.com/sound@1/a.mp3"></audio>
<video><source src="https://connect.facebook.net/v.mp4"><track src="https://pbs.twimg.com/cap.vtt"></video>
<input type="image" src="https://scontent.cdninstagram.com/btn.png">
<div style="background-image: url('https://cdn.staticfile.org/bg.png')">inline style</div>

<style>
@import url("https://cdn.bootcdn.net/a.css");
.x { background: url(https://polyfill.io/v3/bg.png) }
</style>
"#;

/// A standalone 404 template with every loading `<link>`.
const BLOCKED_404: &str = r#"<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="utf-8">
<title>404</title>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter&amp;display=swap">
<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>
<link rel="preload" as="script" href="https://cdn.jsdelivr.net/npm/x@1/x.js">
<link rel="dns-prefetch" href="//www.googletagmanager.com">
<link rel="icon" href="https://i.ytimg.com/favicon.ico">
<link rel="apple-touch-icon" href="https://static.xx.fbcdn.net/icon.png">
<link rel="manifest" href="https://my-shop.vercel.app/manifest.json">
<link rel="alternate" href="https://twitter.com/shop">
</head><body><p>没有找到 https://www.gstatic.com/</p><a href="https://twitter.com/shop">Twitter</a></body></html>
"#;

const BLOCKED_PAGE: &str = r#"关于我们。

<svg width="10" height="10"><image href="https://www.recaptcha.net/x.png" width="10" height="10"/></svg>
<table background="https://ajax.googleapis.com/bg.gif"><tr><td>x</td></tr></table>
"#;

const BLOCKED_CSS: &str = r#"@import "https://cdn.bootcss.com/normalize.css";
.hero { background: url(//www.gstatic.com/hero.jpg); }
.ok { background: url(../images/ok.png); }
"#;

const BLOCKED_STYLE: &str = ".site-footer { padding: 1rem; }\n.site-footer .x { background: url(\"https://www.google.com/recaptcha/bg.png\"); }\n";

fn blocked_site() -> Fixture {
    let f = Fixture::new(SHOP_YAML);
    f.product(
        "p.md",
        &product_fm("托特包", "199", "女包", 1),
        BLOCKED_BODY,
    );
    f.write(
        "content/pages/about.md",
        &format!("---\ntitle: 关于\n---\n{BLOCKED_PAGE}"),
    );
    f.write("templates/404.html", BLOCKED_404);
    f.write("static/images/ok.png", "png");
    f.write("static/media/ok.mp4", "mp4");
    f.write("static/css/extra.css", BLOCKED_CSS);
    f.write("styles/footer.css", BLOCKED_STYLE);
    f
}

#[test]
fn every_form_of_blocked_reference_is_flagged_exactly_once() {
    let f = blocked_site();
    let (code, report) = check_json(f.root());
    assert_eq!(code, 1, "{report:#}");
    // (URL as written but decoded, output file, source file, text to find the source line by)
    let expected: &[(&str, &str, &str)] = &[
        (
            "https://www.google-analytics.com/analytics.js",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "HTTPS://FONTS.GSTATIC.COM/s/upper.png",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "//secure.gravatar.com/avatar/1.png",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://lh3.googleusercontent.com/x.png",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://i.vimeocdn.com/poster.jpg",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://www.youtube-nocookie.com/embed/abc",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://disqus.com/embed.js",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://cdnjs.cloudflare.com/ajax/libs/x.swf",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://unpkg.com/sound@1/a.mp3",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://connect.facebook.net/v.mp4",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://pbs.twimg.com/cap.vtt",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://scontent.cdninstagram.com/btn.png",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://cdn.staticfile.org/bg.png",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://cdn.bootcdn.net/a.css",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://polyfill.io/v3/bg.png",
            "products/p/index.html",
            "content/products/p.md",
        ),
        (
            "https://fonts.googleapis.com/css2?family=Inter&display=swap",
            "404.html",
            "templates/404.html",
        ),
        (
            "https://fonts.gstatic.com",
            "404.html",
            "templates/404.html",
        ),
        (
            "https://cdn.jsdelivr.net/npm/x@1/x.js",
            "404.html",
            "templates/404.html",
        ),
        (
            "//www.googletagmanager.com",
            "404.html",
            "templates/404.html",
        ),
        (
            "https://i.ytimg.com/favicon.ico",
            "404.html",
            "templates/404.html",
        ),
        (
            "https://static.xx.fbcdn.net/icon.png",
            "404.html",
            "templates/404.html",
        ),
        (
            "https://my-shop.vercel.app/manifest.json",
            "404.html",
            "templates/404.html",
        ),
        (
            "https://www.recaptcha.net/x.png",
            "about/index.html",
            "content/pages/about.md",
        ),
        (
            "https://ajax.googleapis.com/bg.gif",
            "about/index.html",
            "content/pages/about.md",
        ),
        (
            "https://cdn.bootcss.com/normalize.css",
            "css/extra.css",
            "static/css/extra.css",
        ),
        (
            "//www.gstatic.com/hero.jpg",
            "css/extra.css",
            "static/css/extra.css",
        ),
        (
            "https://www.google.com/recaptcha/bg.png",
            "assets/style.",
            "styles/footer.css",
        ),
    ];
    let blocked = with_rule(&report, "blocked-host");
    for (url, output, source) in expected {
        let hits: Vec<&&Value> = blocked.iter().filter(|f| f["url"] == *url).collect();
        assert_eq!(
            hits.len(),
            1,
            "{url} must be flagged exactly once: {report:#}"
        );
        let hit = hits[0];
        assert_eq!(hit["severity"], "error");
        let out = hit["output"].as_str().unwrap();
        assert!(
            out.starts_with(output),
            "{url}: output {out}, expected {output}"
        );
        assert!(
            hit["also_in"].as_array().unwrap().is_empty(),
            "{url}: {hit:#}"
        );
        assert!(
            ends_with(&hit["source"], source),
            "{url}: source {}, expected {source}",
            hit["source"]
        );
        // The source line is the line of that file that holds the reference as written.
        let written = url.replace("&display", "&amp;display");
        let expect_line = line_of(&f.root().join(source), &written);
        assert_eq!(hit["line"], expect_line, "{url}: {hit:#}");
        assert!(hit["output_line"].as_u64().unwrap() >= 1);
        assert!(hit["help"].as_str().is_some_and(|h| !h.is_empty()));
    }
    assert_eq!(
        blocked.len(),
        expected.len(),
        "nothing else is flagged: {report:#}"
    );
    // Links, text mentions and the theme's own markup are not findings of any rule.
    assert_eq!(findings(&report).len(), expected.len(), "{report:#}");
    assert_eq!(report["errors"], expected.len() as u64);
    assert!(!f.out().exists(), "check writes nothing");
}

#[test]
fn output_lines_point_at_the_reference() {
    let f = blocked_site();
    let (_, report) = check_json(f.root());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    shopgen(&[
        "build",
        f.root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ])
    .assert_ok();
    for hit in with_rule(&report, "blocked-host") {
        let rel = hit["output"].as_str().unwrap();
        let text = std::fs::read_to_string(out.join(rel)).unwrap();
        let line = text
            .lines()
            .nth(hit["output_line"].as_u64().unwrap() as usize - 1)
            .unwrap();
        let url = hit["url"]
            .as_str()
            .unwrap()
            .replace("&display", "&amp;display");
        assert!(
            line.contains(&url),
            "{rel}:{} does not hold {url}: {line}",
            hit["output_line"]
        );
    }
}

#[test]
fn text_report_names_source_line_and_output() {
    let f = blocked_site();
    let run = shopgen(&["check", f.root().to_str().unwrap()]);
    assert_eq!(run.out.status.code(), Some(1));
    let text = run.stdout();
    let src = f.root().join("content/products/p.md");
    let line = line_of(&src, "google-analytics");
    assert!(text.contains("error[blocked-host]: <script src> loads `https://www.google-analytics.com/analytics.js`"), "{text}");
    assert!(
        text.contains(&format!("--> {}:{line}:", src.display())),
        "{text}"
    );
    assert!(text.contains("in output products/p/index.html:"), "{text}");
    assert!(
        text.contains("help: set `analytics.baidu_tongji`"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("27 errors, 0 warnings"), "{text}");
}

const CLEAN_BODY: &str = r##"我们的视频在 YouTube（www.youtube.com）和 Facebook 上也有，字体不用 fonts.googleapis.com。

<a href="https://www.youtube.com/watch?v=abc">YouTube</a> <a href="https://twitter.com/shop">Twitter</a>
<a href="../../about/">关于</a> <a href="/about">关于</a> <a href="/about/#team">团队</a> <a href="/products/?from=x">全部</a>
<a href="#top">顶部</a> <a href="mailto:kf@example.cn">邮件</a> <a href="tel:4008000000">电话</a> <a href="weixin://dl/chat">微信</a>

<img src="/images/ok.png" srcset="/images/ok.png 1x, /images/ok%402x.png 2x" alt="ok">
<div style="background: url(/images/ok.png)">本地背景</div>
<iframe src="https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&amp;page=1" allowfullscreen></iframe>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
<!-- <script src="https://www.google-analytics.com/analytics.js"></script> -->

<style>
.y { background: url(/images/ok.png) }
</style>

```html
<script src="https://www.google-analytics.com/analytics.js"></script>
```

![细节](images/detail.png)
"##;

fn clean_site(shop_yaml: &str) -> Fixture {
    let f = Fixture::new(shop_yaml);
    f.product("p.md", &product_fm("托特包", "199", "女包", 1), CLEAN_BODY);
    f.write(
        "content/pages/about.md",
        "---\ntitle: 关于\n---\n品牌故事。\n",
    );
    f.write("static/images/ok.png", "png");
    f.write("static/images/ok@2x.png", "png");
    // A photo the Markdown shows: published as variants, which the check finds in place.
    f.write_bytes(
        "static/images/detail.png",
        &common::photos::alpha_png(64, 64),
    );
    f.write(
        "static/css/extra.css",
        "@import \"more.css\";\n.a { background: url(../images/ok.png) }\n",
    );
    f.write("static/css/more.css", ".b { color: red }\n");
    f
}

#[test]
fn a_clean_site_has_no_findings() {
    let f = clean_site(SHOP_YAML);
    let (code, report) = check_json(f.root());
    assert_eq!(findings(&report).len(), 0, "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(
        (report["errors"].as_u64(), report["warnings"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(report["files_checked"].as_u64().unwrap() >= 6, "{report:#}");
    let run = shopgen(&["check", f.root().to_str().unwrap()]);
    assert!(run.ok());
    assert!(
        run.stdout().contains("no problems found"),
        "{}",
        run.stdout()
    );
    assert!(!f.out().exists(), "check writes nothing");
}

#[test]
fn mixed_content_broken_links_and_missing_files() {
    let f = Fixture::new(SHOP_YAML);
    f.product(
        "p.md",
        &product_fm("托特包", "199", "女包", 1),
        concat!(
            "<img src=\"http://img.example.cn/a.jpg\" alt=\"mixed\">\n",
            "<iframe src=\"http://player.example.cn/v\"></iframe>\n",
            "<a href=\"http://www.example.com/\">a plain http link is fine</a>\n",
            "<a href=\"/products/nope/\">broken</a>\n",
            "<a href=\"../gone/\">broken relative</a>\n",
            "<img src=\"/images/missing.png\" alt=\"missing\">\n",
            "\n![细节](images/missing-md.png)\n",
        ),
    );
    f.write(
        "static/css/extra.css",
        "a { color: red }\n.b { background: url(missing-bg.png) }\n",
    );
    let (code, report) = check_json(f.root());
    assert_eq!(code, 1);
    let src = f.root().join("content/products/p.md");
    let mixed = with_rule(&report, "mixed-content");
    let urls: Vec<&str> = mixed.iter().map(|m| m["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        ["http://img.example.cn/a.jpg", "http://player.example.cn/v"],
        "{report:#}"
    );
    assert_eq!(mixed[0]["line"], line_of(&src, "img.example.cn"));
    let broken = with_rule(&report, "broken-link");
    let urls: Vec<&str> = broken.iter().map(|m| m["url"].as_str().unwrap()).collect();
    assert_eq!(urls, ["/products/nope/", "../gone/"], "{report:#}");
    assert!(
        broken[1]["message"]
            .as_str()
            .unwrap()
            .contains("products/gone/index.html"),
        "{report:#}"
    );
    assert_eq!(broken[1]["line"], line_of(&src, "../gone/"));
    let missing = with_rule(&report, "missing-file");
    let got: Vec<(&str, &str)> = missing
        .iter()
        .map(|m| (m["url"].as_str().unwrap(), m["output"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("/images/missing.png", "products/p/index.html"),
            ("/images/missing-md.png", "products/p/index.html"),
            ("missing-bg.png", "css/extra.css"),
        ],
        "{report:#}"
    );
    assert_eq!(
        missing[1]["line"],
        line_of(&src, "missing-md.png"),
        "Markdown image traced to its line"
    );
    assert!(ends_with(&missing[2]["source"], "static/css/extra.css"));
    assert_eq!(missing[2]["line"], 2);
    assert_eq!(findings(&report).len(), 7, "{report:#}");
}

#[test]
fn http_site_has_no_mixed_content() {
    let f = Fixture::new(&SHOP_YAML.replace("https://shop.example.cn", "http://shop.example.cn"));
    f.product(
        "p.md",
        &product_fm("托特包", "199", "女包", 1),
        "<img src=\"http://img.example.cn/a.jpg\" alt=\"\">\n",
    );
    let (code, report) = check_json(f.root());
    assert_eq!((code, findings(&report).len()), (0, 0), "{report:#}");
}

#[test]
fn links_respect_the_base_path() {
    let f = Fixture::new(
        &SHOP_YAML.replace("https://shop.example.cn", "https://shop.example.cn/shop/"),
    );
    f.product(
        "p.md",
        &product_fm("托特包", "199", "女包", 1),
        "<a href=\"/shop/about/\">ok</a> <a href=\"../../about/\">ok</a> <a href=\"https://shop.example.cn/shop/products/p/\">ok</a> <img src=\"/shop/images/ok.png\" alt=\"\">\n\n![x](images/photo.png)\n\n<a href=\"/about/\">outside</a>\n",
    );
    f.write(
        "content/pages/about.md",
        "---\ntitle: 关于\n---\n品牌故事。\n",
    );
    f.write("static/images/ok.png", "png");
    f.write_bytes(
        "static/images/photo.png",
        &common::photos::alpha_png(32, 32),
    );
    let (code, report) = check_json(f.root());
    assert_eq!(code, 1);
    let all = findings(&report);
    assert_eq!(all.len(), 1, "{report:#}");
    assert_eq!(all[0]["rule"], "broken-link");
    assert_eq!(all[0]["url"], "/about/");
    assert!(
        all[0]["message"]
            .as_str()
            .unwrap()
            .contains("outside the site's base path `/shop/`")
    );
}

#[test]
fn mainland_home_page_needs_the_icp_link() {
    let f = clean_site(SHOP_YAML);
    f.write(
        "templates/partials/footer.html",
        "<footer><p>页脚</p></footer>\n",
    );
    let (code, report) = check_json(f.root());
    assert_eq!(code, 1);
    let icp = with_rule(&report, "icp-link");
    assert_eq!(icp.len(), 1, "{report:#}");
    assert_eq!(icp[0]["output"], "index.html");
    assert!(
        icp[0]["message"]
            .as_str()
            .unwrap()
            .contains("<a href=\"https://beian.miit.gov.cn/\">京ICP备12345678号-1</a>")
    );
    assert!(ends_with(&icp[0]["source"], "shop.yaml"));
    assert_eq!(icp[0]["line"], line_of(&f.root().join("shop.yaml"), "icp:"));
    assert_eq!(findings(&report).len(), 1, "{report:#}");

    // A link whose text is not the configured number does not count.
    f.write(
        "templates/partials/footer.html",
        "<footer><a href=\"https://beian.miit.gov.cn/\" target=\"_blank\">ICP备案</a></footer>\n",
    );
    let (code, report) = check_json(f.root());
    assert_eq!(code, 1);
    let icp = with_rule(&report, "icp-link");
    assert_eq!(icp.len(), 1, "{report:#}");
    assert!(
        icp[0]["message"]
            .as_str()
            .unwrap()
            .contains("reads `ICP备案`"),
        "{report:#}"
    );
    assert!(ends_with(
        &icp[0]["source"],
        "templates/partials/footer.html"
    ));
    assert_eq!(icp[0]["line"], 1);
}

const HK_YAML: &str = "title: 港店
base_url: https://shop.example.hk
language: zh-HK
currency: HKD
hosting:
  region: hongkong
";

#[test]
fn hong_kong_site_shows_no_filing_link() {
    let f = clean_site(HK_YAML);
    let (code, report) = check_json(f.root());
    // The fixture's copy is Simplified: on a Hong Kong site, that is all the check says.
    let simplified = with_rule(&report, "simplified-text");
    assert!(!simplified.is_empty(), "{report:#}");
    assert!(simplified.iter().all(|f| f["severity"] == "warning"));
    assert_eq!(
        (code, findings(&report).len() - simplified.len()),
        (0, 0),
        "{report:#}"
    );

    f.write(
        "templates/partials/footer.html",
        "<footer>\n<a href=\"https://beian.miit.gov.cn/\">京ICP备12345678号</a>\n</footer>\n",
    );
    let (code, report) = check_json(f.root());
    assert_eq!(code, 1);
    let icp = with_rule(&report, "icp-link");
    // One finding for the footer line, naming every page that shows it.
    assert_eq!(icp.len(), 1, "{report:#}");
    assert!(ends_with(
        &icp[0]["source"],
        "templates/partials/footer.html"
    ));
    assert_eq!(icp[0]["line"], 2);
    assert!(icp[0]["message"].as_str().unwrap().contains("Hong Kong"));
    let pages = 1 + icp[0]["also_in"].as_array().unwrap().len();
    assert!(pages >= 5, "home, product, page, listings: {report:#}");
    let simplified = with_rule(&report, "simplified-text").len();
    assert_eq!(findings(&report).len() - simplified, 1, "{report:#}");
}

#[test]
fn absolute_terms_are_warnings_with_file_and_line() {
    let f = clean_site(SHOP_YAML);
    f.product(
        "q.md",
        "title: 最好的托特包\nsubtitle: 意大利植鞣牛皮\nprice: 100\nbadges:\n  - 正品保证\n  - 全网最低价\ndescription: 国家级工艺\ntags: [最佳]\nspecs: [{ name: 等级, value: 顶级 }]\n",
        "最近上新，第一次买皮具也放心。\n\n这是销量第一的包，NO.1 好物。\n",
    );
    let src = f.root().join("content/products/q.md");
    let (code, report) = check_json(f.root());
    assert_eq!(code, 0, "warnings alone pass: {report:#}");
    let terms = with_rule(&report, "absolute-term");
    let got: Vec<(u64, u64, String)> = terms
        .iter()
        .map(|t| {
            assert_eq!(t["severity"], "warning");
            assert_eq!(t["output"], "products/q/index.html");
            assert!(ends_with(&t["source"], "content/products/q.md"));
            let m = t["message"].as_str().unwrap();
            let word = m.split('`').nth(1).unwrap().to_string();
            (
                t["line"].as_u64().unwrap(),
                t["column"].as_u64().unwrap(),
                word,
            )
        })
        .collect();
    let body = line_of(&src, "销量第一");
    assert_eq!(
        got,
        [
            (line_of(&src, "title: 最好"), 8, "最好".to_string()),
            (line_of(&src, "全网最低价"), 5, "全网最低价".to_string()),
            (line_of(&src, "description:"), 14, "国家级".to_string()),
            (body, 5, "第一".to_string()),
            (body, 10, "NO.1".to_string()),
        ],
        "{report:#}"
    );
    assert_eq!(report["warnings"], 5);
    assert_eq!(report["errors"], 0);
    let text = shopgen(&["check", f.root().to_str().unwrap()]).stdout();
    assert!(
        text.contains("warning[absolute-term]: `最好` in the product's title"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "--> {}:{}:8",
            src.display(),
            line_of(&src, "title: 最好")
        )),
        "{text}"
    );
    assert!(text.trim_end().ends_with("0 errors, 5 warnings"), "{text}");
}

#[test]
fn json_report_has_every_field() {
    let f = blocked_site();
    let (_, report) = check_json(f.root());
    for key in ["site", "files_checked", "errors", "warnings", "findings"] {
        assert!(report.get(key).is_some(), "{key}");
    }
    for finding in findings(&report) {
        for key in [
            "severity",
            "rule",
            "message",
            "help",
            "url",
            "output",
            "output_line",
            "source",
            "line",
            "column",
            "also_in",
        ] {
            assert!(finding.get(key).is_some(), "{key} missing in {finding:#}");
        }
        assert!(matches!(
            finding["severity"].as_str(),
            Some("error" | "warning")
        ));
        assert!(finding["output"].is_string());
    }
}

#[test]
fn a_site_that_does_not_build_fails_the_check() {
    let f = Fixture::new(&SHOP_YAML.replace("  icp: 京ICP备12345678号-1\n", ""));
    f.product("p.md", &product_fm("托特包", "199", "女包", 1), "正文\n");
    let (code, report) = check_json(f.root());
    assert_eq!(code, 1);
    let build = with_rule(&report, "build");
    assert_eq!(build.len(), 1, "{report:#}");
    assert!(ends_with(&build[0]["source"], "shop.yaml"));
    assert!(
        build[0]["message"].as_str().unwrap().contains("ICP"),
        "{report:#}"
    );
    assert!(build[0]["output"].is_null());
    let run = shopgen(&["check", f.root().to_str().unwrap()]);
    assert_eq!(run.out.status.code(), Some(1));
    assert!(run.stdout().contains("error[build]"), "{}", run.stdout());
}

#[test]
fn example_site_passes_its_own_check() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("example-site");
    for entry in walkdir::WalkDir::new(example_site()).into_iter().flatten() {
        let rel = entry.path().strip_prefix(example_site()).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let to = site.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let (code, report) = check_json(&site);
    assert_eq!(findings(&report).len(), 0, "{report:#}");
    assert_eq!(code, 0);
    assert!(
        report["files_checked"].as_u64().unwrap() >= 25,
        "{report:#}"
    );
    assert!(!site.join("public").exists(), "check writes nothing");
}

#[test]
fn external_css_import_in_a_site_stylesheet_is_a_blocked_host() {
    let f = clean_site(SHOP_YAML);
    let theme_main = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/meigong/styles/main.css"),
    )
    .unwrap();
    f.write(
        "styles/main.css",
        &format!(
            "@import url(\"https://fonts.googleapis.com/css2?family=Noto+Sans+SC\");\n{theme_main}"
        ),
    );
    let (code, report) = check_json(f.root());
    assert_eq!(code, 1);
    let blocked = with_rule(&report, "blocked-host");
    assert_eq!(blocked.len(), 1, "{report:#}");
    assert!(
        blocked[0]["url"]
            .as_str()
            .unwrap()
            .contains("fonts.googleapis.com")
    );
    assert!(
        with_rule(&report, "build").is_empty(),
        "the site still builds: {report:#}"
    );
}

/// What the standard snippets and other loading forms look like in a page's Markdown.
const LOADERS_BODY: &str = r##"正文。

<script>
(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){
(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),
m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)
})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');
</script>
<script>(function(w,d,s,l,i){var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i;f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-XXXX');</script>
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-XXXX" height="0" width="0"></iframe></noscript>
<script>fetch("https://graph.facebook.com/v1/x"); import("//cdn.jsdelivr.net/npm/x.js");</script>
<iframe srcdoc="&lt;img src=&quot;https://i.ytimg.com/vi/x/0.jpg&quot;&gt;"></iframe>
<svg><script href="https://unpkg.com/x.js"></script></svg>
<link rel="stylesheet" href="data:text/css,@import%20url(https://fonts.googleapis.com/css2?family=Inter);">
<img src="https://www.google.com.hk/logo.png" alt="">
<img src="https://maps.google.co.jp/x.png" alt="">
"##;

#[test]
fn check_sees_what_the_browser_loads() {
    let f = Fixture::new(SHOP_YAML);
    f.product(
        "p.md",
        &product_fm("托特包", "199", "女包", 1),
        LOADERS_BODY,
    );
    // A base element pointing elsewhere makes every relative URL load from there.
    f.write(
        "content/products/base.md",
        &format!(
            "---\n{}---\n<base href=\"https://www.google.co.jp/\">\n",
            product_fm("钱包", "99", "女包", 2)
        ),
    );
    let (code, report) = check_json(f.root());
    assert_eq!(code, 1);
    let blocked: Vec<&str> = with_rule(&report, "blocked-host")
        .iter()
        .map(|f| f["url"].as_str().unwrap())
        .collect();
    for want in [
        "https://www.google-analytics.com/analytics.js",
        "https://www.googletagmanager.com/gtm.js?id=",
        "https://www.googletagmanager.com/ns.html?id=GTM-XXXX",
        "https://graph.facebook.com/v1/x",
        "//cdn.jsdelivr.net/npm/x.js",
        "https://i.ytimg.com/vi/x/0.jpg",
        "https://unpkg.com/x.js",
        "https://fonts.googleapis.com/css2?family=Inter",
        "https://www.google.com.hk/logo.png",
        "https://maps.google.co.jp/x.png",
        "https://www.google.co.jp/",
    ] {
        assert!(
            blocked.contains(&want),
            "{want} not flagged; flagged: {blocked:#?}"
        );
    }
    // Each is traced to the product file it was written in.
    for f in with_rule(&report, "blocked-host") {
        assert!(
            ends_with(&f["source"], "content/products/p.md")
                || ends_with(&f["source"], "content/products/base.md"),
            "{f:#}"
        );
    }
}

#[test]
fn scripts_that_load_from_own_origin_baidu_bilibili_and_aliyun_are_fine() {
    let f = Fixture::new(SHOP_YAML);
    f.product(
        "p.md",
        &product_fm("托特包", "199", "女包", 1),
        r##"正文，提到 https://www.google.com 只是文字。

<script>
var _hmt = _hmt || [];
(function() { var hm = document.createElement("script"); hm.src = "https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef";
  var s = document.getElementsByTagName("script")[0]; s.parentNode.insertBefore(hm, s); })();
fetch("/products/"); fetch("https://shop.example.cn/sitemap.xml");
var player = "//player.bilibili.com/player.html?bvid=BV1xx411c7mD";
var img = 'https://my-shop.oss-cn-hangzhou.aliyuncs.com/a.jpg';
// "https://www.google-analytics.com/analytics.js" in a comment
</script>
<script type="application/ld+json">{"sameAs": ["https://twitter.com/shop"]}</script>
<noscript><p>请开启 JavaScript，或访问 <a href="https://www.youtube.com/">YouTube</a>。</p></noscript>
<a href="https://www.google.com.hk/">Google</a>
"##,
    );
    let (code, report) = check_json(f.root());
    assert_eq!(findings(&report).len(), 0, "{report:#}");
    assert_eq!(code, 0);
}
