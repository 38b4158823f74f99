//! The data templates see: serialisable views of the model, built once per build.
//! Every field is always present (null when unset) because tera 2 errors on undefined fields.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::{Config, Hosting};
use crate::content::product::{Faq, Spec, Variant};
use crate::content::{Category, Model, Page, Product};

/// Builds URLs under the site's base path.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/shop/`
    pub base_path: String,
    /// The folder of the language's pages (`en/`), empty for the site's own language.
    pub lang: String,
    /// `https://www.example.cn` (no trailing slash)
    pub origin: String,
    /// Photo (path below `static/`) → the one file that stands for it where a single URL is
    /// wanted (a share card, `og:image`, structured data), with its size.
    photos: std::sync::Arc<std::collections::HashMap<String, (String, u32, u32)>>,
}

impl Urls {
    pub fn new(site: &Model, images: &crate::images::Images) -> Urls {
        let mut u = Urls {
            base_path: site.base.path.clone(),
            lang: site.prefix.clone(),
            origin: site.base.origin.clone(),
            photos: Default::default(),
        };
        u.photos = std::sync::Arc::new(
            images
                .pictures
                .values()
                .map(|p| {
                    let shown = super::picture::representative(images, &u, p);
                    (p.rel.clone(), shown)
                })
                .collect(),
        );
        u
    }
    /// The URL a photo is shown at when one URL is wanted; other files' own URL.
    pub fn image(&self, rel: &str) -> String {
        match self.photos.get(rel.trim_start_matches('/')) {
            Some((url, _, _)) => url.clone(),
            None => self.url(rel),
        }
    }
    /// The size of the file [`Urls::image`] gives, for a photo.
    pub fn image_size(&self, rel: &str) -> Option<(u32, u32)> {
        self.photos
            .get(rel.trim_start_matches('/'))
            .map(|(_, w, h)| (*w, *h))
    }
    /// Root-relative URL of a path below the site root: `products/x/` → `/products/x/`.
    pub fn url(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel.trim_start_matches('/'))
    }
    /// Absolute URL of a path below the site root.
    pub fn permalink(&self, rel: &str) -> String {
        format!("{}{}", self.origin, self.url(rel))
    }
    /// Root-relative URL of a page of this language: `products/x/` → `/en/products/x/`.
    pub fn page(&self, rel: &str) -> String {
        format!(
            "{}{}{}",
            self.base_path,
            self.lang,
            rel.trim_start_matches('/')
        )
    }
    /// Absolute URL of a page of this language.
    pub fn page_permalink(&self, rel: &str) -> String {
        format!("{}{}", self.origin, self.page(rel))
    }
    /// A link written by the site author: left alone when external, put under the base path
    /// otherwise (and a page's under the language's folder: `/products/` in English is
    /// `/en/products/`; a file, `/images/size-chart.pdf`, is the same in every language).
    pub fn link(&self, l: &str) -> String {
        if l.contains("://")
            || l.starts_with("//")
            || l.starts_with("tel:")
            || l.starts_with("mailto:")
            || l.starts_with('#')
        {
            l.to_string()
        } else {
            let path = l.split(['#', '?']).next().unwrap_or("");
            let last = path.rsplit('/').next().unwrap_or("");
            if last.contains('.') {
                self.url(l)
            } else {
                self.page(l)
            }
        }
    }
}

#[derive(Serialize)]
pub struct SiteView {
    /// `shop.yaml`'s `extra:` fields, as written.
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
    pub title: String,
    pub tagline: Option<String>,
    pub description: Option<String>,
    pub base_url: String,
    /// `https://www.example.cn` (no path, no trailing slash), for absolute URLs in templates.
    pub origin: String,
    /// `CNY` or `HKD`, and its symbol (`¥`, `HK$`).
    pub currency: crate::config::Currency,
    pub currency_symbol: &'static str,
    /// Prices show no `.00` (`price.hide_zero_cents`).
    pub hide_zero_cents: bool,
    /// The year of the build, for the copyright line.
    pub year: i16,
    pub base_path: String,
    pub language: &'static str,
    /// The language as an Open Graph locale (`zh_CN`).
    pub locale: String,
    pub theme: String,
    pub logo: Option<String>,
    /// The logo's width and height, from the file.
    pub logo_size: Option<SizeView>,
    pub css_url: String,
    /// URL of each `assets/` file by its name there: `site.assets["js/shop.js"]`.
    pub assets: BTreeMap<String, String>,
    pub home_url: String,
    pub products_url: String,
    /// The search page, and the search manifest its script reads.
    pub search_url: String,
    pub search_index: String,
    pub hosting: HostingView,
    pub contact: ContactView,
    pub payments: crate::config::Payments,
    pub share: Vec<crate::config::ShareTarget>,
    pub analytics: crate::config::Analytics,
    pub home: HomeView,
    pub categories: Vec<CategoryRef>,
    pub pages: Vec<PageRef>,
    pub menu: Vec<MenuView>,
    /// Whether `menu` links the home page and the all-products listing (a theme adds the
    /// links it lacks).
    pub menu_has_home: bool,
    pub menu_has_products: bool,
}

#[derive(Serialize)]
pub struct HostingView {
    pub region: crate::config::Region,
    pub icp: Option<String>,
    pub gongan: Option<String>,
    /// The 14 digits of the public-security number, for the MPS search link.
    pub gongan_code: Option<String>,
    pub licence: Option<String>,
}

impl HostingView {
    fn new(h: &Hosting) -> HostingView {
        // Hong Kong sites show no mainland filing numbers, unless a mainland CDN fronts them.
        let mainland = h.region == crate::config::Region::Mainland || h.mainland_cdn;
        let keep = |v: &Option<String>| {
            v.as_ref()
                .filter(|_| mainland)
                .map(|s| s.split_whitespace().collect::<String>())
        };
        let gongan = h
            .gongan
            .as_deref()
            .filter(|_| mainland)
            .and_then(|g| crate::rules::beian::parse_gongan(g).ok());
        HostingView {
            region: h.region,
            icp: keep(&h.icp),
            gongan_code: gongan.as_ref().map(|g| g.code.clone()),
            gongan: gongan.map(|g| g.number),
            licence: keep(&h.licence),
        }
    }
}

#[derive(Serialize)]
pub struct ContactView {
    pub wechat: Option<String>,
    pub wechat_qr: Option<String>,
    /// Its width and height, from the file.
    pub wechat_qr_size: Option<SizeView>,
    pub phone: Option<String>,
    /// `tel:4008008888`
    pub phone_href: Option<String>,
    pub email: Option<String>,
    pub hours: Option<String>,
    pub address: Option<String>,
}

#[derive(Serialize)]
pub struct HomeView {
    pub hero: Option<HeroView>,
    pub story: Option<StoryView>,
    pub endorsements: Vec<EndorsementView>,
    pub trust: Vec<String>,
}

#[derive(Serialize)]
pub struct HeroView {
    pub image: Option<String>,
    pub image_size: Option<SizeView>,
    pub headline: String,
    pub text: Option<String>,
    pub cta_text: Option<String>,
    pub cta_link: Option<String>,
}

#[derive(Serialize)]
pub struct StoryView {
    pub title: String,
    pub text: Option<String>,
    pub image: Option<String>,
    pub image_size: Option<SizeView>,
    pub link: Option<String>,
}

#[derive(Serialize)]
pub struct EndorsementView {
    pub name: String,
    pub title: Option<String>,
    pub quote: String,
    pub photo: Option<String>,
    pub photo_size: Option<SizeView>,
}

#[derive(Serialize, Clone, PartialEq, Eq)]
pub struct CategoryRef {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub permalink: String,
    pub count: usize,
    pub description: Option<String>,
    pub image: Option<String>,
    pub image_size: Option<SizeView>,
}

impl CategoryRef {
    pub fn new(c: &Category, site: &Model, urls: &Urls) -> CategoryRef {
        CategoryRef {
            name: c.name.clone(),
            slug: c.slug.clone(),
            url: urls.page(&c.path()),
            permalink: urls.page_permalink(&c.path()),
            count: c.products.len(),
            description: c.description.clone(),
            image: c.image.as_deref().map(|i| urls.image(i)),
            image_size: size_of(site, urls, &c.image),
        }
    }
}

#[derive(Serialize)]
pub struct PageRef {
    pub title: String,
    pub slug: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct MenuView {
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
    /// Intrinsic size, when the file's header tells it.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Width and height of an image the shop config names, for templates (`null` when unknown).
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
pub struct SizeView {
    pub width: u32,
    pub height: u32,
}

fn size_of(site: &Model, urls: &Urls, p: &Option<String>) -> Option<SizeView> {
    p.as_deref()
        .and_then(|p| urls.image_size(p).or_else(|| site.image_size(p)))
        .map(|(width, height)| SizeView { width, height })
}

#[derive(Serialize)]
pub struct ProductView<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub slug: &'a str,
    pub url: String,
    pub permalink: String,
    pub sku: Option<&'a str>,
    pub category: Option<CategoryRef>,
    pub tags: &'a [String],
    /// The tags with the URLs of their listing pages.
    pub tag_links: Vec<MenuView>,
    pub images: Vec<ImageView>,
    pub image: Option<ImageView>,
    pub badges: &'a [String],
    pub variants: &'a [Variant],
    pub stock: Option<u32>,
    pub in_stock: bool,
    pub fapiao: bool,
    pub weight: i64,
    pub date: Option<&'a str>,
    pub description: Option<&'a str>,
    pub featured: bool,
    pub specs: &'a [Spec],
    pub faq: &'a [Faq],
    pub price: String,
    /// `CNY` or `HKD`, and its symbol (`¥`, `HK$`).
    pub currency: crate::config::Currency,
    pub currency_symbol: &'static str,
    /// The price as a plain decimal (`1299.00`), for `product:price:amount` and scripts.
    pub price_amount: String,
    /// The price in the pieces a price tag sets in different sizes.
    pub price_parts: PriceParts,
    pub price_fen: u64,
    /// The highest price of the combinations a buyer can choose, when above `price` (which is
    /// then the lowest: a card says "from").
    pub price_max: Option<String>,
    /// The product's own offer and each combination in `skus:` (empty without them).
    pub offers: Vec<super::offers::OfferView>,
    /// `offers` as JSON, for the order helper.
    pub offers_json: String,
    /// Options of a one-variant product whose combination is sold out.
    pub sold_out: Vec<String>,
    pub original_price: Option<String>,
    pub saving: Option<String>,
    pub discount: Option<String>,
    pub content: String,
    pub payments: Vec<crate::rules::payments::PaymentView>,
    /// FPS 轉數快: where to pay (`id`, `phone`, `email`) and the payee's `name`.
    pub fps: Option<crate::config::Fps>,
    /// The WeChat Pay code is a person's: WeChat buyers are led to send the order first.
    pub wechat_personal: bool,
    pub share: super::snippets::ShareView,
    /// The product's `extra:` fields, as written.
    pub extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

/// `¥` `1,299` `00`: the currency symbol, the whole yuan and the cents (none when hidden).
#[derive(Serialize)]
pub struct PriceParts {
    pub symbol: &'static str,
    pub whole: String,
    pub cents: Option<String>,
}

/// What a product page shows besides the product's own fields.
pub struct Extras {
    pub category: Option<CategoryRef>,
    /// The Markdown body as HTML.
    pub content: String,
    pub payments: super::snippets::PaymentSet,
    pub share: super::snippets::ShareView,
    /// Sizes of `images`, in the same order.
    pub image_sizes: Vec<Option<(u32, u32)>>,
}

impl<'a> ProductView<'a> {
    pub fn new(p: &'a Product, extras: Extras, config: &Config, urls: &Urls) -> Self {
        let Extras {
            category,
            content,
            payments,
            share,
            image_sizes,
        } = extras;
        let m = &p.meta;
        let sym = config.currency.symbol();
        let hide = config.price.hide_zero_cents;
        let images: Vec<ImageView> = m
            .images
            .iter()
            .enumerate()
            .map(|(i, img)| ImageView {
                width: image_sizes.get(i).copied().flatten().map(|s| s.0),
                height: image_sizes.get(i).copied().flatten().map(|s| s.1),
                url: urls.image(img),
                alt: if i == 0 {
                    m.title.clone()
                } else {
                    format!("{} {}", m.title, i + 1)
                },
            })
            .collect();
        let image = images.first().map(|i| ImageView {
            url: i.url.clone(),
            alt: i.alt.clone(),
            width: i.width,
            height: i.height,
        });
        let summary = crate::content::skus::summary(m);
        let low =
            super::offers::PriceView::new(summary.lowest.price, summary.lowest.original, config);
        let offers = super::offers::offers(p, config);
        ProductView {
            title: &m.title,
            subtitle: m.subtitle.as_deref(),
            slug: &p.slug,
            url: urls.page(&p.path()),
            permalink: urls.page_permalink(&p.path()),
            sku: m.sku.as_deref(),
            category,
            tags: &m.tags,
            tag_links: m
                .tags
                .iter()
                .zip(&p.tag_slugs)
                .filter(|(_, slug)| !slug.is_empty())
                .map(|(t, slug)| MenuView {
                    name: t.clone(),
                    url: urls.page(&format!("tags/{slug}/")),
                })
                .collect(),
            images,
            image,
            badges: &m.badges,
            variants: &m.variants,
            stock: m.stock,
            in_stock: summary.in_stock,
            fapiao: m.fapiao,
            weight: m.weight,
            date: m.date.as_deref().map(|d| d.get(..10).unwrap_or(d)),
            description: m.description.as_deref(),
            featured: m.featured,
            specs: &m.specs,
            faq: &m.faq,
            price_amount: summary.lowest.price.amount(hide),
            price_parts: PriceParts {
                symbol: sym,
                whole: low.whole.clone(),
                cents: low.cents.clone(),
            },
            price_fen: low.fen,
            price_max: summary.highest.map(|h| h.display(sym, hide)),
            currency: config.currency,
            currency_symbol: sym,
            offers_json: if offers.is_empty() {
                String::new()
            } else {
                serde_json::to_string(&offers).unwrap_or_default()
            },
            offers,
            sold_out: super::offers::sold_out_options(p),
            price: low.price,
            original_price: low.original_price,
            saving: low.saving,
            discount: low.discount,
            content,
            payments: payments.codes,
            fps: payments.fps,
            wechat_personal: payments.wechat_personal,
            share,
            extra: &m.extra,
        }
    }
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub permalink: String,
    pub description: Option<&'a str>,
    pub date: Option<&'a str>,
    pub content: String,
    /// The page's `extra:` fields, as written.
    pub extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

impl<'a> PageView<'a> {
    pub fn new(p: &'a Page, content: String, urls: &Urls) -> Self {
        PageView {
            title: &p.meta.title,
            slug: &p.slug,
            url: urls.page(&p.path()),
            permalink: urls.page_permalink(&p.path()),
            description: p.meta.description.as_deref(),
            date: p.meta.date.as_deref(),
            content,
            extra: &p.meta.extra,
        }
    }
}

/// The `site` variable of the templates; `css_url` and `assets` (name under `assets/` → output
/// path) are the fingerprinted files of this build.
pub fn site_view(
    site: &Model,
    css_url: String,
    assets: &BTreeMap<String, String>,
    urls: &Urls,
) -> SiteView {
    let c = &site.config;
    let img = |p: &Option<String>| p.as_deref().map(|p| urls.image(p));
    let categories: Vec<CategoryRef> = site
        .categories
        .iter()
        .filter(|c| !c.products.is_empty())
        .map(|c| CategoryRef::new(c, site, urls))
        .collect();
    let pages: Vec<PageRef> = site
        .pages
        .iter()
        .map(|p| PageRef {
            title: p.meta.title.clone(),
            slug: p.slug.clone(),
            url: urls.page(&p.path()),
        })
        .collect();
    // A category with no products has no page (in a language that leaves unpriced products
    // out, a category can be empty there only): its menu item goes with it.
    let empty: Vec<String> = site
        .categories
        .iter()
        .filter(|c| c.products.is_empty())
        .map(|c| CategoryRef::new(c, site, urls).url)
        .collect();
    let menu: Vec<MenuView> = match &c.menu {
        Some(items) => items
            .iter()
            .map(|m| MenuView {
                name: m.name.clone(),
                url: urls.link(&m.url),
            })
            .filter(|m| !empty.contains(&m.url))
            .collect(),
        None => categories
            .iter()
            .map(|c| MenuView {
                name: c.name.clone(),
                url: c.url.clone(),
            })
            .collect(),
    };
    let home_url = urls.page("");
    let products_url = urls.page("products/");
    let menu_has_home = menu.iter().any(|m| m.url == home_url);
    let menu_has_products = menu.iter().any(|m| m.url == products_url);
    SiteView {
        extra: c.extra.clone(),
        title: c.title.clone(),
        tagline: c.tagline.clone(),
        description: c.description.clone(),
        base_url: site.base.root(),
        origin: site.base.origin.clone(),
        currency: c.currency,
        currency_symbol: c.currency.symbol(),
        hide_zero_cents: c.price.hide_zero_cents,
        year: jiff::ZonedDateTime::now().year(),
        base_path: site.base.path.clone(),
        language: c.language.code(),
        locale: c.language.code().replace('-', "_"),
        theme: c.theme.clone(),
        logo: img(&c.logo),
        logo_size: size_of(site, urls, &c.logo),
        css_url,
        assets: assets
            .iter()
            .map(|(name, rel)| (name.clone(), urls.url(rel)))
            .collect(),
        home_url,
        products_url,
        search_url: urls.page("search/"),
        search_index: urls.page(crate::search::MANIFEST),
        menu_has_home,
        menu_has_products,
        hosting: HostingView::new(&c.hosting),
        contact: ContactView {
            wechat: c.contact.wechat.clone(),
            wechat_qr: img(&c.contact.wechat_qr),
            wechat_qr_size: size_of(site, urls, &c.contact.wechat_qr),
            phone: c.contact.phone.clone(),
            phone_href: c.contact.phone.as_ref().map(|p| {
                let digits: String = p
                    .chars()
                    .filter(|ch| ch.is_ascii_digit() || *ch == '+')
                    .collect();
                format!("tel:{digits}")
            }),
            email: c.contact.email.clone(),
            hours: c.contact.hours.clone(),
            address: c.contact.address.clone(),
        },
        payments: c.payments.clone(),
        share: c.share.clone(),
        analytics: c.analytics.clone(),
        home: HomeView {
            hero: c.home.hero.as_ref().map(|h| HeroView {
                image: img(&h.image),
                image_size: size_of(site, urls, &h.image),
                headline: h.headline.clone(),
                text: h.text.clone(),
                cta_text: h.cta_text.clone(),
                cta_link: h.cta_link.as_deref().map(|l| urls.link(l)),
            }),
            story: c.home.story.as_ref().map(|s| StoryView {
                title: s.title.clone(),
                text: s.text.clone(),
                image: img(&s.image),
                image_size: size_of(site, urls, &s.image),
                link: s.link.as_deref().map(|l| urls.link(l)),
            }),
            endorsements: c
                .home
                .endorsements
                .iter()
                .map(|e| EndorsementView {
                    name: e.name.clone(),
                    title: e.title.clone(),
                    quote: e.quote.clone(),
                    photo: img(&e.photo),
                    photo_size: size_of(site, urls, &e.photo),
                })
                .collect(),
            trust: c.home.trust.clone(),
        },
        categories,
        pages,
        menu,
    }
}
