//! Search in a real browser (headless Chromium through chromedriver, as `tests/browser.rs`):
//!
//! - the example shop at 375 and 1280 px: `/search/?q=托特` lists the tote first, `tuote`
//!   finds it, `錢包` finds the wallets, a term that matches nothing shows the empty state
//!   with the categories; the box has a label; no request leaves the origin; in the header
//!   box, typing 托特, ↓ and Enter opens the tote;
//! - a zh-HK shop with Traditional text is found with a Simplified query;
//! - a 10,000-product shop: one query transfers at most [`QUERY_BUDGET`] of search files
//!   (Resource Timing), and the time from the shards' arrival to the results is printed.
//!
//! Screenshots go to the screenshot folder. Fails, never skips, without Chromium.

mod common;
#[path = "browser/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::Duration;

use common::{Fixture, copy_example_site};
use fantoccini::Locator;
use fantoccini::key::Key;
use harness::*;
use serde::Deserialize;
use serde_json::json;

const QUERY_BUDGET: f64 = 150.0 * 1024.0;

#[derive(Debug, Deserialize)]
struct Card {
    title: String,
    href: String,
    /// The price shown, in yuan (none for a page).
    price: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Results {
    cards: Vec<Card>,
    empty: bool,
    categories: usize,
    labelled: bool,
    /// Bytes of the search files (manifest, shards, records, facets) this page loaded.
    search_bytes: f64,
    search_files: Vec<String>,
    /// Every URL the page loaded.
    urls: Vec<String>,
    /// performance.now() when the shards had arrived, when the results were ranked (and
    /// filtered), when their records had arrived and when they were shown.
    arrived: f64,
    ranked: f64,
    records: f64,
    shown: f64,
}

/// Wait for the search script to show results (or the empty state), then report them.
const RESULTS_JS: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const start = Date.now();
  while (!(window.shopgenSearch && window.shopgenSearch.shown)) {
    if (Date.now() - start > 15000) return done({ error: 'no results within 15 s: ' + document.getElementById('search-status').textContent });
    await new Promise(r => setTimeout(r, 30));
  }
  await new Promise(r => setTimeout(r, 100));
  const cards = [...document.querySelectorAll('#search-results .card')].map(c => ({
    title: c.querySelector('.card-title').textContent, href: c.querySelector('a').getAttribute('href'),
    price: c.querySelector('.price') ? parseFloat(c.querySelector('.price').textContent.replace(/[^0-9.]/g, '')) : null }));
  let bytes = 0;
  const files = [], urls = [location.href];
  for (const e of performance.getEntriesByType('resource')) {
    urls.push(e.name);
    if (/\/search\/index\.json|\/assets\/search\//.test(e.name)) {
      const size = Math.max(e.transferSize || 0, e.encodedBodySize || 0);
      bytes += size;
      files.push(size + ' ' + e.name);
    }
  }
  const start_box = document.getElementById('search-start');
  done({
    cards, empty: !start_box.hidden && !document.getElementById('search-empty-text').hidden,
    categories: start_box.hidden ? 0 : start_box.querySelectorAll('a').length,
    labelled: !!document.querySelector('label[for="search-q"]') && !!document.querySelector('label[for="site-q"]'),
    search_bytes: bytes, search_files: files, urls,
    arrived: window.shopgenSearch.arrived || 0, ranked: window.shopgenSearch.ranked || 0,
    records: window.shopgenSearch.records || 0, shown: window.shopgenSearch.shown,
  });
})();
"#;

async fn results(client: &fantoccini::Client, url: &str) -> Result<Results, String> {
    client.goto(url).await.map_err(|e| e.to_string())?;
    let v: serde_json::Value = run_async_script(client, RESULTS_JS).await?;
    if let Some(e) = v.get("error") {
        return Err(format!("{url}: {e}"));
    }
    serde_json::from_value(v).map_err(|e| e.to_string())
}

fn q(origin: &str, query: &str) -> String {
    format!(
        "{origin}/search/?q={}",
        percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
    )
}

/// Type in the header box, pick the first suggestion with ↓ and open it with Enter.
async fn keyboard(client: &fantoccini::Client, origin: &str) -> Result<(String, String), String> {
    client
        .goto(&format!("{origin}/"))
        .await
        .map_err(|e| e.to_string())?;
    let input = client
        .find(Locator::Css("#site-q"))
        .await
        .map_err(|e| e.to_string())?;
    input.click().await.map_err(|e| e.to_string())?;
    input.send_keys("托特").await.map_err(|e| e.to_string())?;
    let first: String = run_async_script(
        client,
        r#"const done = arguments[arguments.length - 1];
        (async () => {
          const start = Date.now();
          let a;
          while (!(a = document.querySelector('#site-q-list:not([hidden]) a'))) {
            if (Date.now() - start > 15000) return done('');
            await new Promise(r => setTimeout(r, 30));
          }
          done(a.getAttribute('href'));
        })();"#,
    )
    .await?;
    input
        .send_keys(&char::from(Key::Down).to_string())
        .await
        .map_err(|e| e.to_string())?;
    input
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .map_err(|e| e.to_string())?;
    for _ in 0..100 {
        let now = client.current_url().await.map_err(|e| e.to_string())?;
        if now.path() != "/" {
            return Ok((first, now.path().to_string()));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err("Enter on the selected suggestion opened nothing".into())
}

fn tote_first(r: &Results, what: &str) {
    assert!(
        r.cards.first().is_some_and(
            |c| c.title.contains("真皮托特包") && c.href == "/products/zhen-pi-tuo-te-bao/"
        ),
        "{what}: the tote is not first: {:?}",
        r.cards
    );
}

#[tokio::test(flavor = "current_thread")]
async fn search_finds_chinese_pinyin_and_traditional_in_the_browser() {
    let tools = Tools::find();
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots).unwrap();
    let src = tempfile::tempdir().unwrap();
    copy_example_site(src.path());
    let site = Site::build("search", src.path(), &[], true);
    let hk = Fixture::new(
        "title: 港店\nbase_url: https://shop.example.hk\nlanguage: zh-HK\ncurrency: HKD\nhosting:\n  region: hongkong\n",
    );
    hk.product(
        "wallet.md",
        "title: 真皮長款錢包\nprice: 899\nsku: HK-W-2001\n",
        "意大利植鞣皮，內有十二個卡位。\n",
    );
    hk.product("bag.md", "title: 帆布袋\nprice: 199\n", "輕便耐用。\n");
    let hk_site = Site::build("search-hk", hk.root(), &[], false);

    let driver = ChromeDriver::start(&tools);
    let profile = tempfile::tempdir().unwrap();
    let client = driver.session(&tools, profile.path()).await;
    let o = site.origin.clone();
    let run = tokio::time::timeout(Duration::from_secs(180), async {
        let mut out = Vec::new();
        for (w, h) in [(375, 812), (1280, 800)] {
            viewport(&client, (w, h, 1.0, w < 768)).await?;
            let tote = results(&client, &q(&o, "托特")).await?;
            let png = client.screenshot().await.map_err(|e| e.to_string())?;
            std::fs::write(shots.join(format!("search-{w}.png")), png)
                .map_err(|e| e.to_string())?;
            let pinyin = results(&client, &q(&o, "tuote")).await?;
            let initials = results(&client, &q(&o, "zpttb")).await?;
            let wallets = results(&client, &q(&o, "錢包")).await?;
            let nothing = results(&client, &q(&o, "量子计算机")).await?;
            let png = client.screenshot().await.map_err(|e| e.to_string())?;
            std::fs::write(shots.join(format!("search-empty-{w}.png")), png)
                .map_err(|e| e.to_string())?;
            let filtered = results(&client, &format!("{}&sort=price&max=500", q(&o, "包"))).await?;
            out.push((w, tote, pinyin, initials, wallets, nothing, filtered));
        }
        let keys = keyboard(&client, &o).await?;
        let hk_found = results(&client, &q(&hk_site.origin, "钱包")).await?;
        let hk_sku = results(&client, &q(&hk_site.origin, "hk-w-2001")).await?;
        Ok::<_, String>((out, keys, hk_found, hk_sku))
    })
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(20), client.close()).await;
    drop(driver);
    let (out, (first, opened), hk_found, hk_sku) = run
        .expect("the browser run finished in time")
        .expect("the browser run");

    for (w, tote, pinyin, initials, wallets, nothing, filtered) in &out {
        println!("{w} px: 托特 → {:?}", tote.cards);
        tote_first(tote, "托特");
        tote_first(pinyin, "tuote");
        tote_first(initials, "zpttb");
        assert!(tote.labelled, "the search boxes have labels");
        // The example's three wallets (钱包 in their titles) first, then what mentions them.
        let titled = wallets
            .cards
            .iter()
            .take_while(|c| c.title.contains("钱包"))
            .count();
        assert!(
            titled == 3
                && wallets
                    .cards
                    .iter()
                    .skip(3)
                    .all(|c| !c.title.contains("钱包")),
            "錢包 finds the wallets first: {:?}",
            wallets.cards
        );
        assert!(nothing.cards.is_empty() && nothing.empty, "{nothing:?}");
        assert!(
            nothing.categories >= 3,
            "the empty state links the categories"
        );
        assert!(!filtered.cards.is_empty(), "{filtered:?}");
        let prices: Vec<f64> = filtered.cards.iter().filter_map(|c| c.price).collect();
        assert_eq!(
            prices.len(),
            filtered.cards.len(),
            "only products: {filtered:?}"
        );
        assert!(
            prices.iter().all(|&p| p <= 500.0) && prices.windows(2).all(|w| w[0] <= w[1]),
            "包 at most ¥500, cheapest first: {prices:?}"
        );
        for r in [tote, pinyin, wallets, nothing, filtered] {
            for u in &r.urls {
                assert!(
                    same_origin(u, &site.origin),
                    "a request left the origin: {u}"
                );
            }
        }
    }
    assert!(first.contains("/products/"), "{first}");
    assert_eq!(opened, first, "↓ and Enter open the first suggestion");
    assert!(
        hk_found.cards.iter().any(|c| c.title.contains("錢包")),
        "a Simplified query finds Traditional text: {:?}",
        hk_found.cards
    );
    assert_eq!(hk_sku.cards.len(), 1, "the SKU finds its product only");
}

/// A large shop: `n` products in 20 categories, titles and bodies in mixed Chinese and English.
fn large_shop(n: usize) -> Fixture {
    const CATS: [(&str, [&str; 3]); 10] = [
        ("箱包", ["托特包", "双肩包", "斜挎包"]),
        ("鞋履", ["运动鞋", "乐福鞋", "短靴"]),
        ("女装", ["连衣裙", "针织开衫", "风衣"]),
        ("男装", ["衬衫", "夹克", "卫衣"]),
        ("珠宝", ["项链", "耳环", "手链"]),
        ("腕表", ["机械表", "石英表", "智能手表"]),
        ("美妆", ["口红", "精华液", "面霜"]),
        ("厨房", ["炒锅", "刀具套装", "咖啡机"]),
        ("家居", ["香薰蜡烛", "花瓶", "抱枕"]),
        ("数码", ["蓝牙耳机", "充电宝", "机械键盘"]),
    ];
    const ADJ: [(&str, &str); 8] = [
        ("真皮", "Leather"),
        ("复古", "Vintage"),
        ("轻量", "Lightweight"),
        ("经典", "Classic"),
        ("简约", "Minimalist"),
        ("手工", "Handmade"),
        ("防水", "Waterproof"),
        ("限量", "Limited"),
    ];
    const SENTENCES: [&str; 12] = [
        "我们位于上海的工作室对每一件产品进行检验，兼顾舒适与超值。",
        "Customers tell us it is the piece they reach for first, thanks to its honest price.",
        "细节部分由手工完成，因此颜色和纹理的细微差异正是它独特的魅力。",
        "Every order ships in recyclable packaging with a printed care card.",
        "如不满意，可在七天内申请退货，我们将全额退款。",
        "第三方实验室检测表明，食品级硅胶符合国家安全标准。",
        "Our studio in Shenzhen refined every piece to balance warmth and portability.",
        "全国包邮，下单后 48 小时内发货。",
        "在比较了十多种样品之后，我们最终选择了拉丝不锈钢，因为它更加耐用。",
        "Pair it with items from the same collection for a look that works all year.",
        "使用柔软的干布清洁，存放于阴凉干燥处，避免长时间暴晒。",
        "We chose full-grain leather after comparing more than a dozen samples.",
    ];
    let yaml = String::from(
        "title: 大店\nbase_url: https://big.example.cn\nlanguage: zh-CN\npaginate: 24\nhosting:\n  region: mainland\n  icp: 京ICP备12345678号-1\n",
    );
    let f = Fixture::new(&yaml);
    let mut seed: u64 = 42;
    let mut next = move |m: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % m
    };
    for i in 0..n {
        let c = next(CATS.len());
        let (cat, nouns) = CATS[c];
        let noun = nouns[next(3)];
        let (adj, adj_en) = ADJ[next(ADJ.len())];
        let mut body = format!(
            "## 产品介绍 Overview\n\n这款{adj}{noun}专为日常通勤而设计。 A {adj_en} piece.\n\n"
        );
        for _ in 0..10 {
            body.push_str(SENTENCES[next(SENTENCES.len())]);
            body.push(' ');
        }
        f.product(
            &format!("p{i:05}.md"),
            &format!(
                "title: \"{adj}{noun} {adj_en} {i:04}\"\nprice: {}\noriginal_price: 9999\nsku: \"SKU-B-{i:06}\"\ncategory: {cat}\ntags: [{}]\ndate: 2024-01-{:02}\n",
                99 + next(3000),
                ["gift", "travel", "office", "summer"][next(4)],
                1 + next(28),
            ),
            &body,
        );
    }
    f
}

#[tokio::test(flavor = "current_thread")]
async fn a_query_in_a_large_shop_downloads_only_what_it_needs() {
    let tools = Tools::find();
    let shop = large_shop(10_000);
    let site = Site::build("search-large", shop.root(), &[], true);
    let driver = ChromeDriver::start(&tools);
    let profile = tempfile::tempdir().unwrap();
    let client = driver.session(&tools, profile.path()).await;
    let o = site.origin.clone();
    let queries = [
        "托特包",
        "真皮",
        "leather",
        "zhenpi",
        "包",
        "sku-b-000123",
        "耳机",
    ];
    let run = tokio::time::timeout(Duration::from_secs(180), async {
        viewport(&client, (375, 812, 1.0, true)).await?;
        let mut out = Vec::new();
        for query in queries {
            cdp(&client, "Network.clearBrowserCache", json!({})).await?;
            client
                .goto("about:blank")
                .await
                .map_err(|e| e.to_string())?;
            out.push((query, results(&client, &q(&o, query)).await?));
        }
        Ok::<_, String>(out)
    })
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(20), client.close()).await;
    drop(driver);
    let out = run
        .expect("the browser run finished in time")
        .expect("the browser run");
    for (query, r) in &out {
        println!(
            "{query}: {} results, {:.1} KB of search files in {} files; {:.1} ms to rank and draw \
             after the files arrived ({:.1} ms from the shards to the results, records fetched between)",
            r.cards.len(),
            r.search_bytes / 1024.0,
            r.search_files.len(),
            (r.ranked - r.arrived) + (r.shown - r.records),
            r.shown - r.arrived,
        );
        assert!(!r.cards.is_empty(), "{query} finds products");
        assert!(
            r.search_bytes <= QUERY_BUDGET,
            "{query} transfers {:.1} KB of search files, over {:.0} KB: {:#?}",
            r.search_bytes / 1024.0,
            QUERY_BUDGET / 1024.0,
            r.search_files
        );
        assert!(
            r.arrived > 0.0
                && r.ranked >= r.arrived
                && r.shown >= r.records
                && r.records >= r.ranked,
            "{r:?}"
        );
    }
    let sku = &out.iter().find(|(q, _)| q.starts_with("sku")).unwrap().1;
    assert_eq!(
        sku.cards.len(),
        1,
        "a SKU finds its product only: {:?}",
        sku.cards
    );
}
