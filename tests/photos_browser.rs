//! Product photos in a real browser (headless Chromium through chromedriver, as
//! `tests/browser.rs`): a fixture shop with camera-size photos made here — a 4000×3000 JPEG
//! with EXIF orientation 6 and GPS, a PNG with transparency, a 750×6000 详情 image — and its
//! product page measured:
//!
//! - at 375×812 with a device pixel ratio of 2: the page transfers at most [`FIRST_SCREEN`]
//!   before scrolling (document, CSS, scripts and the photos the first screen loads, from
//!   Resource Timing); no loaded photo is more than twice as wide as its rendered width in
//!   device pixels; the phone photo shows upright (portrait);
//! - at 1280×800: no loaded photo is narrower than its rendered device width when a wider
//!   variant exists (sharp on a computer).
//!
//! Screenshots of both go to the screenshot folder. Fails, never skips, without Chromium.

mod common;
#[path = "browser/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::Duration;

use common::photos::{alpha_png, camera_jpeg};
use common::{Fixture, SHOP_YAML};
use harness::*;
use serde::Deserialize;
use serde_json::json;

const FIRST_SCREEN: f64 = 400.0 * 1024.0;

fn photo_shop() -> Fixture {
    let f = Fixture::new(SHOP_YAML);
    f.write_bytes("static/images/tote.jpg", &camera_jpeg(4000, 3000, 6, 11));
    f.write_bytes("static/images/badge.png", &alpha_png(1200, 1200));
    f.write_bytes("static/images/long.jpg", &camera_jpeg(750, 6000, 1, 12));
    f.product(
        "tote.md",
        "title: 真皮托特包\nprice: 1299\noriginal_price: 1599\nimages: [images/tote.jpg, images/badge.png]\n",
        "## 详情\n\n![细节长图](images/long.jpg)\n",
    );
    f
}

#[derive(Debug, Deserialize)]
struct Img {
    src: String,
    /// Width of the file shown (from its srcset candidate), and the widest candidate.
    file_width: f64,
    widest: f64,
    natural_width: f64,
    natural_height: f64,
    rendered: f64,
    gallery: bool,
}

#[derive(Debug, Deserialize)]
struct Measure {
    bytes: f64,
    entries: Vec<String>,
    imgs: Vec<Img>,
    dpr: f64,
}

/// After load (and a moment for lazy images near the viewport): what was transferred and,
/// for every photo that loaded, the file's width against its rendered width.
const MEASURE_JS: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  if (document.readyState !== 'complete') await new Promise(r => addEventListener('load', r));
  await new Promise(r => setTimeout(r, 500));
  let bytes = 0;
  const entries = [];
  const loaded = new Set();
  for (const e of [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]) {
    const size = Math.max(e.transferSize || 0, e.encodedBodySize || 0);
    bytes += size;
    entries.push(size + ' ' + e.name);
    loaded.add(e.name);
  }
  const path = u => new URL(u, document.baseURI).pathname;
  const imgs = [];
  for (const img of document.images) {
    if (!img.currentSrc || !loaded.has(img.currentSrc) || !img.complete || !img.naturalWidth) continue;
    const r = img.getBoundingClientRect();
    if (r.width === 0) continue;
    const sets = [img.srcset, ...[...(img.closest('picture') ? img.closest('picture').querySelectorAll('source') : [])].map(s => s.srcset)];
    const widths = new Map();
    for (const set of sets) for (const c of (set || '').split(',')) {
      const [u, w] = c.trim().split(/\s+/);
      if (u && w && w.endsWith('w')) widths.set(path(u), parseInt(w));
    }
    const file = widths.get(path(img.currentSrc)) || img.naturalWidth;
    imgs.push({
      src: img.currentSrc, file_width: file, widest: Math.max(file, ...widths.values()),
      natural_width: img.naturalWidth, natural_height: img.naturalHeight,
      rendered: r.width, gallery: !!img.closest('.gallery-slide'),
    });
  }
  done({ bytes, entries, imgs, dpr: devicePixelRatio });
})();
"#;

async fn measure(
    client: &fantoccini::Client,
    url: &str,
    (width, height, dpr, mobile): (u32, u32, f64, bool),
    shot: &std::path::Path,
) -> Result<Measure, String> {
    client
        .goto("about:blank")
        .await
        .map_err(|e| e.to_string())?;
    viewport(client, (width, height, dpr, mobile)).await?;
    // A fresh cache for each size, so what the page loads is what it transfers.
    cdp(client, "Network.clearBrowserCache", json!({})).await?;
    client.goto(url).await.map_err(|e| e.to_string())?;
    let m: Measure = run_async_script(client, MEASURE_JS).await?;
    let png = client.screenshot().await.map_err(|e| e.to_string())?;
    std::fs::write(shot, png).map_err(|e| e.to_string())?;
    Ok(m)
}

#[tokio::test(flavor = "current_thread")]
async fn product_photos_are_light_sharp_and_upright_in_the_browser() {
    let tools = Tools::find();
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots).unwrap();
    let f = photo_shop();
    let site = Site::build("photos", f.root(), &[("product", "/products/tote/")], true);
    let url = format!("{}/products/tote/", site.origin);
    let driver = ChromeDriver::start(&tools);
    let profile = tempfile::tempdir().unwrap();
    let client = driver.session(&tools, profile.path()).await;
    let run = tokio::time::timeout(Duration::from_secs(120), async {
        let phone = measure(
            &client,
            &url,
            (375, 812, 2.0, true),
            &shots.join("photos-product-375.png"),
        )
        .await?;
        let desktop = measure(
            &client,
            &url,
            (1280, 800, 1.0, false),
            &shots.join("photos-product-1280.png"),
        )
        .await?;
        Ok::<_, String>((phone, desktop))
    })
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(20), client.close()).await;
    drop(driver);
    let (phone, desktop) = run
        .expect("the browser run finished in time")
        .expect("the browser run");

    println!(
        "phone: {:.1} KB before scrolling: {:#?}",
        phone.bytes / 1024.0,
        phone.entries
    );
    assert_eq!(phone.dpr, 2.0);
    assert!(
        phone.bytes <= FIRST_SCREEN,
        "the first screen transfers {:.1} KB, over {:.0} KB: {:#?}",
        phone.bytes / 1024.0,
        FIRST_SCREEN / 1024.0,
        phone.entries
    );
    assert!(phone.imgs.iter().any(|i| i.gallery), "{:#?}", phone.imgs);
    // One file shown twice (a gallery photo and its thumbnail) is loaded once: the browser
    // reuses what it has, so a file is judged by the largest place it is shown.
    let widest_use = |m: &Measure, src: &str| {
        m.imgs
            .iter()
            .filter(|o| o.src == src)
            .map(|o| o.rendered)
            .fold(0.0, f64::max)
    };
    for i in &phone.imgs {
        let device = widest_use(&phone, &i.src) * phone.dpr;
        assert!(
            i.file_width <= 2.0 * device + 1.0,
            "{} is {} wide for {device} device pixels",
            i.src,
            i.file_width
        );
    }
    let first = phone.imgs.iter().find(|i| i.gallery).unwrap();
    assert!(
        first.natural_height > first.natural_width,
        "the phone photo is not upright: {first:?}"
    );
    assert!(!desktop.imgs.is_empty());
    for i in &desktop.imgs {
        let device = i.rendered * desktop.dpr;
        assert!(
            i.file_width + 1.0 >= device || i.file_width >= i.widest,
            "{} is {} wide for {device} device pixels though {} exists",
            i.src,
            i.file_width,
            i.widest
        );
    }
}
