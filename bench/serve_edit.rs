//! How long `shopgen serve` takes to show a one-product edit, on synthetic shops of 1,000 and
//! 10,000 products: re-read the one file and re-render the pages that show it (the product,
//! home, its listing pages, the pages that list it as related, the sitemap). The file watcher's
//! debounce and the HTTP round trip are not included.
//!
//! Run: `cargo bench --bench serve_edit` (optionally `-- 1000 5000` for other sizes, or
//! `-- --site FOLDER` for a shop of your own; bench/compare.py runs it on its catalog).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shopgen::Options as LoadOptions;
use shopgen::serve::live::{Changes, Live, Report};

const CATEGORIES: &[(&str, &str)] = &[
    ("箱包", "bags"),
    ("鞋履", "shoes"),
    ("女装", "womens"),
    ("男装", "mens"),
    ("珠宝", "jewelry"),
    ("腕表", "watches"),
    ("美妆", "beauty"),
    ("厨房", "kitchen"),
    ("家居", "home"),
    ("床品", "bedding"),
    ("数码", "digital"),
    ("户外", "outdoor"),
    ("运动", "sports"),
    ("玩具", "toys"),
    ("母婴", "baby"),
    ("宠物", "pets"),
    ("茶与咖啡", "tea"),
    ("零食", "snacks"),
    ("文具", "stationery"),
    ("图书", "books"),
];
const IMAGES: usize = 20;
const ROUNDS: usize = 15;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!(
        "serve_edit: one-product edit → re-parse + re-render, {} cores",
        rayon::current_num_threads()
    );
    if let Some(k) = args.iter().position(|a| a == "--site") {
        let root = PathBuf::from(args.get(k + 1).expect("--site needs a folder"));
        bench_site(&root);
        return;
    }
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("shop");
        generate(&root, n);
        bench_site(&root);
    }
}

/// Load the shop at `root` as `shopgen serve` does, then edit a product from the middle of the
/// catalog and the first one (each edit is undone at the end).
fn bench_site(root: &Path) {
    let opts = LoadOptions {
        drafts: false,
        base_url: Some("http://127.0.0.1:1111/".into()),
    };
    let start = Instant::now();
    let (mut live, first) = Live::new(root.to_path_buf(), opts);
    let first = first.unwrap_or_else(|e| panic!("the shop does not build: {e}"));
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/products"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    println!(
        "\n{} products: first build {} pages in {} ms",
        files.len(),
        first.rendered.pages,
        start.elapsed().as_millis()
    );
    // A product in the middle of the catalog: its page, home, one page of each listing.
    measure(
        &mut live,
        "a product from the middle (title + story)",
        &files[files.len() / 2],
    );
    // The first product: on the home page and the first page of every listing it is in.
    measure(&mut live, "the first product (title + story)", &files[0]);
}

fn measure(live: &mut Live, what: &str, file: &Path) {
    let original = std::fs::read_to_string(file).expect("read product");
    let mut times = Vec::with_capacity(ROUNDS);
    let mut report = Report::default();
    for round in 0..ROUNDS {
        // A new title and one more paragraph in the story.
        let text = original.replacen("\ntitle: ", &format!("\ntitle: 第{round}版 "), 1)
            + &format!("\n第 {round} 次修改。\n");
        std::fs::write(file, text).expect("write product");
        let changes = Changes {
            files: [file.to_path_buf()].into(),
            products: [file.to_path_buf()].into(),
            ..Changes::default()
        };
        let start = Instant::now();
        report = live
            .apply(changes)
            .unwrap_or_else(|e| panic!("edit failed: {e}"));
        times.push(start.elapsed());
    }
    std::fs::write(file, original).expect("restore product");
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {what:<44} {:>6.1} ms median, {:>6.1} ms min, {:>6.1} ms max  ({} of {} pages rendered)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        report.rendered.rendered,
        report.rendered.pages
    );
}

fn product_file(root: &Path, i: usize) -> PathBuf {
    root.join("content/products").join(format!("p{i:05}.md"))
}

/// A deterministic shop of `n` products: 20 categories, ~600-word Markdown stories with a
/// list and a table, 3 images each.
fn generate(root: &Path, n: usize) {
    let products = root.join("content/products");
    let images = root.join("static/images");
    std::fs::create_dir_all(&products).unwrap();
    std::fs::create_dir_all(&images).unwrap();
    for i in 0..IMAGES {
        std::fs::write(
            images.join(format!("p{i}.svg")),
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"{i}\" height=\"8\"/></svg>"),
        )
        .unwrap();
    }
    let mut cats = String::new();
    for (name, slug) in CATEGORIES {
        let _ = writeln!(cats, "  - {{ name: {name}, slug: {slug} }}");
    }
    std::fs::write(
        root.join("shop.yaml"),
        format!(
            "title: 示例商城\nbase_url: https://shop.example.cn/\nlanguage: zh-CN\npaginate: 24\n\
             hosting:\n  region: mainland\n  icp: 浙ICP备2024123456号-1\n\
             home:\n  trust: [正品保证, 7天无理由退货]\ncategories:\n{cats}"
        ),
    )
    .unwrap();
    for i in 0..n {
        let (cat, _) = CATEGORIES[i % CATEGORIES.len()];
        let price = 49 + (i * 37) % 5000;
        let mut body = String::new();
        let _ = writeln!(body, "## 产品介绍 Overview\n");
        for k in 0..6 {
            let _ = writeln!(
                body,
                "第 {i} 号商品的第 {k} 段介绍：细节部分由手工完成，因此颜色和纹理的细微差异正是它独特的魅力。 \
                 Customers tell us it is the piece they reach for first, thanks to its value and honest price. \
                 与同系列商品搭配，从办公室到家庭聚餐都能轻松应对。\n"
            );
        }
        let _ = writeln!(body, "## 产品亮点 Highlights\n");
        for k in 0..4 {
            let _ = writeln!(body, "- **亮点 {k}**：food-grade material / 湿布擦拭即可");
        }
        let _ = writeln!(body, "\n| 参数 Spec | 值 Value |\n| --- | --- |");
        for k in 0..6 {
            let _ = writeln!(body, "| 参数 {k} | 值 {} |", i * k);
        }
        let imgs: Vec<String> = (0..3)
            .map(|k| format!("images/p{}.svg", (i + k) % IMAGES))
            .collect();
        std::fs::write(
            product_file(root, i),
            format!(
                "---\ntitle: 商品 {i} Product\nprice: {price}\noriginal_price: {}\nsku: SKU-{i:06}\n\
                 category: {cat}\ntags: [tag{}, tag{}]\nimages: [{}]\nbadges: [正品保证, 热卖]\n\
                 weight: {i}\ndate: 2026-01-{:02}\nstock: {}\nfeatured: {}\n---\n{body}",
                price + 100,
                i % 30,
                i % 7,
                imgs.join(", "),
                1 + i % 28,
                i % 50,
                i % 500 == 0,
            ),
        )
        .unwrap();
    }
}
