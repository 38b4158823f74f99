//! The built shops in a real browser.
//!
//! Builds the example site, two small fixture sites (zh-HK and en) and the example site in
//! three languages (its Hong Kong and English product pages) with the shopgen binary,
//! serves each on its own 127.0.0.1 port, and drives Debian's headless `chromium` through
//! `chromedriver` at a phone size (375×812, mobile emulation) and a desktop size (1280×800).
//! For every page and size it asserts that:
//!
//! - no request leaves the site's own origin (every request Chromium started, from
//!   chromedriver's performance log, plus the Resource Timing entries and every URL that an
//!   `<img>`, `<script>`, `<link>`, `<iframe>`, `<source>`, `<video>`, `<audio>`, `<embed>` or
//!   `<object>` references);
//! - the browser log has no error (console errors, uncaught exceptions, failed loads) and
//!   every image loaded;
//! - at 375 px nothing overflows sideways (`scrollWidth <= innerWidth`, and `innerWidth` is
//!   still 375: on a phone an overflowing page is zoomed out, which would hide the overflow);
//! - after scrolling to the bottom the ICP link (`a[href="https://beian.miit.gov.cn/"]`) is
//!   inside the viewport, has a size, is not hidden and is the element on top at its centre;
//!   a Hong Kong site has no link to the ICP register at all;
//! - a product page on the phone transfers less than [`PHONE_PRODUCT_BUDGET`] before its
//!   photos: the document plus every resource it loaded that is not an image (Resource Timing:
//!   the navigation entry and the resource entries, `transferSize`, or `encodedBodySize` where
//!   that is larger; entries started by an `<img>` and image files are left out). Every page's
//!   figure is printed;
//!
//! and it writes a full-page screenshot of each to `$SHOPGEN_SCREENSHOTS`, or else to
//! `screenshots/` in cargo's target folder (the path is printed).
//!
//! The test fails, not skips, when `chromium` or `chromedriver` is missing: `.ci/run`
//! installs Debian's `chromium` and `chromium-driver`.
//!
//! Driver: fantoccini with chromedriver rather than chromiumoxide. Both are maintained;
//! chromedriver comes from the same Debian source package as `chromium`, so driver and browser
//! always match, while a CDP client is tied to a protocol version. chromedriver gives what a
//! CDP event stream would: `goog:loggingPrefs` collects the browser log (console and network
//! errors) and the performance log (every `Network.requestWillBeSent`, including requests that
//! fail before they reach a server), and `goog/cdp/execute` runs the two CDP commands needed
//! (device metrics, full-page screenshot). fantoccini is also much lighter to build than
//! chromiumoxide's generated protocol types.

mod common;
use common::*;

// The fixture shops and the browser harness live in their own files (a folder without
// main.rs is no test target).
#[path = "browser/fixtures.rs"]
mod fixtures;
#[path = "browser/harness.rs"]
mod harness;
use fixtures::{canary_fixture, en_fixture, zh_hk_fixture};
use harness::*;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use fantoccini::Client;
use serde::Deserialize;
use serde_json::{Value as Json, json};

/// Viewport sizes: a phone (mobile emulation) and a desktop window.
const PHONE: Size = Size {
    width: 375,
    height: 812,
    mobile: true,
};
const DESKTOP: Size = Size {
    width: 1280,
    height: 800,
    mobile: false,
};

/// Upper bound for the whole browser run, so a hung browser fails the test instead of
/// stalling CI. Far above what the run needs; nothing here measures time.
const RUN_LIMIT: Duration = Duration::from_secs(300);

const ICP_LINK: &str = r#"a[href="https://beian.miit.gov.cn/"]"#;

/// What a product page may transfer on a phone before its photos (the issue: under 200 KB).
const PHONE_PRODUCT_BUDGET: f64 = 200.0 * 1024.0;

#[derive(Clone, Copy)]
struct Size {
    width: u32,
    height: u32,
    mobile: bool,
}

#[tokio::test(flavor = "current_thread")]
async fn shops_render_cleanly_in_headless_chromium() {
    let tools = Tools::find();
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", shots.display()));
    println!("screenshots: {}", shots.display());

    let zh_hk = zh_hk_fixture();
    let en = en_fixture();
    let three = common::languages::three_languages();
    let sites = [
        Site::build(
            "example",
            &example_site(),
            &[
                ("home", "/"),
                ("category", "/categories/nv-bao/"),
                ("product", "/products/zhen-pi-tuo-te-bao/"),
            ],
            true,
        ),
        Site::build(
            "zh-hk",
            zh_hk.root(),
            &[("home", "/"), ("product", "/products/duan-kuan-ngan-bao/")],
            false,
        ),
        Site::build(
            "en",
            en.root(),
            &[("home", "/"), ("product", "/products/classic-tote/")],
            true,
        ),
        // The example shop in three languages: the Hong Kong and English sides of the same
        // product (the mainland filing footer on both: it follows the hosting).
        Site::build(
            "languages",
            three.root(),
            &[
                ("hk-product", "/hk/products/zhen-pi-tuo-te-bao/"),
                ("en-product", "/en/products/zhen-pi-tuo-te-bao/"),
                ("hk-home", "/hk/"),
            ],
            true,
        ),
    ];

    // A page that breaks every rule, to prove each check still catches what it is for
    // (a browser or driver update that changed what the logs carry would otherwise pass
    // everything silently). Its screenshot goes to a temp folder.
    let canary_src = canary_fixture();
    let canary = Site::build(
        "canary",
        canary_src.root(),
        &[("product", "/products/canary/")],
        true,
    );
    let canary_shots = tempfile::tempdir().unwrap();

    let driver = ChromeDriver::start(&tools);
    let profile = tempfile::tempdir().unwrap();
    let client = driver.session(&tools, profile.path()).await;

    let mut report = Report::default();
    let mut canary_report = Report::default();
    let run = tokio::time::timeout(RUN_LIMIT, async {
        check_page(
            &client,
            &canary,
            "product",
            "/products/canary/",
            PHONE,
            canary_shots.path(),
            &mut canary_report,
        )
        .await?;
        for site in &sites {
            for (name, path) in &site.pages {
                for size in [PHONE, DESKTOP] {
                    check_page(&client, site, name, path, size, &shots, &mut report).await?;
                }
            }
        }
        // OSS answers every missing key with the root 404.html: under /hk/ it becomes the
        // Hong Kong 404 page.
        let languages = sites.iter().find(|s| s.name == "languages").unwrap();
        client
            .goto(&format!("{}/hk/no-such-page/", languages.origin))
            .await
            .map_err(|e| format!("open a missing page: {e}"))?;
        let mut seen = String::new();
        for _ in 0..50 {
            seen = run_script::<String>(
                &client,
                "var c = document.querySelector('.lang-list .is-current'); \
                 return document.documentElement.lang + ' ' + (c ? c.textContent : '');",
            )
            .await?;
            if seen == "zh-HK 繁體中文" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if seen != "zh-HK 繁體中文" {
            return Err(format!(
                "the 404 page under /hk/ is not Hong Kong's: {seen}"
            ));
        }
        report
            .lines
            .push("languages 404 under /hk/: the Hong Kong 404 page".into());
        Ok::<(), String>(())
    })
    .await;
    // Close the browser before judging, so a failure never leaves Chromium running.
    let closed = tokio::time::timeout(Duration::from_secs(20), client.close()).await;
    drop(driver);

    for line in &report.lines {
        println!("{line}");
    }
    match run {
        Err(_) => panic!(
            "the browser run did not finish within {RUN_LIMIT:?}; pages done:\n{}",
            report.lines.join("\n")
        ),
        Ok(Err(e)) => panic!("the browser run stopped: {e}"),
        Ok(Ok(())) => {}
    }
    assert!(
        matches!(closed, Ok(Ok(()))),
        "closing the browser session failed: {closed:?}"
    );

    let caught: Vec<Problem> = canary_report.failures.iter().map(|(p, _)| *p).collect();
    println!("canary page (must trip every check):");
    for (_, f) in &canary_report.failures {
        println!("  caught: {f}");
    }
    for expected in [
        Problem::External,
        Problem::Log,
        Problem::Image,
        Problem::Overflow,
        Problem::Icp,
        Problem::Weight,
    ] {
        assert!(
            caught.contains(&expected),
            "the canary page breaks the {expected:?} rule but the check did not catch it; it found:\n{:#?}",
            canary_report.failures
        );
    }

    let failures: Vec<&str> = report.failures.iter().map(|(_, f)| f.as_str()).collect();
    assert!(
        failures.is_empty(),
        "{} problem(s) in the browser (screenshots in {}):\n- {}",
        failures.len(),
        shots.display(),
        failures.join("\n- ")
    );
}

#[derive(Default)]
struct Report {
    /// What was measured, one line per page and size.
    lines: Vec<String>,
    failures: Vec<(Problem, String)>,
}

/// Which check a failure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    /// A request or reference outside the site's origin.
    External,
    /// An error in the browser log (console, uncaught exception, failed load).
    Log,
    /// An image that did not load.
    Image,
    /// Horizontal overflow.
    Overflow,
    /// The ICP link not visible (mainland) or present (Hong Kong).
    Icp,
    /// A product page that transfers too much on a phone before its photos.
    Weight,
    /// The test's own machinery (the performance log lost the page request).
    Driver,
}

/// What the page script measures at the top of the page.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Layout {
    inner_width: f64,
    scroll_width: f64,
    client_width: f64,
    /// Elements that stick out past the right edge (outermost first), when there is overflow.
    overflowing: Vec<String>,
    /// Resource Timing entries and URLs referenced by the DOM.
    resources: Vec<String>,
    dom_refs: Vec<String>,
}

/// What the page script finds after scrolling to the bottom.
#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Bottom {
    /// Rendered images not loaded (or broken) after scrolling through the page.
    broken_images: Vec<String>,
    /// Links to the ICP register anywhere on the page.
    icp_links: usize,
    icp: Option<IcpBox>,
}

/// Bytes the page transferred without its images, from Resource Timing.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Transfer {
    bytes: f64,
    /// The entries counted, as "bytes url", largest first.
    counted: Vec<String>,
    /// Whether the navigation entry (the document itself) was among them.
    navigation: bool,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct IcpBox {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    inner_width: f64,
    inner_height: f64,
    display: String,
    visibility: String,
    opacity: f64,
    /// The element on top at the link's centre, and whether it is the link or inside it.
    hit: String,
    hit_inside: bool,
    text: String,
}

async fn check_page(
    client: &Client,
    site: &Site,
    name: &str,
    path: &str,
    size: Size,
    shots: &Path,
    report: &mut Report,
) -> Result<(), String> {
    let label = format!("{} {name} {}×{}", site.name, size.width, size.height);
    let url = format!("{}{path}", site.origin);
    let fail = |report: &mut Report, kind: Problem, what: String| {
        report
            .failures
            .push((kind, format!("{label} ({url}): {what}")))
    };

    // A blank page between pages, then empty logs, so each page's log is its own.
    client
        .goto("about:blank")
        .await
        .map_err(|e| format!("{label}: about:blank: {e}"))?;
    viewport(client, (size.width, size.height, 1.0, size.mobile)).await?;
    read_log(client, "browser").await?;
    read_log(client, "performance").await?;

    client
        .goto(&url)
        .await
        .map_err(|e| format!("{label}: loading {url}: {e}"))?;

    let layout: Layout = run_script(client, LAYOUT_JS).await?;
    let bottom: Bottom = run_async_script(client, BOTTOM_JS).await?;
    // After the scroll, so whatever the page loads on the way down counts too.
    let transfer: Transfer = run_script(client, TRANSFER_JS).await?;

    // Full-page screenshot from the top.
    client
        .execute(
            "window.scrollTo({ top: 0, left: 0, behavior: 'instant' })",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let metrics = cdp(client, "Page.getLayoutMetrics", json!({})).await?;
    let content = &metrics["cssContentSize"];
    let shot_w = content["width"]
        .as_f64()
        .unwrap_or(size.width as f64)
        .ceil()
        .max(size.width as f64);
    let shot_h = content["height"]
        .as_f64()
        .unwrap_or(size.height as f64)
        .ceil()
        .clamp(1.0, 16_000.0);
    let png = cdp(
        client,
        "Page.captureScreenshot",
        json!({
            "format": "png",
            "captureBeyondViewport": true,
            "clip": { "x": 0, "y": 0, "width": shot_w, "height": shot_h, "scale": 1 },
        }),
    )
    .await?;
    let png = png["data"]
        .as_str()
        .ok_or("Page.captureScreenshot returned no data")?;
    let png = BASE64
        .decode(png)
        .map_err(|e| format!("Page.captureScreenshot: {e}"))?;
    let file = shots.join(format!("{}-{name}-{}.png", site.name, size.width));
    std::fs::write(&file, &png).map_err(|e| format!("cannot write {}: {e}", file.display()))?;

    // Requests, from the performance log (every request Chromium started for this page).
    let mut requested = Vec::new();
    for entry in read_log(client, "performance").await? {
        let Some(msg) = entry["message"].as_str() else {
            continue;
        };
        let Ok(msg) = serde_json::from_str::<Json>(msg) else {
            continue;
        };
        if msg["message"]["method"] == "Network.requestWillBeSent"
            && let Some(u) = msg["message"]["params"]["request"]["url"].as_str()
        {
            requested.push(u.to_string());
        }
    }
    let browser_log = read_log(client, "browser").await?;

    // 1. No request leaves the origin.
    let mut all: Vec<&String> = requested
        .iter()
        .chain(&layout.resources)
        .chain(&layout.dom_refs)
        .collect();
    all.sort();
    all.dedup();
    let external: Vec<&&String> = all
        .iter()
        .filter(|u| !same_origin(u, &site.origin))
        .collect();
    if !external.is_empty() {
        fail(
            report,
            Problem::External,
            format!(
                "requests or references outside {}: {external:?}",
                site.origin
            ),
        );
    }
    if !requested.iter().any(|u| u.starts_with(&url)) {
        fail(
            report,
            Problem::Driver,
            format!(
                "the performance log did not record the page request itself (saw {requested:?})"
            ),
        );
    }

    // 2. No console error, no failed load.
    let mut warnings = 0;
    for entry in &browser_log {
        let level = entry["level"].as_str().unwrap_or("");
        match level {
            "SEVERE" => fail(
                report,
                Problem::Log,
                format!(
                    "browser log {}: {}",
                    entry["source"].as_str().unwrap_or("?"),
                    entry["message"].as_str().unwrap_or("?")
                ),
            ),
            "WARNING" => warnings += 1,
            _ => {}
        }
    }
    if !bottom.broken_images.is_empty() {
        fail(
            report,
            Problem::Image,
            format!("images that did not load: {:?}", bottom.broken_images),
        );
    }

    // 3. No horizontal overflow. On the phone an overflowing page is zoomed out to fit, which
    // widens innerWidth with it: innerWidth must also still be the phone's width.
    {
        let w = size.width as f64;
        if layout.inner_width != w || layout.scroll_width > layout.inner_width {
            fail(
                report,
                Problem::Overflow,
                format!(
                    "horizontal overflow: scrollWidth {} > {w} (innerWidth {}, clientWidth {}); sticking out: {:?}",
                    layout.scroll_width,
                    layout.inner_width,
                    layout.client_width,
                    layout.overflowing
                ),
            );
        }
    }

    // 4. The ICP link is visible at the bottom (mainland), absent (Hong Kong).
    let icp_note = if site.icp {
        match &bottom.icp {
            None => {
                fail(report, Problem::Icp, format!("no {ICP_LINK} on the page"));
                "ICP link missing".to_string()
            }
            Some(b) => {
                let inside = b.width > 0.0
                    && b.height > 0.0
                    && b.left >= 0.0
                    && b.top >= 0.0
                    && b.left + b.width <= b.inner_width
                    && b.top + b.height <= b.inner_height;
                let shown = b.display != "none" && b.visibility == "visible" && b.opacity > 0.0;
                if !(inside && shown && b.hit_inside && !b.text.is_empty()) {
                    fail(
                        report,
                        Problem::Icp,
                        format!("ICP link not visible after scrolling to the bottom: {b:?}"),
                    );
                }
                format!(
                    "ICP link at ({:.0},{:.0}) {:.0}×{:.0} in {:.0}×{:.0}, on top: {}",
                    b.left, b.top, b.width, b.height, b.inner_width, b.inner_height, b.hit
                )
            }
        }
    } else {
        if bottom.icp_links != 0 {
            fail(
                report,
                Problem::Icp,
                format!(
                    "a Hong Kong site links the ICP register {} time(s)",
                    bottom.icp_links
                ),
            );
        }
        format!("{} ICP link(s)", bottom.icp_links)
    };

    // 5. A product page on a phone stays light before its photos.
    if !transfer.navigation || transfer.bytes <= 0.0 {
        fail(
            report,
            Problem::Driver,
            format!(
                "Resource Timing did not give the document's size (counted {:?})",
                transfer.counted
            ),
        );
    }
    let weighed = name == "product" && size.mobile;
    if weighed && transfer.bytes >= PHONE_PRODUCT_BUDGET {
        fail(
            report,
            Problem::Weight,
            format!(
                "the page transfers {:.1} KB without images, over the {:.0} KB budget: {:?}",
                transfer.bytes / 1024.0,
                PHONE_PRODUCT_BUDGET / 1024.0,
                transfer.counted
            ),
        );
    }
    let weight_note = format!(
        "{:.1} KB transferred without images ({} entries){}",
        transfer.bytes / 1024.0,
        transfer.counted.len(),
        if weighed {
            format!(", budget {:.0} KB", PHONE_PRODUCT_BUDGET / 1024.0)
        } else {
            String::new()
        }
    );

    report.lines.push(format!(
        "{label}: innerWidth {} scrollWidth {}; {} requests, {} external; {} log errors, {} warnings; {icp_note}; {weight_note}; {} ({}×{}, {} KB)",
        layout.inner_width,
        layout.scroll_width,
        requested.len(),
        external.len(),
        browser_log.iter().filter(|e| e["level"] == "SEVERE").count(),
        warnings,
        file.display(),
        shot_w,
        shot_h,
        png.len() / 1024,
    ));
    Ok(())
}

/// Measured at the top of the page, right after load.
const LAYOUT_JS: &str = r#"
const de = document.documentElement;
const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
const overflowing = [];
if (de.scrollWidth > window.innerWidth || window.innerWidth !== de.clientWidth) {
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > de.clientWidth + 0.5 && !overflowing.some(o => o.el.contains(el))) {
      overflowing.push({ el, text: describe(el) + ' right=' + Math.round(r.right) });
    }
    if (overflowing.length >= 8) break;
  }
}
const abs = u => { try { return new URL(u, document.baseURI).href; } catch (e) { return String(u); } };
const domRefs = [];
for (const el of document.querySelectorAll('img, script, link, iframe, source, video, audio, embed, object')) {
  for (const a of ['src', 'href', 'data', 'poster']) {
    const v = el.getAttribute(a);
    if (v) domRefs.push(abs(v));
  }
  for (const a of ['srcset', 'imagesrcset']) {
    const v = el.getAttribute(a);
    if (v) for (const c of v.split(',')) { const u = c.trim().split(/\s+/)[0]; if (u) domRefs.push(abs(u)); }
  }
  if (el.currentSrc) domRefs.push(el.currentSrc);
}
return {
  innerWidth: window.innerWidth,
  scrollWidth: de.scrollWidth,
  clientWidth: de.clientWidth,
  overflowing: overflowing.map(o => o.text),
  resources: performance.getEntriesByType('resource').map(e => e.name),
  domRefs,
};
"#;

/// Scrolls through the page a screen at a time (so lazy images load), waits for the rendered
/// images (at most 5 s), then looks at the ICP link from the bottom of the page.
const BOTTOM_JS: &str = r#"
const done = arguments[arguments.length - 1];
const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 20)));
(async () => {
  const de = document.documentElement;
  for (let y = 0; y < de.scrollHeight; y += Math.max(200, window.innerHeight - 100)) {
    window.scrollTo({ top: y, left: 0, behavior: 'instant' });
    await frame();
  }
  // Only images that are rendered: a lazy image inside a `display: none` box (say, a picture
  // shown on desktops only) rightly never loads.
  const shown = [...document.images].filter(i => i.getClientRects().length > 0);
  const pending = shown.filter(i => !i.complete).map(i => new Promise(r => {
    i.addEventListener('load', r, { once: true });
    i.addEventListener('error', r, { once: true });
  }));
  await Promise.race([Promise.all(pending), new Promise(r => setTimeout(r, 5000))]);
  window.scrollTo({ top: de.scrollHeight, left: 0, behavior: 'instant' });
  await frame();
  await frame();
  const brokenImages = shown
    .filter(i => !i.complete || i.naturalWidth === 0)
    .map(i => i.currentSrc || i.src);
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const icpLinks = document.querySelectorAll('a[href*="beian.miit.gov.cn"]').length;
  const a = document.querySelector('a[href="https://beian.miit.gov.cn/"]');
  let icp = null;
  if (a) {
    const r = a.getBoundingClientRect();
    const cs = getComputedStyle(a);
    let opacity = 1;
    for (let e = a; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
    const hitEl = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    icp = {
      left: r.left, top: r.top, width: r.width, height: r.height,
      innerWidth: window.innerWidth, innerHeight: window.innerHeight,
      display: cs.display, visibility: cs.visibility, opacity,
      hit: hitEl ? describe(hitEl) : 'nothing',
      hitInside: !!hitEl && (hitEl === a || a.contains(hitEl)),
      text: a.textContent.trim(),
    };
  }
  done({ brokenImages, icpLinks, icp });
})();
"#;

/// The document and every non-image resource the page loaded, from Resource Timing. Image
/// files and what an `<img>` started are left out: product photos do not count.
const TRANSFER_JS: &str = r#"
const image = /\.(avif|bmp|gif|ico|jpe?g|png|svg|webp)$/i;
const counted = [];
let bytes = 0;
let navigation = false;
for (const e of [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]) {
  let path = e.name;
  try { path = new URL(e.name).pathname; } catch (err) { /* keep the name */ }
  if (e.initiatorType === 'img' || image.test(path)) continue;
  const size = Math.max(e.transferSize || 0, e.encodedBodySize || 0);
  if (e.entryType === 'navigation') navigation = size > 0;
  bytes += size;
  counted.push([size, e.name]);
}
counted.sort((a, b) => b[0] - a[0]);
return { bytes, counted: counted.map(([size, name]) => size + ' ' + name), navigation };
"#;

/// The test's file server maps folders to `index.html`, sets the type, answers 404 with the
/// site's `404.html`, and never serves a file outside its folder.
#[test]
fn static_server_serves_clean_urls_and_the_404_page() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("public");
    std::fs::create_dir_all(root.join("products/a")).unwrap();
    std::fs::write(root.join("products/a/index.html"), "<p>a</p>").unwrap();
    std::fs::write(root.join("404.html"), "<p>not here</p>").unwrap();
    std::fs::write(root.join("logo.svg"), "<svg/>").unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let _server = StaticServer::start(listener, root);
    let get = |path: &str| {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut s, &mut out).unwrap();
        out
    };
    let page = get("/products/a/?utm=x");
    assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
    assert!(
        page.contains("Content-Type: text/html; charset=utf-8\r\n") && page.ends_with("<p>a</p>"),
        "{page}"
    );
    assert!(get("/logo.svg").contains("Content-Type: image/svg+xml\r\n"));
    for missing in ["/nope/", "/../secret.txt", "/%2e%2e/secret.txt"] {
        let r = get(missing);
        assert!(
            r.starts_with("HTTP/1.1 404 Not Found\r\n") && r.ends_with("<p>not here</p>"),
            "{missing}: {r}"
        );
    }
}
