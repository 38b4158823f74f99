//! End-to-end builds: what a buyer sees in the HTML.

mod common;
use common::*;

#[test]
fn example_site_builds_every_page() {
    let (_tmp, out) = build_example_site();
    let read =
        |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));

    let home = read("index.html");
    assert!(home.contains("<html lang=\"zh-CN\""), "lang attribute");
    assert!(home.contains("山川皮具"));
    assert!(
        home.contains("浙ICP备2024123456号-1"),
        "ICP number in the footer"
    );
    let css = home
        .split("/assets/style.")
        .nth(1)
        .and_then(|s| s.split(".css").next())
        .expect("fingerprinted CSS link");
    assert_eq!(css.len(), 10);
    assert!(out.join(format!("assets/style.{css}.css")).is_file());

    // Every non-draft product has its page with title, ¥ price and struck original price.
    let mut count = 0;
    for entry in std::fs::read_dir(example_site().join("content/products")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains("\ndraft: true") {
            continue;
        }
        count += 1;
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .unwrap()
            .trim();
        let slug = text
            .lines()
            .find_map(|l| l.strip_prefix("slug: "))
            .map(str::to_string)
            .unwrap_or_else(|| {
                shopgen::util::slug::slugify(path.file_stem().unwrap().to_str().unwrap())
            });
        let page = read(&format!("products/{slug}/index.html"));
        assert!(page.contains(title), "{slug}: title");
        assert!(page.contains('¥'), "{slug}: ¥ price");
        if text.contains("\noriginal_price:") {
            assert!(page.contains("<del"), "{slug}: struck original price");
        }
        let sitemap = read("sitemap.xml");
        assert!(
            sitemap.contains(&format!(
                "<loc>https://www.shanchuan.example.cn/products/{slug}/</loc>"
            )),
            "{slug} in sitemap"
        );
    }
    assert!(count >= 12, "at least 12 products, found {count}");
    // Chinese file names become pinyin folders, never percent-encoded Chinese.
    assert!(out.join("products/zhen-pi-tuo-te-bao/index.html").is_file());
    let tote = read("products/zhen-pi-tuo-te-bao/index.html");
    assert!(
        tote.contains("¥1,299.00"),
        "price formatted with grouping and fen"
    );
    assert!(tote.contains("¥1,599.00"), "original price");
    assert!(tote.contains("/categories/nv-bao/"), "category link");
    for page in ["about", "faq", "shipping", "contact"] {
        assert!(
            out.join(format!("{page}/index.html")).is_file(),
            "page {page}"
        );
    }
    for f in [
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "products/index.html",
        "categories/nv-bao/index.html",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    assert!(read("robots.txt").contains("Sitemap: https://www.shanchuan.example.cn/sitemap.xml"));
    // Nothing external: every src/href is local, except the filing links and payment/share targets.
    for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
        let p = entry.path();
        if p.extension().is_some_and(|x| x == "html" || x == "css") {
            let text = std::fs::read_to_string(p).unwrap();
            for bad in [
                "googleapis",
                "gstatic",
                "google-analytics",
                "facebook",
                "twitter",
                "youtube",
            ] {
                assert!(!text.contains(bad), "{} loads {bad}", p.display());
            }
            assert!(
                !text.contains("src=\"http"),
                "{} loads an external resource",
                p.display()
            );
        }
    }
}

/// The theme stays light: its minified CSS bundle under 32 KiB (the search box and the
/// language bar are in every header) and each of its scripts under 15 KB, as the example site ships them; the search
/// script is not loaded by product pages.
#[test]
fn theme_css_and_script_stay_within_budget() {
    const CSS_BUDGET: u64 = 32 * 1024;
    const JS_BUDGET: u64 = 15_000;
    let (_tmp, out) = build_example_site();
    let bundles: Vec<_> = std::fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "css"))
        .collect();
    assert_eq!(bundles.len(), 1, "one CSS bundle: {bundles:?}");
    let css = std::fs::metadata(&bundles[0]).unwrap().len();
    assert!(
        css <= CSS_BUDGET,
        "{} is {css} bytes, over the {CSS_BUDGET}-byte budget: consolidate rules in themes/meigong/styles/",
        bundles[0].display()
    );

    // What the pages load are the theme's scripts as they are, under fingerprinted names.
    let shipped: Vec<_> = std::fs::read_dir(out.join("assets/js"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        .collect();
    assert_eq!(shipped.len(), 2, "shop.js and search.js: {shipped:?}");
    let mut sizes = Vec::new();
    for name in ["shop", "search"] {
        let theme_js = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("themes/meigong/assets/js/{name}.js"));
        let js = std::fs::read(&theme_js).unwrap();
        assert!(
            js.len() as u64 <= JS_BUDGET,
            "{} is {} bytes, over the {JS_BUDGET}-byte budget",
            theme_js.display(),
            js.len()
        );
        let file = shipped
            .iter()
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with(&format!("{name}."))
            })
            .unwrap_or_else(|| panic!("{name}.js is shipped: {shipped:?}"));
        assert_eq!(std::fs::read(file).unwrap(), js, "{}", file.display());
        sizes.push(format!("{name}.js {} bytes", js.len()));
    }
    // The search script loads on the search page only (elsewhere when a search box is focused).
    let product =
        std::fs::read_to_string(out.join("products/zhen-pi-tuo-te-bao/index.html")).unwrap();
    assert!(
        !product.contains("<script src=\"/assets/js/search."),
        "a product page loads search.js"
    );
    let search = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(
        search.contains("<script src=\"/assets/js/search."),
        "the search page loads search.js"
    );
    println!(
        "CSS bundle {css} bytes (budget {CSS_BUDGET}), {} (budget {JS_BUDGET} each)",
        sizes.join(", ")
    );
}

#[test]
fn prices_categories_pagination_and_sitemap() {
    let f = Fixture::new(SHOP_YAML);
    for i in 0..30 {
        let cat = if i % 3 == 0 { "男士皮具" } else { "女包" };
        f.product(
            &format!("p{i:02}.md"),
            &product_fm(&format!("商品 {i:02}"), &format!("{}.5", 1000 + i), cat, i),
            "正文\n",
        );
    }
    f.build(&[]).assert_ok();

    let p = f.read("products/p05/index.html");
    assert!(p.contains("商品 05"));
    assert!(p.contains("¥1,005.50"), "exact fen from 1005.5");
    assert!(p.contains("¥9,999.00"), "original price");
    assert!(p.contains("<del"), "original struck through");

    // 30 products, 12 a page → /products/, /products/page/2/, /products/page/3/
    let first = f.read("products/index.html");
    assert!(
        first.contains("商品 00") && first.contains("商品 11") && !first.contains("商品 12"),
        "page 1 holds items 1–12 by weight"
    );
    assert!(first.contains("href=\"/products/page/2/\""), "next link");
    let third = f.read("products/page/3/index.html");
    assert!(
        third.contains("商品 29") && !third.contains("商品 23"),
        "page 3"
    );
    assert!(third.contains("href=\"/products/page/2/\""), "prev link");
    assert!(!f.out().join("products/page/4").exists());

    // categories: 女包 has 20 → 2 pages; 男士皮具 has 10 → 1 page
    assert!(
        f.read("categories/nv-bao/index.html")
            .contains("href=\"/categories/nv-bao/page/2/\"")
    );
    assert!(
        f.out()
            .join("categories/nv-bao/page/2/index.html")
            .is_file()
    );
    assert!(!f.out().join("categories/nan-shi-pi-ju/page/2").exists());
    let home = f.read("index.html");
    assert!(
        home.contains("/categories/nan-shi-pi-ju/"),
        "category link on home"
    );

    // Related: the next four of its category, wrapping round to the first ones.
    let related = |slug: &str| -> Vec<String> {
        let page = f.read(&format!("products/{slug}/index.html"));
        let after = page.split("id=\"related-title\"").nth(1).unwrap_or("");
        let section = after.split("</section>").next().unwrap_or("");
        section
            .split("href=\"/products/")
            .skip(1)
            .filter_map(|s| s.split('/').next())
            .fold(Vec::new(), |mut v, s| {
                if v.last().map(String::as_str) != Some(s) {
                    v.push(s.to_string());
                }
                v
            })
    };
    assert_eq!(related("p03"), ["p06", "p09", "p12", "p15"]);
    assert_eq!(related("p24"), ["p27", "p00", "p03", "p06"]);

    let sitemap = f.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://shop.example.cn/</loc>"));
    assert!(sitemap.contains("<loc>https://shop.example.cn/products/p29/</loc>"));
    assert!(sitemap.contains("<loc>https://shop.example.cn/categories/nv-bao/page/2/</loc>"));
    assert!(!sitemap.contains("404"));
}

#[test]
fn hide_zero_cents_drops_dot_zero_zero() {
    let f = Fixture::new(&format!("{SHOP_YAML}price:\n  hide_zero_cents: true\n"));
    f.product(
        "a.md",
        "title: 整数价\nprice: 1299\noriginal_price: 1599.5\n",
        "",
    );
    f.build(&[]).assert_ok();
    let p = f.read("products/a/index.html");
    assert!(p.contains("¥1,299") && !p.contains("¥1,299.00"), "hide .00");
    assert!(p.contains("¥1,599.50"), "keep real fen");
}

#[test]
fn drafts_only_with_the_flag() {
    let f = Fixture::new(SHOP_YAML);
    f.product("live.md", "title: 在售\nprice: 1\n", "");
    f.product("draft.md", "title: 草稿\nprice: 1\ndraft: true\n", "");
    f.build(&[]).assert_ok();
    assert!(!f.out().join("products/draft").exists());
    assert!(!f.read("sitemap.xml").contains("/products/draft/"));
    f.build(&["--drafts"]).assert_ok();
    assert!(f.out().join("products/draft/index.html").is_file());
}

#[test]
fn chinese_names_become_pinyin_slugs() {
    let f = Fixture::new(SHOP_YAML);
    f.product(
        "真皮托特包.md",
        "title: 真皮托特包\nprice: 1\ncategory: 女包\n",
        "",
    );
    f.product("x.md", "title: 手工皮带\nprice: 1\nslug: belt\n", "");
    f.write(
        "content/pages/品牌故事.md",
        "---\ntitle: 品牌故事\n---\n我们的故事\n",
    );
    f.build(&[]).assert_ok();
    assert!(
        f.out()
            .join("products/zhen-pi-tuo-te-bao/index.html")
            .is_file()
    );
    assert!(f.out().join("products/belt/index.html").is_file());
    assert!(f.out().join("pin-pai-gu-shi/index.html").is_file());
    assert!(f.out().join("categories/nv-bao/index.html").is_file());
    for e in walkdir::WalkDir::new(f.out()).into_iter().flatten() {
        let name = e.path().to_string_lossy().into_owned();
        assert!(name.is_ascii(), "non-ASCII output path {name}");
    }
}

#[test]
fn markdown_body_features() {
    let f = Fixture::new(SHOP_YAML);
    f.write(
        "static/images/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    f.product(
        "a.md",
        "title: A\nprice: 1\nimages: [images/a.svg]\n",
        "## 设计细节\n\n| 项 | 值 |\n|---|---|\n| 材质 | 牛皮 |\n\n~~旧价~~\n\n- [x] 已检验\n\n说明[^1]\n\n[^1]: 脚注\n\n![细节](images/a.svg)\n",
    );
    f.build(&["--base-url", "https://cdn.example.cn/shop/"])
        .assert_ok();
    let p = f.read("products/a/index.html");
    assert!(p.contains("<h2 id=\"she-ji-xi-jie\">"), "heading id");
    assert!(
        p.contains("<table>")
            && p.contains("<del>旧价</del>")
            && p.contains("checkbox")
            && p.contains("footnote")
    );
    assert!(
        p.contains("src=\"/shop/images/a.svg\""),
        "body image under the base path"
    );
    assert!(f.out().join("images/a.svg").is_file(), "static copied");
    assert!(
        f.read("sitemap.xml")
            .contains("<loc>https://cdn.example.cn/shop/products/a/</loc>")
    );
}

#[test]
fn config_text_is_escaped_but_markdown_is_trusted() {
    let f = Fixture::new(&SHOP_YAML.replace("测试小店", "\"<script>alert(1)</script>\""));
    f.product(
        "a.md",
        "title: \"<b>粗</b>\"\nprice: 1\n",
        "<em>作者的 HTML</em>\n",
    );
    f.build(&[]).assert_ok();
    let p = f.read("products/a/index.html");
    assert!(!p.contains("<script>alert(1)</script>"));
    assert!(p.contains("&lt;b&gt;粗"), "title escaped");
    assert!(p.contains("<em>作者的 HTML</em>"), "body HTML kept");
}

#[test]
fn site_templates_override_the_theme() {
    let f = Fixture::new(SHOP_YAML);
    f.product("a.md", "title: A\nprice: 1\n", "");
    f.write("templates/404.html", "<p>找不到了：{{ site.title }}</p>");
    f.build(&[]).assert_ok();
    assert_eq!(f.read("404.html"), "<p>找不到了：测试小店</p>");
    assert!(
        f.read("products/a/index.html").contains("<html"),
        "other templates still come from the theme"
    );
}

#[test]
fn bom_and_crlf_content() {
    let f = Fixture::new(SHOP_YAML);
    f.write(
        "content/products/w.md",
        "\u{feff}---\r\ntitle: Windows 记事本\r\nprice: 12.3\r\n---\r\n正文\r\n",
    );
    f.build(&[]).assert_ok();
    assert!(f.read("products/w/index.html").contains("¥12.30"));
}

#[test]
fn init_then_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-shop");
    let run = shopgen(&["init", dir.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(dir.join("shop.yaml").is_file());
    shopgen(&["build", dir.to_str().unwrap()]).assert_ok();
    assert!(dir.join("public/index.html").is_file());
    // init never overwrites
    let again = shopgen(&["init", dir.to_str().unwrap()]);
    assert!(!again.ok());
    assert!(again.stderr().contains("not empty"));
}

#[test]
fn cli_help_and_version() {
    let help = shopgen(&["--help"]);
    assert!(help.ok());
    let text = help.stdout();
    for command in ["build", "init", "check", "serve", "deploy"] {
        assert!(text.contains(command), "{command}");
    }
    let v = shopgen(&["--version"]);
    assert!(v.stdout().starts_with("shopgen "));
}

#[test]
fn brand_colours_from_shop_yaml_reach_the_css() {
    let f = Fixture::new(&format!(
        "{SHOP_YAML}style: {{ brand: \"#123456\", accent: \"#aa0011\", radius: 6px }}\n"
    ));
    f.product("a.md", "title: A\nprice: 1\n", "");
    f.build(&[]).assert_ok();
    let home = f.read("index.html");
    let css_rel = home
        .split("href=\"/assets/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let css = f.read(&format!("assets/{css_rel}"));
    assert!(
        css.ends_with(":root{--c-brand:#123456;--c-accent:#aa0011;--radius:6px}"),
        "{}",
        &css[css.len() - 80..]
    );
    let bad = Fixture::new(&format!(
        "{SHOP_YAML}style: {{ brand: \"red; }} body {{ display:none\" }}\n"
    ));
    let run = bad.build(&[]);
    assert!(
        !run.ok() && run.stderr().contains("style.brand"),
        "{}",
        run.stderr()
    );
}

#[test]
fn cjk_spacing_can_be_turned_off() {
    let on = Fixture::new(SHOP_YAML);
    on.product(
        "a.md",
        "title: 14英寸托特包\nprice: 1\n",
        "能装14英寸电脑\n",
    );
    on.build(&[]).assert_ok();
    let p = on.read("products/a/index.html");
    assert!(p.contains("14 英寸托特包") && p.contains("能装 14 英寸电脑"));
    let off = Fixture::new(&format!(
        "{SHOP_YAML}typography: {{ cjk_spacing: false }}\n"
    ));
    off.product(
        "a.md",
        "title: 14英寸托特包\nprice: 1\n",
        "能装14英寸电脑\n",
    );
    off.build(&[]).assert_ok();
    let p = off.read("products/a/index.html");
    assert!(p.contains("14英寸托特包") && p.contains("能装14英寸电脑"));
}

#[test]
fn tag_pages_and_a_windowed_pager() {
    let f = Fixture::new(SHOP_YAML);
    for i in 0..130 {
        let tags = if i % 2 == 0 {
            "[通勤, Leather]"
        } else {
            "[leather]"
        };
        f.product(
            &format!("p{i:03}.md"),
            &format!("title: P{i:03}\nprice: 1\nweight: {i}\ntags: {tags}\n"),
            "",
        );
    }
    f.build(&[]).assert_ok();
    // `Leather` and `leather` are one tag; 通勤 becomes tong-qin.
    assert!(f.read("tags/leather/index.html").contains("P000"));
    assert!(
        f.out().join("tags/leather/page/11/index.html").is_file(),
        "130 products, 12 a page"
    );
    assert!(!f.out().join("tags/leather/page/12").exists());
    assert!(
        f.out().join("tags/tong-qin/page/6/index.html").is_file(),
        "65 products"
    );
    assert!(
        f.read("products/p000/index.html")
            .contains("/tags/tong-qin/"),
        "tag link on the product"
    );
    // Page 6 of 11 links 1, 4–8 and 11, not every page.
    let p6 = f.read("products/page/6/index.html");
    for k in [4, 5, 7, 8, 11] {
        assert!(
            p6.contains(&format!("href=\"/products/page/{k}/\"")),
            "link to {k}"
        );
    }
    for k in [2, 3, 9, 10] {
        assert!(
            !p6.contains(&format!("href=\"/products/page/{k}/\"")),
            "no link to {k}"
        );
    }
    assert!(
        f.read("sitemap.xml")
            .contains("<loc>https://shop.example.cn/tags/tong-qin/</loc>")
    );
}

#[test]
fn editor_and_system_junk_is_never_read_or_published() {
    let f = Fixture::new(SHOP_YAML);
    f.product("bag.md", &product_fm("托特包", "199", "女包", 1), "正文\n");
    f.write(
        "static/images/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    // None of these may be published, and none read as a product, a page or a template:
    // each would break the build if it were.
    for (rel, text) in [
        ("static/.DS_Store", "junk"),
        ("static/images/Thumbs.db", "junk"),
        ("static/desktop.ini", "junk"),
        ("static/.hidden/x.txt", "junk"),
        ("static/images/a.svg~", "junk"),
        ("content/products/.bag.md.swp", "not front matter"),
        ("content/products/#bag.md#", "not front matter"),
        ("content/products/bag.md~", "not front matter"),
        ("content/pages/.about.md.swp", "not front matter"),
        ("templates/.base.html.swp", "{% broken"),
        ("templates/base.html~", "{% broken"),
        ("styles/.main.css.swp", "@import 'nowhere.css';"),
    ] {
        f.write(rel, text);
    }
    f.build(&[]).assert_ok();
    assert!(f.out().join("images/a.svg").is_file());
    let published: Vec<String> = snapshot(&f.out())
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    for name in published {
        let last = name.rsplit('/').next().unwrap();
        assert!(
            !(last.starts_with('.')
                || last.ends_with('~')
                || last == "Thumbs.db"
                || last == "desktop.ini"),
            "{name} was published"
        );
        assert!(!name.contains(".hidden"), "{name} was published");
    }
}

#[test]
fn templates_get_real_image_sizes_and_finished_prices() {
    let f = Fixture::new(SHOP_YAML);
    // A 4:3 photo: the page must say 1200×900, not a square.
    f.write(
        "static/images/wide.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"900\"/>",
    );
    f.product(
        "bag.md",
        "title: 托特包\nprice: 1299.5\ncategory: 女包\nimages: [images/wide.svg, images/wide.svg]\n",
        "正文\n",
    );
    f.build(&[]).assert_ok();
    let page = f.read("products/bag/index.html");
    assert!(
        page.contains("<meta property=\"og:image:width\" content=\"1200\">"),
        "{page}"
    );
    assert!(page.contains("<meta property=\"og:image:height\" content=\"900\">"));
    assert!(
        !page.contains("width=\"800\" height=\"800\""),
        "a hard-coded square is left"
    );
    assert_eq!(
        page.matches("width=\"1200\" height=\"900\"").count(),
        4,
        "two slides, two thumbs"
    );
    assert!(page.contains("<meta property=\"product:price:amount\" content=\"1299.50\">"));
    assert!(page.contains("<meta property=\"product:price:currency\" content=\"CNY\">"));
    assert!(page.contains("data-cur=\"¥\""));
    let card = f.read("products/index.html");
    assert!(
        card.contains("width=\"1200\" height=\"900\""),
        "the card too"
    );

    let hk = Fixture::new(
        "title: 港店\nbase_url: https://shop.example.hk\nlanguage: zh-HK\ncurrency: HKD\nprice: { hide_zero_cents: true }\nhosting:\n  region: hongkong\n",
    );
    hk.product("bag.md", "title: 手袋\nprice: 1399\n", "");
    hk.build(&[]).assert_ok();
    let page = hk.read("products/bag/index.html");
    assert!(
        page.contains("<meta property=\"product:price:amount\" content=\"1399\">"),
        "{page}"
    );
    assert!(page.contains("<meta property=\"product:price:currency\" content=\"HKD\">"));
    assert!(page.contains("data-cur=\"HK$\" data-hide=\"1\""));
}

#[test]
fn extra_fields_reach_the_templates() {
    let f = Fixture::new(&format!(
        "{SHOP_YAML}extra:\n  保养热线: 400-820-8820\n  flags: {{ new_season: true }}\n"
    ));
    f.product(
        "a.md",
        "title: A\nprice: 1\nextra:\n  材质: 头层牛皮\n  产地: 浙江海宁\n  care:\n    - 避免暴晒\n    - 用软布擦拭\n",
        "",
    );
    f.write(
        "content/pages/about.md",
        "---\ntitle: 关于\ntemplate: about.html\nextra:\n  founded: 1998\n---\n正文\n",
    );
    f.write(
        "templates/product.html",
        "<p>{{ product.extra[\"材质\"] }}|{{ product.extra[\"产地\"] }}|{{ product.extra.care | join(sep=\"、\") }}|{{ site.extra[\"保养热线\"] }}</p>",
    );
    f.write(
        "templates/about.html",
        "<p>{{ page.extra.founded }}|{{ site.extra.flags.new_season }}|{{ page.extra.missing | default(value=\"-\") }}</p>",
    );
    f.build(&[]).assert_ok();
    assert_eq!(
        f.read("products/a/index.html"),
        "<p>头层牛皮|浙江海宁|避免暴晒、用软布擦拭|400-820-8820</p>"
    );
    assert_eq!(f.read("about/index.html"), "<p>1998|true|-</p>");
}

#[test]
fn extra_does_not_hide_misspelt_keys() {
    let f = Fixture::new(SHOP_YAML);
    f.product("a.md", "title: A\nprice: 1\nextar:\n  材质: 牛皮\n", "");
    let run = f.build(&[]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(err.contains("a.md:4"), "{err}");
    assert!(err.contains("did you mean `extra`"), "{err}");
}

#[test]
fn combinations_carry_their_own_price_sku_stock_and_photo() {
    let f = Fixture::new(SHOP_YAML);
    f.write(
        "static/images/black.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>",
    );
    f.product(
        "tote.md",
        "title: 托特包\nprice: 1299\noriginal_price: 1599\nsku: T-1\ncategory: 女包\n\
         variants:\n  - { name: 颜色, options: [棕, 黑] }\n  - { name: 尺寸, options: [中, 大] }\n\
         skus:\n  - { options: [黑, 大], price: 1399, sku: T-1-BK-L, stock: 4, image: images/black.svg }\n",
        "",
    );
    f.product(
        "belt.md",
        "title: 皮带\nprice: 299\ncategory: 女包\nvariants: [{ name: 尺码, options: [105, 115] }]\n\
         skus: [{ options: [\"115\"], stock: 0 }]\n",
        "",
    );
    f.build(&[]).assert_ok();
    let tote = f.read("products/tote/index.html");
    assert!(
        tote.contains(r#"data-p="whole">1,299<"#),
        "the lowest price first"
    );
    assert!(tote.contains("¥1,399.00</span>"), "the range's end");
    assert!(
        tote.contains(r#"&quot;sku&quot;:&quot;T-1-BK-L&quot;"#),
        "offers for the script"
    );
    assert!(
        tote.contains(r#"&quot;slide&quot;:1"#) && tote.contains(r#"id="img-1""#),
        "the combination's photo joins the gallery"
    );
    let list = f.read("categories/nv-bao/index.html");
    assert!(
        list.contains(r#"<span class="price-int">1,299</span><span class="price-dec">.00</span></span><span class="price-from muted small">起</span>"#),
        "a card says 起 when the combinations differ in price"
    );
    let belt = f.read("products/belt/index.html");
    assert!(
        belt.contains(
            r#"<label class="chip is-out"><input type="radio" name="opt1" value="115" disabled>"#
        ),
        "a sold-out option of a one-variant product is crossed out without the script"
    );
    assert!(!belt.contains("data-p-to"), "one price, no range");

    f.product(
        "bad.md",
        "title: 坏\nprice: 10\nvariants: [{ name: 颜色, options: [黑] }]\nskus:\n  - { options: [白], price: 12 }\n",
        "",
    );
    let run = f.build(&[]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(err.contains("bad.md:6:17"), "{err}");
    assert!(
        err.contains("`白` is not an option of variant `颜色`"),
        "{err}"
    );
    assert!(err.contains("choose one of: 黑"), "{err}");
}
