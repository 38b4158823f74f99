//! `shopgen import shopify`: both header layouts of Shopify's product CSV, photos downloaded
//! from a server on 127.0.0.1 (or taken from a folder), safe reruns, bad input, and the
//! imported shop built end to end.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::{Fixture, SHOP_YAML, shopgen};

const OLD: &[&str] = &[
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Fulfillment Service",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Requires Shipping",
    "Variant Taxable",
    "Variant Barcode",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Gift Card",
    "SEO Title",
    "SEO Description",
    "Variant Image",
    "Variant Weight Unit",
    "Cost per item",
    "Status",
];

const NEW: &[&str] = &[
    "Title",
    "URL handle",
    "Description",
    "Vendor",
    "Product category",
    "Type",
    "Tags",
    "Published on online store",
    "Status",
    "SKU",
    "Barcode",
    "Option1 name",
    "Option1 value",
    "Option2 name",
    "Option2 value",
    "Option3 name",
    "Option3 value",
    "Price",
    "Compare-at price",
    "Cost per item",
    "Charge tax",
    "Tax code",
    "Inventory tracker",
    "Inventory quantity",
    "Continue selling when out of stock",
    "Weight value (grams)",
    "Weight unit for display",
    "Requires shipping",
    "Fulfillment service",
    "Product image URL",
    "Image position",
    "Image alt text",
    "Variant image URL",
    "Gift card",
    "SEO title",
    "SEO description",
];

/// The layout's name for each of the fields the rows below give.
fn names(new: bool) -> HashMap<&'static str, &'static str> {
    let pairs: &[(&str, &str, &str)] = &[
        ("handle", "Handle", "URL handle"),
        ("title", "Title", "Title"),
        ("body", "Body (HTML)", "Description"),
        ("vendor", "Vendor", "Vendor"),
        ("type", "Type", "Type"),
        ("tags", "Tags", "Tags"),
        ("published", "Published", "Published on online store"),
        ("o1", "Option1 Name", "Option1 name"),
        ("v1", "Option1 Value", "Option1 value"),
        ("o2", "Option2 Name", "Option2 name"),
        ("v2", "Option2 Value", "Option2 value"),
        ("sku", "Variant SKU", "SKU"),
        ("grams", "Variant Grams", "Weight value (grams)"),
        ("tracker", "Variant Inventory Tracker", "Inventory tracker"),
        ("qty", "Variant Inventory Qty", "Inventory quantity"),
        ("price", "Variant Price", "Price"),
        ("compare", "Variant Compare At Price", "Compare-at price"),
        ("img", "Image Src", "Product image URL"),
        ("pos", "Image Position", "Image position"),
        ("vimg", "Variant Image", "Variant image URL"),
        ("seo_title", "SEO Title", "SEO title"),
        ("seo_desc", "SEO Description", "SEO description"),
        ("status", "Status", "Status"),
    ];
    pairs
        .iter()
        .map(|(k, old, new_name)| (*k, if new { *new_name } else { *old }))
        .collect()
}

/// A Shopify export: a tote in two colours and two sizes (three variants, dearer large size,
/// one sold out), its gallery over continuation rows and per-colour photos; a belt without
/// options; a draft.
fn export(new: bool, base: &str) -> String {
    let header = if new { NEW } else { OLD };
    let n = names(new);
    let rows: Vec<Vec<(&str, String)>> = vec![
        vec![
            ("handle", "italian-leather-tote".into()),
            ("title", "Italian Leather Tote".into()),
            (
                "body",
                "<h2>Full-grain leather</h2><p onclick=\"x()\">Soft <strong>vegetable-tanned</strong> leather.</p><script>alert(1)</script><p><img src=\"{base}/files/stitch.jpg?v=3\" alt=\"stitch\"></p>".replace("{base}", base),
            ),
            ("vendor", "Serein".into()),
            ("type", "Bags".into()),
            ("tags", "leather, tote, 分类:女包".into()),
            ("published", "TRUE".into()),
            ("o1", "Color".into()),
            ("v1", "Black".into()),
            ("o2", "Size".into()),
            ("v2", "M".into()),
            ("sku", "SR-T-BK-M".into()),
            ("grams", "900".into()),
            ("tracker", "shopify".into()),
            ("qty", "5".into()),
            ("price", "1299.00".into()),
            ("compare", "1599.00".into()),
            ("img", format!("{base}/files/Tote_1.jpg?v=17")),
            ("pos", "1".into()),
            ("vimg", format!("{base}/files/Tote_1.jpg?v=17")),
            ("seo_title", "Italian Leather Tote | Serein".into()),
            ("seo_desc", "A tote for every day.".into()),
            ("status", "active".into()),
        ],
        vec![
            ("handle", "italian-leather-tote".into()),
            ("v1", "Black".into()),
            ("v2", "L".into()),
            ("sku", "SR-T-BK-L".into()),
            ("tracker", "shopify".into()),
            ("qty", "-2".into()),
            ("price", "1399.50".into()),
            ("compare", "1599.00".into()),
            ("img", format!("{base}/files/Tote_2.jpg?v=17")),
            ("pos", "2".into()),
        ],
        vec![
            ("handle", "italian-leather-tote".into()),
            ("v1", "Brown".into()),
            ("v2", "M".into()),
            ("sku", "SR-T-BR-M".into()),
            ("tracker", "shopify".into()),
            ("qty", "3".into()),
            ("price", "1299.00".into()),
            ("compare", "1599.00".into()),
            ("vimg", format!("{base}/files/tote-brown.jpg")),
        ],
        vec![
            ("handle", "italian-leather-tote".into()),
            ("img", format!("{base}/files/missing.jpg")),
            ("pos", "3".into()),
        ],
        vec![
            ("handle", "belt".into()),
            ("title", "Leather Belt".into()),
            ("body", "<p>A belt.</p>".into()),
            ("type", "Accessories".into()),
            ("published", "TRUE".into()),
            ("o1", "Title".into()),
            ("v1", "Default Title".into()),
            ("sku", "SR-B-1".into()),
            ("tracker", "shopify".into()),
            ("qty", "12".into()),
            ("price", "399".into()),
            ("img", format!("{base}/files/belt.jpg")),
            ("pos", "1".into()),
            ("status", "active".into()),
        ],
        vec![
            ("handle", "winter-scarf".into()),
            ("title", "Winter Scarf".into()),
            ("published", "FALSE".into()),
            ("o1", "Title".into()),
            ("v1", "Default Title".into()),
            ("price", "199.90".into()),
            ("status", "draft".into()),
        ],
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        let by: HashMap<&str, String> = r.into_iter().map(|(k, v)| (n[k], v)).collect();
        w.write_record(
            header
                .iter()
                .map(|h| by.get(h).cloned().unwrap_or_default()),
        )
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// An image host on 127.0.0.1: `/files/<name>` is a generated JPEG, except `missing.jpg`.
struct Host {
    base: String,
    requests: Arc<AtomicUsize>,
    paths: Arc<Mutex<Vec<String>>>,
}

impl Host {
    fn start() -> Host {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let paths = Arc::new(Mutex::new(Vec::new()));
        let (r, p) = (requests.clone(), paths.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (r, p) = (r.clone(), p.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap() <= 2 {
                            break;
                        }
                    }
                    r.fetch_add(1, Ordering::SeqCst);
                    let path = line.split(' ').nth(1).unwrap_or("").to_string();
                    p.lock().unwrap().push(path.clone());
                    let name = path.split('?').next().unwrap().rsplit('/').next().unwrap();
                    if name == "missing.jpg" {
                        let _ = stream.write_all(
                            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                        return;
                    }
                    let seed = name.bytes().map(u64::from).sum();
                    let body = common::photos::camera_jpeg(640, 480, 1, seed);
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                });
            }
        });
        Host {
            base,
            requests,
            paths,
        }
    }
}

fn import(f: &Fixture, csv: &str, extra: &[&str]) -> common::Run {
    f.write("export.csv", csv);
    let file = f.root().join("export.csv");
    let mut args = vec![
        "import",
        "shopify",
        file.to_str().unwrap(),
        f.root().to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    shopgen(&args)
}

fn check_tote(f: &Fixture) {
    let md =
        std::fs::read_to_string(f.root().join("content/products/italian-leather-tote.md")).unwrap();
    for s in [
        "title: Italian Leather Tote",
        "category: 女包",
        "SR-T-BK-L",
        "1399.50",
        "vendor: Serein",
        "seo_title: Italian Leather Tote | Serein",
        "description: A tote for every day.",
        "grams: \"900\"",
        "images/products/italian-leather-tote/Tote_1.jpg",
        "images/products/italian-leather-tote/tote-brown.jpg",
        "## Full-grain leather",
        "**vegetable-tanned**",
        "![stitch](images/products/italian-leather-tote/stitch.jpg)",
    ] {
        assert!(md.contains(s), "{s} in\n{md}");
    }
    for s in ["alert", "onclick", "missing.jpg", "分类:女包", "draft"] {
        assert!(!md.contains(s), "{s} in\n{md}");
    }
    for photo in ["Tote_1.jpg", "Tote_2.jpg", "tote-brown.jpg", "stitch.jpg"] {
        let p = f
            .root()
            .join("static/images/products/italian-leather-tote")
            .join(photo);
        assert!(std::fs::metadata(&p).unwrap().len() > 1000, "{photo}");
    }
    let scarf = std::fs::read_to_string(f.root().join("content/products/winter-scarf.md")).unwrap();
    assert!(
        scarf.contains("draft: true") && scarf.contains("price: \"199.90\""),
        "{scarf}"
    );
}

#[test]
fn a_shopify_export_in_either_layout_becomes_a_shop() {
    let host = Host::start();
    for new in [false, true] {
        let f = Fixture::new(SHOP_YAML);
        let run = import(
            &f,
            &export(new, &host.base),
            &["--category-from", "tag:分类:"],
        );
        assert_eq!(
            run.out.status.code(),
            Some(2),
            "a photo failed: {}\n{}",
            run.stdout(),
            run.stderr()
        );
        let out = run.stdout();
        assert!(
            out.contains("imported 3 products: 3 files written, 0 skipped"),
            "{out}"
        );
        assert!(
            out.contains("photos: 5 fetched, 0 already there, 1 failed"),
            "{out}"
        );
        let err = run.stderr();
        assert!(
            err.contains("italian-leather-tote:")
                && err.contains("missing.jpg")
                && err.contains("404"),
            "{err}"
        );
        check_tote(&f);

        // The imported shop builds: variant prices, SKUs, stock and photos on the page.
        f.build(&[]).assert_ok();
        let page = f.read("products/italian-leather-tote/index.html");
        for s in [
            "¥1,299.00",
            "¥1,399.50",
            "¥1,599.00",
            "SR-T-BR-M",
            "Brown",
            "stitch",
        ] {
            assert!(page.contains(s), "{s} on the tote's page");
        }
        assert!(!page.contains("alert(1)"));
        assert!(f.read("products/belt/index.html").contains("SR-B-1"));
        assert!(!f.out().join("products/winter-scarf").exists(), "a draft");
    }
}

#[test]
fn a_rerun_keeps_files_and_photos_and_force_overwrites() {
    let host = Host::start();
    let f = Fixture::new(SHOP_YAML);
    let csv = export(false, &host.base);
    import(&f, &csv, &[]);
    let first = host.requests.load(Ordering::SeqCst);
    assert_eq!(first, 6, "{:?}", host.paths.lock().unwrap());
    let belt = f.root().join("content/products/belt.md");
    std::fs::write(&belt, "---\ntitle: 我的皮带\nprice: 1\n---\n").unwrap();
    let run = import(&f, &csv, &[]);
    let out = run.stdout();
    assert!(
        out.contains("skipped content/products/belt.md: exists (--force overwrites it)"),
        "{out}"
    );
    assert!(out.contains("0 files written, 3 skipped"), "{out}");
    assert_eq!(
        host.requests.load(Ordering::SeqCst),
        first,
        "nothing fetched for kept files"
    );
    assert!(std::fs::read_to_string(&belt).unwrap().contains("我的皮带"));

    let run = import(&f, &csv, &["--force"]);
    let out = run.stdout();
    assert!(out.contains("3 files written"), "{out}");
    assert!(
        out.contains("photos: 0 fetched, 5 already there, 1 failed"),
        "{out}"
    );
    // Only the photo that failed is asked for again.
    assert_eq!(host.requests.load(Ordering::SeqCst), first + 1);
    assert!(
        std::fs::read_to_string(&belt)
            .unwrap()
            .contains("Leather Belt")
    );
    let leftovers: Vec<_> = walkdir::WalkDir::new(f.root())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy();
            n.ends_with(".part") || n.ends_with(".shopgen-import")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_export_in_another_language_becomes_translations() {
    let host = Host::start();
    let f = Fixture::new(&format!(
        "{SHOP_YAML}languages:\n  en: {{ path: en }}\n  zh-HK: {{ path: hk, currency: HKD, from: zh-CN, unpriced: leave_out }}\n"
    ));
    let csv = export(false, &host.base);
    import(&f, &csv, &[]);
    // The shop's own (Chinese) side of the tote; the belt is not in the shop.
    let tote = f.root().join("content/products/italian-leather-tote.md");
    let own = std::fs::read_to_string(&tote).unwrap();
    std::fs::write(
        &tote,
        own.replace("title: Italian Leather Tote", "title: 意式真皮托特包"),
    )
    .unwrap();
    std::fs::remove_file(f.root().join("content/products/belt.md")).unwrap();

    let run = import(&f, &csv, &["--language", "en"]);
    let out = run.stdout();
    assert!(
        out.contains("2 files written, 1 skipped"),
        "{out}\n{}",
        run.stderr()
    );
    assert!(
        out.contains(
            "skipped content/products/belt.en.md: the site has no product `belt` to translate"
        ),
        "{out}"
    );
    let en = std::fs::read_to_string(f.root().join("content/products/italian-leather-tote.en.md"))
        .unwrap();
    for s in [
        "title: Italian Leather Tote",
        "variants:",
        "## Full-grain leather",
        "vendor: Serein",
    ] {
        assert!(en.contains(s), "{s} in\n{en}");
    }
    // The slug, SKU, category, price and photos stay the product's.
    for s in ["price", "sku", "category", "images:", "draft"] {
        assert!(!en.contains(s), "{s} in\n{en}");
    }
    assert!(
        std::fs::read_to_string(&tote)
            .unwrap()
            .contains("意式真皮托特包"),
        "the product itself is not touched"
    );
    f.build(&[]).assert_ok();
    assert!(
        f.read("en/products/italian-leather-tote/index.html")
            .contains("Italian Leather Tote")
    );
    assert!(
        f.read("products/italian-leather-tote/index.html")
            .contains("意式真皮托特包")
    );

    // Into a language with its own currency, the prices come in that currency.
    import(&f, &csv, &["--language", "zh-HK"]);
    let hk = std::fs::read_to_string(
        f.root()
            .join("content/products/italian-leather-tote.zh-HK.md"),
    )
    .unwrap();
    assert!(hk.contains("prices:\n  HKD: \"1299.00\""), "{hk}");
    assert!(hk.contains("original_prices:\n  HKD: \"1599.00\""), "{hk}");

    // A rerun keeps the translations; a language the site does not have is refused.
    let run = import(&f, &csv, &["--language", "en"]);
    assert!(
        run.stdout().contains("0 files written, 3 skipped"),
        "{}",
        run.stdout()
    );
    for (code, says) in [
        ("fr", "not one of the site's languages"),
        ("zh-CN", "default language"),
    ] {
        let run = import(&f, &csv, &["--language", code]);
        assert!(!run.ok());
        assert!(run.stderr().contains(says), "{}", run.stderr());
    }
}

#[test]
fn local_photos_by_file_name() {
    let f = Fixture::new(SHOP_YAML);
    let csv = export(true, "https://cdn.shopify.example");
    for name in [
        "Tote_1.jpg",
        "Tote_2.jpg",
        "tote-brown.jpg",
        "stitch.jpg",
        "belt.jpg",
        "missing.jpg",
    ] {
        f.write_bytes(
            &format!("photos/{name}"),
            &common::photos::camera_jpeg(320, 240, 1, 7),
        );
    }
    let dir = f.root().join("photos");
    let run = import(&f, &csv, &["--images", dir.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        run.stdout().contains("photos: 6 fetched"),
        "{}",
        run.stdout()
    );
    f.build(&[]).assert_ok();
}

#[test]
fn bad_exports_are_refused_with_their_rows_and_nothing_is_written() {
    let f = Fixture::new(SHOP_YAML);
    let good = export(false, "http://127.0.0.1:9");
    let cases: Vec<(String, &[&str])> = vec![
        (
            good.replacen("1399.50", "abc", 1),
            &[
                "row 3, column Variant Price (U)",
                "price `abc` is not a number",
            ],
        ),
        (
            good.replacen("1399.50", "-5", 1),
            &["row 3, column Variant Price (U)", "negative"],
        ),
        (
            good.replace("Variant Price", "Cost"),
            &["no `Variant Price` (or `Price`) column"],
        ),
        (
            format!(
                "{good}italian-leather-tote,Another Tote,,,,,,TRUE,Title,Default Title,,,,,,,,,,,9,,,,,,,,,,,,,,active\n"
            ),
            &[
                "the handle `italian-leather-tote` is used again, by another product (first in row 2)",
                "row 8",
            ],
        ),
        (format!("{good}scarf-2,\"unclosed,\n"), &["is never closed"]),
    ];
    for (csv, wants) in cases {
        let run = import(&f, &csv, &[]);
        assert_eq!(run.out.status.code(), Some(1), "{}", run.stdout());
        let err = run.stderr();
        for w in wants {
            assert!(err.contains(w), "{w} in:\n{err}");
        }
        assert!(
            !f.root()
                .join("content/products")
                .read_dir()
                .unwrap()
                .any(|_| true),
            "nothing written"
        );
        assert!(!f.root().join("static").exists(), "no photo fetched");
    }
    let run = shopgen(&[
        "import",
        "shopify",
        f.root().join("nope.csv").to_str().unwrap(),
        f.root().to_str().unwrap(),
    ]);
    assert!(run.stderr().contains("cannot read"), "{}", run.stderr());
    let run = shopgen(&["import", "shopify", "x.csv", "/tmp"]);
    assert!(run.stderr().contains("no shop.yaml"), "{}", run.stderr());
}

#[test]
fn a_large_export_is_read_as_a_stream() {
    // 20,000 products of one row each, imported without photos.
    let f = Fixture::new(SHOP_YAML);
    let mut csv = String::from("Handle,Title,Body (HTML),Variant Price,Variant SKU\n");
    for i in 0..20_000 {
        csv.push_str(&format!(
            "p-{i},Product {i},\"<p>Story {i}, with a comma</p>\",{i}.5,SKU-{i}\n"
        ));
    }
    let run = import(&f, &csv, &[]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        run.stdout()
            .contains("imported 20000 products: 20000 files written")
    );
    let p = std::fs::read_to_string(f.root().join("content/products/p-19999.md")).unwrap();
    assert!(
        p.contains("19999.50") && p.contains("Story 19999, with a comma"),
        "{p}"
    );
}

#[test]
fn an_export_saved_again_by_a_chinese_excel_is_gbk() {
    let f = Fixture::new(SHOP_YAML);
    let csv = "Handle,Title,Body (HTML),Type,Variant Price,Variant SKU\r\nzhen-pi-tuo-te-bao,真皮托特包,<p>意大利植鞣牛皮</p>,女包,1299.00,SC-1\r\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(csv);
    assert!(!bad);
    f.write_bytes("export.csv", &gbk);
    let file = f.root().join("export.csv");
    let run = shopgen(&[
        "import",
        "shopify",
        file.to_str().unwrap(),
        f.root().to_str().unwrap(),
    ]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        run.stdout().contains("read the export as GBK/GB18030 text"),
        "{}",
        run.stdout()
    );
    let md =
        std::fs::read_to_string(f.root().join("content/products/zhen-pi-tuo-te-bao.md")).unwrap();
    assert!(
        md.contains("title: 真皮托特包")
            && md.contains("category: 女包")
            && md.contains("意大利植鞣牛皮"),
        "{md}"
    );
    f.build(&[]).assert_ok();
}
