//! The page plan: which pages a site has, where each is written, and what each depends on
//! (a product, a page, the product count, the categories). A page is rendered again only
//! when one of its dependencies changed; everything else it shows (`site`, the templates,
//! the UI strings) is the same for every page and re-renders them all when it changes.

use std::path::PathBuf;

use crate::content::Model;

/// How many related products a product page shows.
const RELATED: usize = 4;

/// What a listing lists.
#[derive(Debug, Clone, Copy)]
pub(super) enum Listed {
    All,
    Category(usize),
    Tag(usize),
}

/// One page to render.
#[derive(Debug, Clone, Copy)]
pub(super) enum Job {
    Home,
    Product(usize),
    /// A listing and its 1-based page number.
    List(Listed, usize),
    Page(usize),
    NotFound,
    /// The search page (`/search/`): its results are drawn in the browser.
    Search,
}

/// Where the search page is written.
pub(super) const SEARCH_PAGE: &str = "search/index.html";

/// How many featured products the home page shows when none are marked `featured: true`.
const FEATURED_FALLBACK: usize = 8;

/// What a page's data is made of, besides what every page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dep {
    /// The view of product `i` (its card or its page).
    Product(usize),
    /// The view of page `i`.
    Page(usize),
    /// How many products the shop has.
    ProductCount,
    /// The categories with their names, links and product counts.
    Categories,
    /// Page `n` of a listing of `total` products (the pager).
    Pager { n: usize, total: usize },
}

/// What page `job` depends on.
pub(super) fn deps(site: &Model, job: Job) -> Vec<Dep> {
    match job {
        Job::Home => {
            let mut d = vec![Dep::ProductCount, Dep::Categories];
            d.extend(featured(site).into_iter().map(Dep::Product));
            d
        }
        Job::NotFound => Vec::new(),
        Job::Search => vec![Dep::Categories],
        Job::Product(i) => std::iter::once(i)
            .chain(related(site, i))
            .map(Dep::Product)
            .collect(),
        Job::List(listed, n) => {
            let (items, total) = listing_items(site, listed, n);
            let mut d = vec![Dep::Pager { n, total }];
            d.extend(items.into_iter().map(Dep::Product));
            d
        }
        Job::Page(i) => vec![Dep::Page(i)],
    }
}

/// The products the home page features: those marked `featured: true`, or else the first few.
pub(super) fn featured(site: &Model) -> Vec<usize> {
    let marked: Vec<usize> = (0..site.products.len())
        .filter(|&i| site.products[i].meta.featured)
        .collect();
    if marked.is_empty() {
        (0..site.products.len().min(FEATURED_FALLBACK)).collect()
    } else {
        marked
    }
}

/// Every page of the site and its path in the output.
pub(super) fn jobs(site: &Model) -> Vec<(Job, String)> {
    let per = site.config.paginate.max(1);
    let pages_of = |n: usize| n.div_ceil(per).max(1);
    let mut jobs = vec![
        (Job::Home, "index.html".to_string()),
        (Job::NotFound, "404.html".to_string()),
        (Job::Search, SEARCH_PAGE.to_string()),
    ];
    jobs.extend(
        site.products
            .iter()
            .enumerate()
            .map(|(i, p)| (Job::Product(i), format!("{}index.html", p.path()))),
    );
    jobs.extend((1..=pages_of(site.products.len())).map(|n| {
        (
            Job::List(Listed::All, n),
            page_rel("products/", n) + "index.html",
        )
    }));
    for (ti, t) in site.tags.iter().enumerate() {
        let base = t.path();
        jobs.extend((1..=pages_of(t.products.len())).map(|n| {
            (
                Job::List(Listed::Tag(ti), n),
                page_rel(&base, n) + "index.html",
            )
        }));
    }
    for (ci, c) in site.categories.iter().enumerate() {
        if !c.products.is_empty() {
            let base = c.path();
            jobs.extend((1..=pages_of(c.products.len())).map(|n| {
                (
                    Job::List(Listed::Category(ci), n),
                    page_rel(&base, n) + "index.html",
                )
            }));
        }
    }
    jobs.extend(
        site.pages
            .iter()
            .enumerate()
            .map(|(i, p)| (Job::Page(i), format!("{}index.html", p.path()))),
    );
    jobs
}

/// The file a page comes from, for messages.
pub(super) fn source_of(site: &Model, job: Job, rel: &str) -> PathBuf {
    match job {
        Job::Product(i) => site.products[i].source.clone(),
        Job::Page(i) => site.pages[i].source.clone(),
        _ => PathBuf::from(rel),
    }
}

/// The day a page was last changed (`YYYY-MM-DD`), from its front matter.
pub(super) fn lastmod_of(site: &Model, job: Job) -> Option<&str> {
    let date = match job {
        Job::Product(i) => site.products[i].meta.date.as_deref(),
        Job::Page(i) => site.pages[i].meta.date.as_deref(),
        _ => None,
    }?;
    Some(date.get(..10).unwrap_or(date))
}

/// Products shown as related on the page of product `i`: others of its category.
pub(super) fn related(site: &Model, i: usize) -> impl Iterator<Item = usize> + '_ {
    let in_category: &[usize] = site.products[i]
        .category_slug
        .as_deref()
        .and_then(|s| site.categories.iter().find(|c| c.slug == s))
        .map_or(&[], |c| c.products.as_slice());
    // The products after it in its category, wrapping round to the first: each product is
    // related to a few neighbours, not the category's top few to every page (which would also
    // make an edit of a top product re-render the whole category).
    let at = in_category.binary_search(&i).map_or(0, |k| k + 1);
    let (before, after) = in_category.split_at(at.min(in_category.len()));
    after
        .iter()
        .chain(before)
        .copied()
        .filter(move |&j| j != i)
        .take(RELATED)
}

/// The products on page `n` of a listing, and how many products the listing has.
pub(super) fn listing_items(site: &Model, listed: Listed, n: usize) -> (Vec<usize>, usize) {
    let per = site.config.paginate.max(1);
    let start = (n - 1) * per;
    let all = match listed {
        Listed::All => {
            let total = site.products.len();
            return ((start..(start + per).min(total)).collect(), total);
        }
        Listed::Category(ci) => &site.categories[ci].products,
        Listed::Tag(ti) => &site.tags[ti].products,
    };
    let end = (start + per).min(all.len());
    (all.get(start..end).unwrap_or_default().to_vec(), all.len())
}

/// The page numbers a pager shows on page `n` of `total`: the first, the last and two either
/// side of `n`, each with whether pages were skipped before it. Every page linking every
/// other would make a 400-page listing quadratic.
pub(super) fn pager_window(n: usize, total: usize) -> impl Iterator<Item = (usize, bool)> {
    let mut prev = 0;
    (1..=total)
        .filter(move |&k| k == 1 || k == total || k.abs_diff(n) <= 2)
        .map(move |k| {
            let gap = k > prev + 1;
            prev = k;
            (k, gap)
        })
}

/// Page `n` of a listing at `base` (`categories/x/`): `base` itself, then `base/page/n/`.
pub(super) fn page_rel(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}
