//! The sites the browser test loads beside the example shop: small zh-HK and en shops built
//! with the same theme, and a canary page that breaks every rule the test checks.

use crate::common::{Fixture, SHOP_YAML};

/// A placeholder photo: a gradient, a frame and an optional label.
fn svg(w: u32, h: u32, from: &str, to: &str, label: &str) -> String {
    let (m, fs) = (w.min(h) / 10, w.min(h) / 12);
    let text = if label.is_empty() {
        String::new()
    } else {
        format!(
            r##"<text x="50%" y="54%" text-anchor="middle" font-family="sans-serif" font-size="{fs}" fill="#fff">{label}</text>"##
        )
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{from}"/><stop offset="1" stop-color="{to}"/></linearGradient></defs><rect width="{w}" height="{h}" fill="url(#g)"/><rect x="{m}" y="{m}" width="{}" height="{}" rx="{fs}" fill="none" stroke="#fff" stroke-opacity=".55" stroke-width="4"/>{text}</svg>"##,
        w - 2 * m,
        h - 2 * m
    )
}

/// A round logo mark with one letter.
fn logo(letter: &str, colour: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><circle cx="60" cy="60" r="58" fill="{colour}"/><text x="60" y="78" text-anchor="middle" font-family="serif" font-size="52" font-weight="700" fill="#fff">{letter}</text></svg>"##
    )
}

/// A small Hong Kong shop: Traditional Chinese, HKD, no ICP.
pub fn zh_hk_fixture() -> Fixture {
    let f = Fixture::new(
        r#"title: 港島皮具
tagline: 上環工作室 · 手造真皮小物
description: 港島皮具在香港上環的工作室手工製作銀包、卡套與手袋，全港順豐免運。
base_url: https://shop.example.hk
language: zh-HK
currency: HKD
logo: images/logo.svg
hosting:
  region: hongkong
contact:
  phone: "+852 2345 6789"
  email: hello@shop.example.hk
  hours: "星期一至六 11:00–19:00"
  address: 香港上環永樂街88號3樓
share: [wechat, weibo]
home:
  hero:
    image: images/hero.svg
    headline: 一針一線，香港製造
    text: 意大利植鞣牛皮，上環工作室逐件手工縫製，越用越有光澤。
    cta_text: 即刻選購
    cta_link: /products/
  trust: [正貨保證, 七日退換, 全港順豐免運]
categories:
  - { name: 銀包卡套, slug: wallets, description: 輕巧貼身，日日都用得着。, image: images/cat-wallets.svg }
  - { name: 手袋, slug: bags, description: 返工放假都啱用。, image: images/cat-bags.svg }
"#,
    );
    f.write("static/images/logo.svg", &logo("港", "#8a4b2c"));
    f.write(
        "static/images/hero.svg",
        &svg(1600, 800, "#3d2a20", "#b07a4f", ""),
    );
    f.write(
        "static/images/cat-wallets.svg",
        &svg(600, 600, "#6d4c3d", "#c49a6c", "銀包卡套"),
    );
    f.write(
        "static/images/cat-bags.svg",
        &svg(600, 600, "#2f3b45", "#8aa1b1", "手袋"),
    );
    let products = [
        (
            "短款銀包",
            "duan-kuan-ngan-bao",
            "680",
            "780",
            "銀包卡套",
            "#7a4b2a",
            "#d9a46a",
            12,
            true,
        ),
        (
            "真皮卡套",
            "card-holder",
            "320",
            "380",
            "銀包卡套",
            "#3b4a3f",
            "#9fb89a",
            30,
            true,
        ),
        (
            "托特手袋",
            "tote-bag",
            "1880",
            "2280",
            "手袋",
            "#40291d",
            "#a8764e",
            5,
            true,
        ),
        (
            "鎖匙包",
            "key-case",
            "260",
            "300",
            "銀包卡套",
            "#4a3b5c",
            "#b3a1c9",
            0,
            false,
        ),
    ];
    for (i, (title, slug, price, orig, cat, c1, c2, stock, featured)) in
        products.into_iter().enumerate()
    {
        for n in 1..=2 {
            f.write(
                &format!("static/images/p/{slug}-{n}.svg"),
                &svg(800, 800, c1, c2, &format!("{title} {n}")),
            );
        }
        f.product(
            &format!("{slug}.md"),
            &format!(
                "title: {title}
subtitle: 意大利植鞣牛皮 · 上環手工縫製
slug: {slug}
price: {price}
original_price: {orig}
category: {cat}
images: [images/p/{slug}-1.svg, images/p/{slug}-2.svg]
badges: [正貨保證, 順豐包郵]
variants: [{{ name: 顏色, options: [啡色, 黑色] }}]
stock: {stock}
weight: {i}
featured: {featured}
description: {title}，香港上環工作室手工製作。
specs: [{{ name: 物料, value: 意大利植鞣牛皮 }}, {{ name: 產地, value: 香港 }}]
faq: [{{ q: 幾耐送到？, a: 落單後兩個工作天內順豐送到。 }}]
"
            ),
            &format!("## 產品詳情\n\n{title}用整張植鞣牛皮裁切，邊油人手打磨五次。\n\n![細節](images/p/{slug}-2.svg)\n"),
        );
    }
    f
}

/// A small English shop hosted in mainland China (so with an ICP number).
pub fn en_fixture() -> Fixture {
    let f = Fixture::new(
        r#"title: Northfield Leather
tagline: Vegetable-tanned leather, stitched by hand
description: Northfield makes leather bags, wallets and belts by hand in Shanghai.
base_url: https://www.northfield.example.cn
language: en
currency: CNY
logo: images/logo.svg
hosting:
  region: mainland
  icp: 沪ICP备20250123号-1
contact:
  wechat: northfield_cs
  phone: 400-820-1234
  email: hello@northfield.example.cn
  hours: "09:00–21:00"
payments:
  alipay: "https://qr.alipay.com/fkx0northfield"
  wechat: "wxp://f2f0northfield"
share: [wechat, weibo]
home:
  hero:
    image: images/hero.svg
    headline: Leather that gets better every year
    text: Italian vegetable-tanned leather, cut and saddle-stitched by hand in our Shanghai workshop.
    cta_text: Shop now
    cta_link: /products/
  story:
    title: Our story
    text: Northfield began in 2016 as two leatherworkers and one sewing bench. We still make every piece the slow way.
    image: images/story.svg
    link: /products/
  trust: [Genuine leather, 7-day returns, Free shipping, Invoices available]
categories:
  - { name: Bags, slug: bags, description: Totes and crossbody bags for every day., image: images/cat-bags.svg }
  - { name: Small goods, slug: small-goods, description: "Wallets, card sleeves and belts.", image: images/cat-small.svg }
"#,
    );
    f.write("static/images/logo.svg", &logo("N", "#1f3a4d"));
    f.write(
        "static/images/hero.svg",
        &svg(1600, 800, "#1f3a4d", "#c08a5a", ""),
    );
    f.write(
        "static/images/story.svg",
        &svg(800, 600, "#4d3b2a", "#a88b6a", ""),
    );
    f.write(
        "static/images/cat-bags.svg",
        &svg(600, 600, "#5a3d2b", "#c49a6c", "Bags"),
    );
    f.write(
        "static/images/cat-small.svg",
        &svg(600, 600, "#2b4a5a", "#8ab1c4", "Small goods"),
    );
    let products = [
        (
            "Classic Tote",
            "classic-tote",
            "1299",
            "1599",
            "Bags",
            "#6b4226",
            "#d49a61",
            36,
            true,
        ),
        (
            "Bifold Wallet",
            "bifold-wallet",
            "399",
            "459",
            "Small goods",
            "#5c1f2a",
            "#c0606e",
            80,
            true,
        ),
        (
            "Card Sleeve",
            "card-sleeve",
            "199",
            "239",
            "Small goods",
            "#23423a",
            "#77b39f",
            120,
            true,
        ),
        (
            "Harness Belt",
            "harness-belt",
            "459",
            "529",
            "Small goods",
            "#2d2d2d",
            "#8a8a8a",
            0,
            false,
        ),
    ];
    for (i, (title, slug, price, orig, cat, c1, c2, stock, featured)) in
        products.into_iter().enumerate()
    {
        for n in 1..=2 {
            f.write(
                &format!("static/images/p/{slug}-{n}.svg"),
                &svg(800, 800, c1, c2, &format!("{title} {n}")),
            );
        }
        f.product(
            &format!("{slug}.md"),
            &format!(
                "title: {title}
subtitle: Italian vegetable-tanned leather, saddle-stitched
slug: {slug}
price: {price}
original_price: {orig}
category: {cat}
images: [images/p/{slug}-1.svg, images/p/{slug}-2.svg]
badges: [Genuine leather, Free shipping, 7-day returns]
variants: [{{ name: Colour, options: [Tan, Black] }}]
stock: {stock}
weight: {i}
featured: {featured}
fapiao: true
description: The {title}, made by hand in Shanghai.
specs: [{{ name: Material, value: Vegetable-tanned cowhide }}, {{ name: Made in, value: Shanghai }}]
faq: [{{ q: How long does delivery take?, a: SF Express delivers in 1–3 days in mainland China. }}]
"
            ),
            &format!(
                "## Details\n\nEvery {title} is cut from a single hide and finished with five coats of edge paint.\n\n![Detail](images/p/{slug}-2.svg)\n"
            ),
        );
    }
    f
}

/// One mainland product page that breaks every rule: a font from Google, a console error, an
/// element wider than a phone, the ICP link hidden (by trusted HTML in the product body), and
/// a document heavier than a phone's product-page budget (a 210 KB comment).
pub fn canary_fixture() -> Fixture {
    let f = Fixture::new(SHOP_YAML);
    let ballast = "canary ".repeat(30_000);
    f.product(
        "canary.md",
        "title: Canary\nslug: canary\nprice: 1\ncategory: Canary\n",
        &format!(
            r#"<img src="https://fonts.gstatic.com/canary.png" alt="">
<div style="width: 900px; height: 10px; background: red"></div>
<script>console.error("canary");</script>
<style>.beian-icp {{ visibility: hidden; }}</style>
<!-- {ballast} -->
"#
        ),
    );
    f
}
