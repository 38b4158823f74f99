//! Hosting-region rules, filing numbers in the footer, Baidu and WeChat head tags.

mod common;
use common::*;

const HK_YAML: &str = "title: 港島皮具
base_url: https://shop.example.hk
language: zh-HK
currency: HKD
hosting:
  region: hongkong
";

fn with_product(yaml: &str) -> Fixture {
    let f = Fixture::new(yaml);
    f.product(
        "a.md",
        "title: 托特包\nprice: 1299\noriginal_price: 1599\ncategory: 女包\n",
        "正文\n",
    );
    f
}

#[test]
fn example_site_footer_links_the_filings() {
    let (_tmp, out) = build_example_site();
    for page in [
        "index.html",
        "products/zhen-pi-tuo-te-bao/index.html",
        "about/index.html",
        "404.html",
        "categories/nv-bao/index.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            html.contains(r#"<a class="beian-icp" href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">浙ICP备2024123456号-1</a>"#),
            "{page}: ICP link"
        );
        assert!(
            html.contains(r#"href="https://beian.mps.gov.cn/#/query/webSearch?code=33010602012345" target="_blank" rel="noopener noreferrer""#),
            "{page}: public-security link"
        );
        assert!(
            html.contains("images/beian-police.svg"),
            "{page}: police badge"
        );
        assert!(html.contains("浙公网安备33010602012345号"), "{page}");
        assert!(html.contains("浙B2-20240567"), "{page}: licence line");
        assert!(
            html.contains(r#"<meta name="applicable-device" content="pc,mobile">"#),
            "{page}"
        );
        assert!(
            html.contains(r#"<meta http-equiv="Cache-Control" content="no-transform">"#),
            "{page}"
        );
        assert!(
            html.contains(r#"<meta http-equiv="Cache-Control" content="no-siteapp">"#),
            "{page}"
        );
        assert!(
            html.contains(r#"<meta name="baidu-site-verification" content="codeva-Sh4nChu4nL3">"#),
            "{page}"
        );
        assert!(
            html.contains(r#"<meta property="og:title""#)
                && html.contains(r#"<meta property="og:url""#),
            "{page}: Open Graph"
        );
        assert!(
            !html.contains("hm.baidu.com"),
            "{page}: no Tongji without an id"
        );
    }
    assert!(
        out.join("images/beian-police.svg").is_file(),
        "badge shipped locally"
    );
    let product =
        std::fs::read_to_string(out.join("products/zhen-pi-tuo-te-bao/index.html")).unwrap();
    assert!(
        product.contains(
            r#"<meta property="og:image" content="https://www.shanchuan.example.cn/assets/img/images/"#
        ),
        "product og:image is absolute"
    );
    let urls = std::fs::read_to_string(out.join("urls.txt")).unwrap();
    assert!(
        urls.lines()
            .any(|l| l == "https://www.shanchuan.example.cn/products/zhen-pi-tuo-te-bao/")
    );
    assert_eq!(
        urls.lines().count(),
        std::fs::read_to_string(out.join("sitemap.xml"))
            .unwrap()
            .matches("<loc>")
            .count()
    );
}

#[test]
fn mainland_without_icp_does_not_build() {
    let f = with_product(&SHOP_YAML.replace("  icp: 京ICP备12345678号-1\n", ""));
    let run = f.build(&[]);
    assert!(!run.ok());
    let e = run.stderr();
    assert!(e.contains("shop.yaml") && e.contains("hosting.icp"), "{e}");
    assert!(
        e.contains("ICP备") && e.contains("号-1"),
        "shows a valid number: {e}"
    );
    assert!(!f.out().exists());
}

#[test]
fn invalid_icp_names_the_line() {
    let f = with_product(&SHOP_YAML.replace("京ICP备12345678号-1", "云ICP备12345678号"));
    let run = f.build(&[]);
    assert!(!run.ok());
    let e = run.stderr();
    assert!(e.contains("shop.yaml:7") && e.contains("滇"), "{e}");
}

#[test]
fn invalid_gongan_is_an_error() {
    let f = with_product(&format!(
        "{SHOP_YAML}  gongan: 京公网安备44010502001297号\n"
    ));
    let run = f.build(&[]);
    assert!(!run.ok());
    assert!(
        run.stderr().contains("hosting.gongan") && run.stderr().contains("粤"),
        "{}",
        run.stderr()
    );
}

#[test]
fn legacy_province_character_warns_but_builds() {
    let f = with_product(&SHOP_YAML.replace("京ICP备12345678号-1", "川ICP备09150084号"));
    let run = f.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr().contains("warning:") && run.stderr().contains("蜀"),
        "{}",
        run.stderr()
    );
}

#[test]
fn hong_kong_site_shows_no_filing_anywhere() {
    let f = with_product(HK_YAML);
    f.build(&[]).assert_ok();
    for e in walkdir::WalkDir::new(f.out()).into_iter().flatten() {
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html") {
            let html = std::fs::read_to_string(e.path()).unwrap();
            for bad in [
                "ICP",
                "beian.miit.gov.cn",
                "beian.mps.gov.cn",
                "公网安备",
                "beian-police",
            ] {
                assert!(!html.contains(bad), "{}: {bad}", e.path().display());
            }
            assert!(html.contains("lang=\"zh-HK\""));
        }
    }
    assert!(f.read("products/a/index.html").contains("HK$1,299.00"));
}

#[test]
fn icp_on_a_hong_kong_site_needs_the_cdn_flag() {
    let yaml = format!("{HK_YAML}  icp: 粤ICP备04000001号\n");
    let run = with_product(&yaml).build(&[]);
    assert!(!run.ok());
    assert!(run.stderr().contains("mainland_cdn"), "{}", run.stderr());
    let f = with_product(&format!("{yaml}  mainland_cdn: true\n"));
    f.build(&[]).assert_ok();
    assert!(f.read("index.html").contains(">粤ICP备04000001号</a>"));
}

#[test]
fn deploy_region_must_match_hosting_region() {
    let run = with_product(&format!(
        "{SHOP_YAML}deploy: {{ provider: oss, bucket: my-shop, region: oss-cn-hongkong }}\n"
    ))
    .build(&[]);
    assert!(!run.ok());
    assert!(
        run.stderr().contains("oss-cn-hongkong is not mainland"),
        "{}",
        run.stderr()
    );
    let run = with_product(&format!(
        "{HK_YAML}deploy: {{ provider: oss, bucket: my-shop, region: oss-cn-shanghai }}\n"
    ))
    .build(&[]);
    assert!(!run.ok());
    with_product(&format!(
        "{HK_YAML}deploy: {{ provider: oss, bucket: my-shop, region: oss-cn-hongkong }}\n"
    ))
    .build(&[])
    .assert_ok();
}

#[test]
fn baidu_tongji_only_with_a_valid_id() {
    let f = with_product(&format!(
        "{SHOP_YAML}analytics: {{ baidu_tongji: 0123456789abcdef0123456789abcdef }}\n"
    ));
    f.build(&[]).assert_ok();
    assert!(
        f.read("index.html")
            .contains("hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef")
    );
    let run = with_product(&format!(
        "{SHOP_YAML}analytics: {{ baidu_tongji: UA-12345 }}\n"
    ))
    .build(&[]);
    assert!(!run.ok());
    assert!(
        run.stderr().contains("analytics.baidu_tongji"),
        "{}",
        run.stderr()
    );
}
