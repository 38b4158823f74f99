//! The meigong theme's order helper: the markup and files its script reads, and the order
//! message rules of `themes/meigong/scripts/order-examples.json`, mirrored here with the core's
//! own price format so that the script, the examples and the shop's prices agree.

mod common;
use common::*;
use serde_json::Value;
use shopgen::content::price::Fen;

/// Level names of the division dataset that are not places (北京市 市辖区 东城区).
const NOT_PLACES: [&str; 4] = [
    "市辖区",
    "县",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
];

/// The rules of order-examples.json, written out in Rust.
fn compose(o: &Value) -> String {
    let label = |k: &str| {
        o["labels"][k]
            .as_str()
            .unwrap_or_else(|| panic!("label {k}"))
    };
    let text = |k: &str| o[k].as_str().unwrap_or("");
    let c = label("colon");
    let fen = o["fen"].as_u64().unwrap();
    let qty = o["quantity"].as_u64().unwrap();
    let money = |f: u64| Fen(f).display(text("currency"), o["hideZeroCents"].as_bool().unwrap());
    let mut lines = vec![
        label("greeting").to_string(),
        format!("{}{c}{}", label("product"), text("title")),
    ];
    if !text("sku").is_empty() {
        lines.push(format!("{}{c}{}", label("sku"), text("sku")));
    }
    for opt in o["options"].as_array().unwrap() {
        let v = opt["value"].as_str().unwrap();
        let v = if v.is_empty() { label("unselected") } else { v };
        lines.push(format!("{}{c}{v}", opt["name"].as_str().unwrap()));
    }
    let unit = match label("unit") {
        "" => String::new(),
        u => format!(" {u}"),
    };
    lines.push(format!("{}{c}{qty}{unit}", label("quantity")));
    lines.push(format!("{}{c}{}", label("unitPrice"), money(fen)));
    lines.push(format!("{}{c}{}", label("total"), money(fen * qty)));
    let region: Vec<&str> = o["region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .filter(|n| !n.is_empty() && !NOT_PLACES.contains(n))
        .collect();
    if !region.is_empty() {
        lines.push(format!("{}{c}{}", label("region"), region.join(" ")));
    }
    if !text("url").is_empty() {
        lines.push(format!("{}{c}{}", label("link"), text("url")));
    }
    lines.join("\n")
}

#[test]
fn order_message_examples_follow_the_rules() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/meigong/scripts/order-examples.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let examples = doc["examples"].as_array().unwrap();
    assert!(examples.len() >= 3);
    for ex in examples {
        assert_eq!(
            compose(&ex["input"]),
            ex["output"].as_str().unwrap(),
            "{}",
            ex["name"]
        );
    }
}

#[test]
fn product_page_carries_what_the_script_reads() {
    for (extra, hide) in [("", ""), ("price:\n  hide_zero_cents: true\n", "1")] {
        let yaml = SHOP_YAML.replace("https://shop.example.cn", "https://shop.example.cn/shop/");
        let f = Fixture::new(&format!(
            "{yaml}{extra}contact: {{ wechat: kf_test, phone: 400-000-0000 }}\npayments: {{ wechat: \"wxp://f2f0test\" }}\n"
        ));
        f.product(
            "a.md",
            "title: 托特包\nprice: 1299\nsku: T-1\nstock: 5\nfapiao: true\nvariants:\n  - { name: 颜色, options: [棕, 黑] }\n  - { name: 尺寸, options: [大] }\n",
            "",
        );
        f.product("b.md", "title: 售罄\nprice: 10\nstock: 0\n", "");
        f.build(&[]).assert_ok();
        let p = f.read("products/a/index.html");
        for want in [
            r#"<script src="/shop/assets/js/shop."#,
            r#".js" id="shop-js" defer data-search-js="/shop/assets/js/search."#,
            r#"data-regions="/shop/assets/data/cn-regions."#,
            r#"data-fen="129900""#,
            r#"data-cur="¥""#,
            &format!(r#"data-hide="{hide}""#),
            r#"data-sku="T-1""#,
            r#"data-url="https://shop.example.cn/shop/products/a/""#,
            r#"<input type="radio" name="opt1" value="棕">"#,
            r#"<input type="radio" name="opt2" value="大" checked>"#,
            r#"name="qty" type="number" inputmode="numeric" min="1" max="5" value="1""#,
            r#"data-copy="kf_test""#,
            r#"id="fapiao""#,
            "增值税专用发票",
            "纳税人识别号",
            "开户银行",
            r#"<li class="tag">可开发票</li>"#,
        ] {
            assert!(p.contains(want), "{want} missing from the product page");
        }
        assert!(
            p.matches("data-total").count() >= 3,
            "totals beside the price, the codes and in the buy bar"
        );
        let sold_out = f.read("products/b/index.html");
        assert!(
            !sold_out.contains(r#"name="qty""#),
            "no quantity when sold out"
        );

        // Scripts and data are published under fingerprinted names, linked from the page.
        let linked = |attr: &str| -> String {
            let at = p.find(attr).unwrap_or_else(|| panic!("{attr} missing")) + attr.len();
            let url = &p[at..at + p[at..].find('"').unwrap()];
            url.strip_prefix("/shop/").unwrap().to_string()
        };
        let script = linked(r#"<script src=""#);
        assert!(f.out().join(&script).is_file(), "{script} not written");
        assert!(
            !f.out().join("js/shop.js").exists(),
            "no unfingerprinted copy"
        );
        let regions: Value = serde_json::from_str(&f.read(&linked(r#"data-regions=""#))).unwrap();
        let provinces = regions.as_array().unwrap();
        assert_eq!(provinces.len(), 31);
        let zhejiang = provinces.iter().find(|p| p[0] == "33浙江省").unwrap();
        let hangzhou = zhejiang[1]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[0] == "01杭州市")
            .unwrap();
        assert!(
            hangzhou[1]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d == "06西湖区"),
            "330106 西湖区"
        );
    }
}
