//! Buying in China: payment QR codes that scan back to the configured values, share links,
//! and clear errors for bad payment values.

mod common;
use common::*;

/// Every inline QR code on a page, decoded.
fn qr_codes(html: &str) -> Vec<String> {
    html.split("<svg")
        .skip(1)
        .filter(|s| {
            s.split('>')
                .next()
                .is_some_and(|open| open.contains("class=\"qr\""))
        })
        .map(|s| {
            let svg = format!("<svg{}", &s[..s.find("</svg>").expect("closed svg") + 6]);
            decode_svg(&svg)
                .unwrap_or_else(|| panic!("a QR code that does not scan: {}", &svg[..120]))
        })
        .collect()
}

fn decode_attr(s: &str) -> String {
    s.replace("&amp;", "&")
}

fn query_param(url: &str, key: &str) -> String {
    let q = url.split_once('?').unwrap().1;
    let v = q
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("{key} in {url}"));
    percent_encoding::percent_decode_str(v)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

#[test]
fn example_site_payment_and_share_codes_scan() {
    let (_tmp, out) = build_example_site();
    let html = std::fs::read_to_string(out.join("products/zhen-pi-tuo-te-bao/index.html")).unwrap();
    let codes = qr_codes(&html);
    assert!(
        codes.contains(&"wxp://f2f0AbCdEf123456".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"https://qr.alipay.com/fkx12345abcde".to_string()),
        "{codes:?}"
    );
    assert!(
        codes
            .contains(&"https://www.shanchuan.example.cn/products/zhen-pi-tuo-te-bao/".to_string()),
        "WeChat share code of the page: {codes:?}"
    );
    assert!(html.contains("¥1,299.00"), "amount beside the codes");

    let weibo = decode_attr(
        html.split("href=\"https://service.weibo.com/share/share.php?")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap(),
    );
    let weibo = format!("https://service.weibo.com/share/share.php?{weibo}");
    assert_eq!(
        query_param(&weibo, "url"),
        "https://www.shanchuan.example.cn/products/zhen-pi-tuo-te-bao/"
    );
    assert_eq!(query_param(&weibo, "title"), "真皮托特包");
    // The share picture is a published JPEG of the first photo (the original is not published).
    let pic = query_param(&weibo, "pic");
    assert!(
        pic.starts_with("https://www.shanchuan.example.cn/assets/img/images/products/tote-cognac-")
            && pic.ends_with(".jpg"),
        "{pic}"
    );
}

#[test]
fn product_payment_codes_override_the_site() {
    let f = Fixture::new(&format!(
        "{SHOP_YAML}payments: {{ alipay: \"https://qr.alipay.com/site1\", wechat: \"wxp://site2\", unionpay: \"https://qr.95516.com/site3\" }}\nshare: [weibo]\n"
    ));
    f.product(
        "a.md",
        "title: A\nprice: 88\npayments: { alipay: \"https://qr.alipay.com/own\" }\n",
        "",
    );
    f.product("b.md", "title: B\nprice: 99\n", "");
    f.build(&[]).assert_ok();
    let mut a = qr_codes(&f.read("products/a/index.html"));
    a.sort();
    assert_eq!(
        a,
        [
            "https://qr.95516.com/site3",
            "https://qr.alipay.com/own",
            "wxp://site2"
        ]
    );
    let mut b = qr_codes(&f.read("products/b/index.html"));
    b.sort();
    assert_eq!(
        b,
        [
            "https://qr.95516.com/site3",
            "https://qr.alipay.com/site1",
            "wxp://site2"
        ],
        "no WeChat share code: share has only weibo"
    );
}

#[test]
fn bad_payment_values_are_errors_naming_the_field() {
    for (yaml, field) in [
        (
            "payments: { alipay: \"http://qr.alipay.com/x\" }\n",
            "payments.alipay",
        ),
        ("payments: { wechat: \"\" }\n", "payments.wechat"),
        (
            "payments: { unionpay: \"not a url\" }\n",
            "payments.unionpay",
        ),
        ("payments: { qr_color: \"#ffee00\" }\n", "payments.qr_color"),
    ] {
        let f = Fixture::new(&format!("{SHOP_YAML}{yaml}"));
        f.product("a.md", "title: A\nprice: 1\n", "");
        let run = f.build(&[]);
        assert!(!run.ok(), "{yaml}");
        assert!(
            run.stderr().contains(field) && run.stderr().contains("shop.yaml:"),
            "{yaml}: {}",
            run.stderr()
        );
    }
    let f = Fixture::new(SHOP_YAML);
    f.product(
        "a.md",
        "title: A\nprice: 1\npayments:\n  wechat: weixin://nope\n",
        "",
    );
    let run = f.build(&[]);
    assert!(!run.ok());
    assert!(
        run.stderr().contains("a.md:5") && run.stderr().contains("payments.wechat"),
        "{}",
        run.stderr()
    );
}
