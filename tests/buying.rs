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

/// A mainland shop with a Hong Kong side that has its own payment methods.
fn hong_kong_payments(wechat_kind: &str) -> Fixture {
    let f = Fixture::new(&format!(
        "{SHOP_YAML}contact: {{ wechat: shanchuan-kf }}\n\
         payments: {{ alipay: \"https://qr.alipay.com/cn1\", wechat: \"wxp://cn2\"{wechat_kind} }}\n\
         languages:\n  zh-HK:\n    path: hk\n    currency: HKD\n    from: zh-CN\n    payments:\n\
         \x20     fps: {{ id: \"1234567\", phone: \"+852 9123 4567\", email: pay@shanchuan.hk, name: 山川皮具有限公司 }}\n\
         \x20     payme: https://payme.hsbc/shanchuan\n\
         \x20     alipay_hk: https://qr.alipay.hk/281004ABCDEFG\n\
         \x20     wechat_hk: wxp://f2f1HkCode123\n"
    ));
    f.product("a.md", "title: 钱包\nprice: 88\nprices: { HKD: 99 }\n", "");
    f
}

#[test]
fn hong_kong_pages_show_hong_kong_payments() {
    let f = hong_kong_payments("");
    f.build(&[]).assert_ok();
    let hk = f.read("hk/products/a/index.html");
    let mut codes = qr_codes(&hk);
    codes.retain(|c| !c.starts_with("https://shop.example.cn/"));
    assert_eq!(
        codes,
        [
            "https://payme.hsbc/shanchuan",
            "https://qr.alipay.hk/281004ABCDEFG",
            "wxp://f2f1HkCode123"
        ],
        "the Hong Kong codes, in order, and none of the mainland's"
    );
    // FPS: each proxy to copy, and the payee's name to check.
    for v in ["1234567", "+852 9123 4567", "pay@shanchuan.hk"] {
        assert!(
            hk.contains(&format!("data-copy=\"{v}\"")),
            "copy button for {v}"
        );
    }
    assert!(hk.contains("轉數快 FPS") && hk.contains("山川皮具有限公司"));
    assert!(
        hk.contains("href=\"https://payme.hsbc/shanchuan\""),
        "PayMe opens its app"
    );
    assert!(hk.contains("HK$99"));
    // The mainland page keeps the mainland's.
    let mut cn = qr_codes(&f.read("products/a/index.html"));
    cn.retain(|c| !c.starts_with("https://shop.example.cn/"));
    assert_eq!(cn, ["wxp://cn2", "https://qr.alipay.com/cn1"]);
    assert!(!f.read("products/a/index.html").contains("FPS"));
}

#[test]
fn a_personal_wechat_code_leads_with_the_order_and_is_warned_once() {
    let f = hong_kong_payments("");
    f.build(&[]).assert_ok();
    let cn = f.read("products/a/index.html");
    // Personal (the default): the panel leads with sending the order, and never says to
    // press and hold the code.
    assert!(cn.contains("class=\"pay-panel box wx-personal\""));
    assert!(cn.contains("<div class=\"pay-lead\">") && cn.contains("href=\"#order\""));
    assert!(cn.contains("data-copy=\"shanchuan-kf\""));
    assert!(!cn.contains("长按二维码，选择"), "no long-press advice");
    let run = shopgen(&["check", f.root().to_str().unwrap()]);
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert!(run.ok(), "{out}");
    assert_eq!(out.matches("warning[wechat-personal]").count(), 1, "{out}");
    assert!(out.contains("shop.yaml:"), "{out}");

    // A merchant's code: long-press works, so the page says so, and check is quiet.
    let f = hong_kong_payments(", wechat_kind: merchant");
    f.build(&[]).assert_ok();
    let cn = f.read("products/a/index.html");
    assert!(!cn.contains("wx-personal") && !cn.contains("pay-lead"));
    assert!(cn.contains("长按二维码，选择“识别图中二维码”付款"));
    let run = shopgen(&["check", f.root().to_str().unwrap()]);
    let out = format!("{}{}", run.stdout(), run.stderr());
    // The Hong Kong side's own payments have no kind of their own: personal.
    assert_eq!(out.matches("warning[wechat-personal]").count(), 1, "{out}");
    assert!(out.contains("languages.zh-HK.payments"), "{out}");
}

#[test]
fn bad_hong_kong_payment_values_name_the_field() {
    let f = Fixture::new(&format!(
        "{SHOP_YAML}languages:\n  zh-HK:\n    path: hk\n    from: zh-CN\n    payments:\n      fps: {{ phone: \"12345\" }}\n"
    ));
    f.product("a.md", "title: A\nprice: 1\n", "");
    let run = f.build(&[]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(err.contains("languages.zh-HK.payments.fps.phone"), "{err}");
    assert!(err.contains("shop.yaml:"), "{err}");
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
