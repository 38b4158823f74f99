//! Per-combination offers in a real browser (headless Chromium through chromedriver, as
//! `tests/browser.rs`): on a product whose 颜色 × 尺寸 combinations carry their own price, SKU,
//! stock and photo, choosing options in the order helper changes the price tag, the SKU, the
//! stock line, the total and the order message to the combination's, and shows its photo; a
//! sold-out combination is crossed out and cannot be ordered. At 375 and 1280 px, with
//! screenshots. Fails, never skips, without Chromium.

mod common;
#[path = "browser/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::Duration;

use common::{Fixture, SHOP_YAML};
use fantoccini::{Client, Locator};
use harness::*;
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
struct State {
    /// The big price as shown, e.g. `¥1,399.00`.
    price: String,
    /// Whether the "– ¥1,599.00" end of the range is shown.
    range: bool,
    was: Option<String>,
    sku: String,
    stock: String,
    /// The buy bar's total.
    total: String,
    message: String,
    /// Options crossed out.
    out: Vec<String>,
    /// Which gallery slide is in view (from 1).
    slide: u32,
    status: String,
}

const STATE_JS: &str = r#"
const q = s => document.querySelector(s);
const block = q('[data-price]');
const vis = el => el && !el.hidden && el.getClientRects().length > 0;
const main = q('.gallery-main');
const slides = [...main.querySelectorAll('.gallery-slide')];
const left = main.getBoundingClientRect().left;
const slide = slides.findIndex(s => Math.abs(s.getBoundingClientRect().left - left) < 2) + 1;
const count = q('[data-stock-count]');
return {
  price: q('.price-lg').textContent.trim(),
  range: vis(q('[data-p-to]')),
  was: vis(q('.price-meta')) ? q('[data-p=original_price]').textContent : null,
  sku: q('[data-p=sku]').textContent,
  stock: q('[data-stock]').textContent + (vis(count) ? ' ' + count.textContent : ''),
  total: q('.buy-bar [data-total]').textContent,
  message: q('[data-msg]').textContent,
  out: [...document.querySelectorAll('.chip.is-out input')].map(i => i.value),
  slide,
  status: q('[data-status]').textContent,
};
"#;

/// Wait until the gallery has stopped scrolling (it scrolls smoothly), for at most 3 s.
const SETTLE_JS: &str = r#"
const done = arguments[arguments.length - 1];
const main = document.querySelector('.gallery-main');
let last = -1, still = 0;
const start = Date.now();
(function tick() {
  still = main.scrollLeft === last ? still + 1 : 0;
  last = main.scrollLeft;
  if (still >= 4 || Date.now() - start > 3000) return done(true);
  setTimeout(tick, 50);
})();
"#;

async fn state(c: &Client) -> Result<State, String> {
    let _: bool = run_async_script(c, SETTLE_JS).await?;
    run_script(c, STATE_JS).await
}

/// Tap an element as a buyer would: scrolled to the middle of the screen first (the sticky buy
/// bar covers the bottom).
async fn tap(c: &Client, how: Locator<'_>, what: &str) -> Result<(), String> {
    let el = c.find(how).await.map_err(|e| format!("{what}: {e}"))?;
    let arg = serde_json::to_value(&el).map_err(|e| e.to_string())?;
    c.execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg])
        .await
        .map_err(|e| format!("scroll to {what}: {e}"))?;
    el.click().await.map_err(|e| format!("tap {what}: {e}"))
}

async fn choose(c: &Client, option: &str) -> Result<(), String> {
    let xpath = format!("//label[contains(@class,'chip')][input[@value='{option}']]");
    tap(c, Locator::XPath(&xpath), option).await
}

fn svg(colour: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800"><rect width="800" height="800" fill="{colour}"/><rect x="200" y="260" width="400" height="320" rx="24" fill="#fff" fill-opacity=".25"/></svg>"##
    )
}

#[tokio::test(flavor = "current_thread")]
async fn choosing_options_shows_the_combinations_price_sku_stock_and_photo() {
    let tools = Tools::find();
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots).unwrap();
    let f = Fixture::new(SHOP_YAML);
    f.write("static/images/brown.svg", &svg("#8b5a2b"));
    f.write("static/images/black.svg", &svg("#222"));
    f.write("static/images/detail.svg", &svg("#c49a6c"));
    f.product(
        "tote.md",
        "title: 真皮托特包\nprice: 1299\noriginal_price: 1599\nsku: SC-W-1001\nstock: 20\n\
         images: [images/brown.svg, images/detail.svg]\n\
         variants:\n  - { name: 颜色, options: [焦糖棕, 经典黑] }\n  - { name: 尺寸, options: [中号, 大号] }\n\
         skus:\n\
         \x20 - { options: [经典黑, 大号], price: 1399, sku: SC-W-1001-BK-L, stock: 4, image: images/black.svg }\n\
         \x20 - { options: [经典黑, 中号], sku: SC-W-1001-BK-M, image: images/black.svg }\n\
         \x20 - { options: [焦糖棕, 大号], price: 1399, stock: 0 }\n",
        "柔软的植鞣牛皮。\n",
    );
    let site = Site::build("skus", f.root(), &[], true);
    let url = format!("{}/products/tote/", site.origin);

    let driver = ChromeDriver::start(&tools);
    let profile = tempfile::tempdir().unwrap();
    let client = driver.session(&tools, profile.path()).await;
    let run = tokio::time::timeout(Duration::from_secs(120), async {
        let mut out = Vec::new();
        for (w, h) in [(375, 812), (1280, 800)] {
            viewport(&client, (w, h, 1.0, w < 768)).await?;
            client.goto(&url).await.map_err(|e| e.to_string())?;
            let first = state(&client).await?;
            choose(&client, "经典黑").await?;
            choose(&client, "大号").await?;
            let black_large = state(&client).await?;
            let png = client.screenshot().await.map_err(|e| e.to_string())?;
            std::fs::write(shots.join(format!("skus-{w}.png")), png).map_err(|e| e.to_string())?;
            choose(&client, "中号").await?;
            let black_medium = state(&client).await?;
            choose(&client, "焦糖棕").await?;
            let brown_medium = state(&client).await?;
            choose(&client, "大号").await?;
            tap(&client, Locator::Css("[data-copy-order]"), "copy").await?;
            let brown_large = state(&client).await?;
            out.push((
                w,
                first,
                black_large,
                black_medium,
                brown_medium,
                brown_large,
            ));
        }
        Ok::<_, String>(out)
    })
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(20), client.close()).await;
    drop(driver);
    let out = run
        .expect("the browser run finished in time")
        .expect("the browser run");

    for (w, first, black_large, black_medium, brown_medium, brown_large) in out {
        println!("{w} px: {first:?}\n{black_large:?}");
        // Nothing chosen: the lowest price, the range up to the highest, the product's SKU.
        assert_eq!(first.price, "¥1,299.00", "{w}");
        assert!(first.range, "{w}: the price range shows before a choice");
        assert_eq!(first.was.as_deref(), Some("¥1,599.00"));
        assert_eq!(first.sku, "SC-W-1001");
        assert_eq!(first.slide, 1);

        assert_eq!(black_large.price, "¥1,399.00", "{w}");
        assert!(!black_large.range, "{w}: one combination, one price");
        assert_eq!(black_large.was.as_deref(), Some("¥1,599.00"));
        assert_eq!(black_large.sku, "SC-W-1001-BK-L");
        assert_eq!(black_large.stock, "现货 剩余 4 件");
        assert_eq!(black_large.total, "¥1,399.00");
        assert_eq!(
            black_large.slide, 3,
            "{w}: the black photo (after the product's two)"
        );
        for line in [
            "商品：真皮托特包",
            "货号：SC-W-1001-BK-L",
            "颜色：经典黑",
            "尺寸：大号",
            "单价：¥1,399.00",
            "合计：¥1,399.00",
        ] {
            assert!(
                black_large.message.contains(line),
                "{w}: {line} missing from:\n{}",
                black_large.message
            );
        }

        // Listed without a price: the product's price and stock, its own SKU.
        assert_eq!(black_medium.price, "¥1,299.00");
        assert_eq!(black_medium.sku, "SC-W-1001-BK-M");
        assert_eq!(black_medium.stock, "现货 剩余 20 件");
        assert!(black_medium.message.contains("单价：¥1,299.00"));

        // Not listed: the product's own offer. With 焦糖棕 chosen, 大号 is sold out.
        assert_eq!(brown_medium.sku, "SC-W-1001");
        assert_eq!(
            brown_medium.slide, 3,
            "{w}: an offer without a photo leaves the gallery"
        );
        assert_eq!(brown_medium.out, ["大号"], "{w}");

        assert_eq!(brown_large.price, "¥1,399.00");
        assert_eq!(brown_large.stock, "暂时缺货");
        assert_eq!(
            brown_large.out,
            ["焦糖棕", "大号"],
            "{w}: each choice that makes the sold-out combination"
        );
        assert_eq!(
            brown_large.status, "该规格暂时缺货，请选择其他规格",
            "{w}: a sold-out combination cannot be copied as an order"
        );
    }
}
