//! A spreadsheet as the catalog: `content/products.csv` (UTF-8, BOM, GBK) and
//! `content/products.xlsx`, one row per product or per combination, Chinese headers, a detail
//! story beside it, and errors that name the sheet, the row and the column.

mod common;

use common::{Fixture, SHOP_YAML, snapshot};
use rust_xlsxwriter::{Format, Workbook};

const PHOTO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"800\"><rect width=\"800\" height=\"800\" fill=\"#333\"/></svg>";

fn shop() -> Fixture {
    let f = Fixture::new(SHOP_YAML);
    for p in ["glove-black.svg", "glove-brown.svg", "scarf.svg"] {
        f.write(&format!("static/images/{p}"), PHOTO);
    }
    f
}

/// One product over three rows (one per combination), one product on one row with a list of
/// options, a title banner above the header and an empty row at the end.
const CSV: &str = "\
2026 春季商品清单,,,,,,,,,,,,
标题,slug,价格,原价,分类,库存,规格.颜色,规格.尺寸,图片,货号,extra.材质,参数.产地,详情
羊皮手套,yang-pi-shou-tao,399,499,配件,10,经典黑,M,images/glove-black.svg,GL-1-BK-M,小羊皮,意大利,\"## 好手套

柔软，贴手。\"
,,429,,,3,经典黑,L,,GL-1-BK-L,,,
,,399.5,,,0,焦糖棕,M,images/glove-brown.svg,GL-1-BR-M,,,
真丝方巾,,199,,配件,,\"米白、藏青\",,images/scarf.svg,SC-9,桑蚕丝,苏州,
,,,,,,,,,,,,
";

#[test]
fn a_csv_catalog_builds_products_with_their_combinations() {
    let f = shop();
    f.write("content/products.csv", &format!("\u{feff}{CSV}"));
    f.write(
        "content/products/zhen-si-fang-jin.md",
        "方巾的故事：**真丝**，手工卷边。\n",
    );
    let run = f.build(&[]);
    run.assert_ok();
    assert!(
        run.stdout().contains("built 2 products"),
        "{}",
        run.stdout()
    );

    let glove = f.read("products/yang-pi-shou-tao/index.html");
    assert!(glove.contains("好手套</h2>"), "the body column is Markdown");
    for s in [
        "¥399.00",
        "¥429.00",
        "¥499.00",
        "GL-1-BK-L",
        "GL-1-BR-M",
        "意大利",
        "焦糖棕",
    ] {
        assert!(glove.contains(s), "{s} on the glove page");
    }
    assert!(
        glove.contains("glove-brown"),
        "a combination's photo joins the gallery"
    );
    let offers = glove
        .split("data-offers=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("offers");
    let offers = html_escape::decode_html_entities(offers);
    assert!(offers.contains("\"sku\":\"GL-1-BR-M\""), "{offers}");
    assert!(offers.contains("39950"), "399.5 yuan exactly: {offers}");

    let scarf = f.read("products/zhen-si-fang-jin/index.html");
    assert!(
        scarf.contains("<strong>真丝</strong>"),
        "the story file is the body"
    );
    assert!(
        scarf.contains("米白") && scarf.contains("藏青"),
        "options from one cell"
    );
    let listing = f.read("index.html");
    assert!(
        listing.contains("起"),
        "the card says 起 for a product with dearer combinations"
    );

    // A template of the site's own reads the spreadsheet's extra.* columns.
    f.write(
        "templates/product.html",
        "<p>{{ product.extra[\"材质\"] }}</p>",
    );
    f.build(&[]).assert_ok();
    assert_eq!(
        f.read("products/yang-pi-shou-tao/index.html"),
        "<p>小羊皮</p>"
    );
}

#[test]
fn rows_of_one_style_number_are_one_product_wherever_they_are() {
    let f = shop();
    // Sorted by colour, as an operations team's sheet often is: the glove's rows are apart,
    // its last one without a title, and only the style number (款号) ties them together.
    f.write(
        "content/products.csv",
        "款号,标题,价格,规格.颜色,货号,库存\n\
         GL-1,羊皮手套,399,经典黑,GL-1-BK,4\n\
         SC-9,真丝方巾,199,经典黑,SC-9-BK,2\n\
         SC-9,,209,焦糖棕,SC-9-BR,5\n\
         GL-1,,429,焦糖棕,GL-1-BR,0\n",
    );
    let run = f.build(&[]);
    run.assert_ok();
    assert!(
        run.stdout().contains("built 2 products"),
        "{}",
        run.stdout()
    );
    let glove = f.read("products/yang-pi-shou-tao/index.html");
    for s in ["GL-1-BK", "GL-1-BR", "¥399.00", "¥429.00", "焦糖棕"] {
        assert!(glove.contains(s), "{s} on the glove page");
    }
    assert!(!glove.contains("SC-9-BR"));
    let scarf = f.read("products/zhen-si-fang-jin/index.html");
    assert!(scarf.contains("SC-9-BR") && scarf.contains("¥209.00"));
}

#[test]
fn a_gbk_csv_from_a_chinese_excel_is_read() {
    let f = shop();
    let text = "标题,价格,分类\r\n羊皮手套,399,配件\r\n真丝方巾,199.00,配件\r\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    f.write_bytes("content/products.csv", &gbk);
    f.build(&[]).assert_ok();
    let page = f.read("products/yang-pi-shou-tao/index.html");
    assert!(page.contains("羊皮手套") && page.contains("¥399.00"));
}

/// A workbook as an operations team keeps it: a merged title row, a category merged down the
/// rows of one product, numbers as numbers, a date cell, trailing empty rows.
fn workbook(price_cell: Option<&str>) -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("商品").unwrap();
    s.merge_range(0, 0, 0, 7, "2026 春季商品", &Format::new())
        .unwrap();
    for (c, h) in [
        "标题",
        "价格",
        "原价",
        "分类",
        "库存",
        "规格.颜色",
        "图片",
        "上架日期",
    ]
    .iter()
    .enumerate()
    {
        s.write_string(1, c as u16, *h).unwrap();
    }
    s.write_string(2, 0, "羊皮手套").unwrap();
    match price_cell {
        Some(text) => s.write_string(2, 1, text).unwrap(),
        None => s.write_number(2, 1, 1299.5).unwrap(),
    };
    s.write_number(2, 2, 1599).unwrap();
    s.merge_range(2, 3, 3, 3, "配件", &Format::new()).unwrap();
    s.write_number(2, 4, 4).unwrap();
    s.write_string(2, 5, "经典黑").unwrap();
    s.write_string(2, 6, "images/glove-black.svg").unwrap();
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 1).unwrap();
    s.write_datetime_with_format(2, 7, &day, &Format::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    s.write_number(3, 1, 1399).unwrap();
    s.write_number(3, 4, 0).unwrap();
    s.write_string(3, 5, "焦糖棕").unwrap();
    s.write_string(3, 6, "images/glove-brown.svg").unwrap();
    s.write_string(8, 0, "").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_catalog_with_merged_cells_and_numbers() {
    let f = shop();
    f.write_bytes("content/products.xlsx", &workbook(None));
    f.build(&[]).assert_ok();
    let page = f.read("products/yang-pi-shou-tao/index.html");
    for s in [
        "¥1,299.50",
        "¥1,399.00",
        "¥1,599.00",
        "经典黑",
        "焦糖棕",
        "glove-brown",
    ] {
        assert!(page.contains(s), "{s} on the page");
    }
    // The category merged down both rows is the product's, given once.
    assert!(
        f.read("categories/pei-jian/index.html")
            .contains("羊皮手套")
    );
    assert!(
        f.read("sitemap.xml").contains("2026-03-01"),
        "the date cell"
    );
}

#[test]
fn errors_name_the_sheet_row_and_column_and_nothing_is_written() {
    let f = shop();
    f.write_bytes("content/products.xlsx", &workbook(Some("¥1,299")));
    let run = f.build(&[]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(
        err.contains("products.xlsx: sheet 商品, row 3, column 价格 (B)"),
        "{err}"
    );
    assert!(err.contains("`¥1,299` is not a plain number"), "{err}");
    assert!(err.contains("write `1299`"), "{err}");
    assert!(!f.out().exists(), "nothing written");

    let f = shop();
    f.write(
        "content/products.csv",
        "标题,价格,库存,产地\n羊皮手套,abc,-5,意大利\n方巾,-5,1,\n方巾,9,1,\n",
    );
    let err = f.build(&[]).stderr();
    assert!(err.contains("unknown column `产地`"), "{err}");
    assert!(err.contains("extra.产地"), "{err}");
    f.write(
        "content/products.csv",
        "标题,价格,库存,extra.产地\n羊皮手套,abc,-5,意大利\n方巾,-5,1,\n方巾,9,1,\n半截,\"9,1\n",
    );
    let err = f.build(&[]).stderr();
    assert!(err.contains("never closed"), "{err}");
    f.write(
        "content/products.csv",
        "标题,价格,库存,extra.产地\n羊皮手套,abc,-5,意大利\n方巾,-5,1,\n方巾,9,1,\n",
    );
    let err = f.build(&[]).stderr();
    for want in [
        "row 2, column 价格 (B)",
        "price `abc` is not a number",
        "row 2, column 库存 (C)",
        "`-5` is negative",
        "row 3, column 价格 (B)",
        "a second product `方巾` (the first is in row 3)",
        "row 4, column 标题 (A)",
    ] {
        assert!(err.contains(want), "{want} in:\n{err}");
    }
    // A previous good build stays as it was.
    f.write("content/products.csv", "标题,价格\n方巾,9\n");
    f.build(&[]).assert_ok();
    let before = snapshot(&f.out());
    f.write("content/products.csv", "标题,价格\n方巾,９\n");
    let err = f.build(&[]).stderr();
    assert!(err.contains("full-width digits"), "{err}");
    assert_eq!(snapshot(&f.out()), before);
}

#[test]
fn a_story_file_and_the_body_column_cannot_both_tell_the_story() {
    let f = shop();
    f.write(
        "content/products.csv",
        "标题,slug,价格,详情\n方巾,fang-jin,9,正文\n",
    );
    f.write("content/products/fang-jin.md", "另一个故事\n");
    let err = f.build(&[]).stderr();
    assert!(
        err.contains("both in the catalog's body column and in this file"),
        "{err}"
    );
    f.write(
        "content/products/fang-jin.md",
        "---\ntitle: 方巾\nprice: 9\n---\n",
    );
    let err = f.build(&[]).stderr();
    assert!(
        err.contains("the slug `fang-jin`"),
        "a product of its own too: {err}"
    );
    f.write("content/products/fang-jin.md", "");
    std::fs::remove_file(f.root().join("content/products/fang-jin.md")).unwrap();
    f.write("content/products/other.md", "无主的故事\n");
    let err = f.build(&[]).stderr();
    assert!(err.contains("no product of"), "{err}");
}
