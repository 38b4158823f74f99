//! The example site in three languages, for the language tests and the browser test.

use super::{Fixture, copy_example_site};

/// The example site in three languages: zh-HK converted (HKD, products without an HKD price
/// left out), en translated for the tote and one page, shop texts in `shop.en.yaml`, and a
/// Hong Kong glossary.
pub fn three_languages() -> Fixture {
    let f = Fixture::new("");
    copy_example_site(f.root());
    let edit = |rel: &str, from: &str, to: &str| {
        let p = f.root().join(rel);
        let s = std::fs::read_to_string(&p).unwrap();
        assert!(s.contains(from), "{rel} has no {from:?}");
        std::fs::write(&p, s.replacen(from, to, 1)).unwrap();
    };
    edit(
        "shop.yaml",
        "language: zh-CN\n",
        "language: zh-CN\nlanguages:\n  zh-HK: { path: hk, currency: HKD, from: zh-CN, unpriced: leave_out }\n  en: { path: en, currency: CNY }\n",
    );
    let tote = "content/products/真皮托特包.md";
    edit(
        tote,
        "original_price: 1599\n",
        "original_price: 1599\nprices: { HKD: 1399 }\noriginal_prices: { HKD: 1699 }\n",
    );
    edit(
        tote,
        "## 一只可以背很多年的包",
        "## 一只可以背很多年的包\n\n配一只钱包刚好，`SC-W-1001` 是它的货号。",
    );
    edit(
        "content/products/long-wallet.md",
        "\nprice:",
        "\nprices: { HKD: 899 }\nprice:",
    );
    f.write(
        "content/products/真皮托特包.en.md",
        "---\ntitle: Leather Tote\nsubtitle: Italian vegetable-tanned leather, fits a 14-inch laptop\n\
         tags: [tote, commute]\nbadges: [Genuine leather, Free shipping, 7-day returns, Invoices]\nimages: [images/products/tote-en.jpg]\nvariants:\n  - { name: Colour, options: [Cognac, Classic black] }\n---\n\n\
         ## A bag for many years\n\nOur evergreen tote, cut from Tuscan vegetable-tanned leather.\n",
    );
    f.write(
        "content/pages/about.en.md",
        "---\ntitle: About us\n---\n\nA leather workshop by the Xixi wetlands in Hangzhou.\n",
    );
    f.write(
        "shop.en.yaml",
        "title: Shanchuan Leather\ntagline: Vegetable-tanned leather, handmade in Hangzhou\n\
         home:\n  hero:\n    headline: Good leather, for the long road\n    cta_text: Shop now\n\
         \x20 trust: [Genuine leather, 7-day returns, Free shipping, Invoices, 1-year warranty]\n\
         categories:\n  nv-bao: { name: Women }\n  nan-shi-pi-ju: { name: Men }\n\
         \x20 qian-bao-ka-bao: { name: Wallets }\n  pi-ju-hu-li: { name: Leather care }\n\
         \x20 sheng-huo-xiao-wu: { name: Small goods }\n\
         menu:\n  - { name: Home, url: / }\n  - { name: All products, url: /products/ }\n\
         \x20 - { name: Women, url: /categories/nv-bao/ }\n  - { name: Men, url: /categories/nan-shi-pi-ju/ }\n\
         \x20 - { name: Wallets, url: /categories/qian-bao-ka-bao/ }\n  - { name: Our story, url: /about/ }\n",
    );
    // The English side shows its own photo.
    f.write_bytes(
        "static/images/products/tote-en.jpg",
        &super::photos::camera_jpeg(900, 600, 1, 7),
    );
    // 钱包 is 錢包 in Hong Kong; the shop writes 銀包, as Hong Kong buyers say.
    f.write("i18n/zh-HK.glossary.yaml", "钱包: 銀包\n");
    f
}
