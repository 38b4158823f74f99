//! Categories and tags: products grouped for the listing pages.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::Product;
use crate::config::Config;
use crate::util::diag::Diagnostic;
use crate::util::slug;

/// A category and the products in it (indices into [`Model::products`], in display order).
#[derive(Debug, Clone)]
pub struct Category {
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub image: Option<String>,
    pub products: Vec<usize>,
}

impl Category {
    pub fn path(&self) -> String {
        format!("categories/{}/", self.slug)
    }
}

/// A tag and the products that carry it (indices into [`super::Model::products`], in display order).
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub products: Vec<usize>,
}

impl Tag {
    pub fn path(&self) -> String {
        format!("tags/{}/", self.slug)
    }
}

/// Group products by category (filling each product's `category_slug`) and by tag.
pub fn group(
    config: &Config,
    config_file: &Path,
    products: &mut [Product],
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Category>, Vec<Tag>) {
    let cats = categorize(config, config_file, products, errors);
    (cats, tags(products))
}

/// Tags by slug: names that make the same slug (`Leather`, `leather`) are one tag, shown
/// with the first spelling in product order. A tag that makes no slug gets no page.
fn tags(products: &[Product]) -> Vec<Tag> {
    let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, p) in products.iter().enumerate() {
        for (name, s) in p.meta.tags.iter().zip(&p.tag_slugs) {
            if s.is_empty() {
                continue;
            }
            match by_slug.get_mut(s) {
                Some(t) if t.products.last() == Some(&i) => {}
                Some(t) => t.products.push(i),
                None => {
                    let t = Tag {
                        name: name.clone(),
                        slug: s.clone(),
                        products: vec![i],
                    };
                    by_slug.insert(s.clone(), t);
                }
            }
        }
    }
    by_slug.into_values().collect()
}

/// Group products by category; fills each product's `category_slug`.
fn categorize(
    config: &Config,
    config_file: &Path,
    products: &mut [Product],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Category> {
    let mut cats: Vec<Category> = config
        .categories
        .iter()
        .map(|m| Category {
            name: m.name.clone(),
            slug: m.slug.clone().unwrap_or_else(|| slug::slugify(&m.name)),
            description: m.description.clone(),
            image: m.image.clone(),
            products: Vec::new(),
        })
        .collect();
    let mut by_name: HashMap<String, usize> = cats
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), i))
        .collect();
    let mut extra: Vec<String> = products
        .iter()
        .filter_map(|p| p.meta.category.as_ref())
        .filter(|n| !by_name.contains_key(n.as_str()))
        .cloned()
        .collect();
    extra.sort();
    extra.dedup();
    for name in extra {
        by_name.insert(name.clone(), cats.len());
        cats.push(Category {
            slug: slug::slugify(&name),
            name,
            description: None,
            image: None,
            products: Vec::new(),
        });
    }
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for c in &cats {
        if c.slug.is_empty() {
            errors.push(
                Diagnostic::new(
                    config_file,
                    format!("category `{}` gives no URL slug", c.name),
                )
                .field("categories")
                .hint(format!(
                    "add it under `categories:` with a slug: `- {{ name: {}, slug: my-category }}`",
                    c.name
                )),
            );
        } else if let Some(other) = seen.insert(&c.slug, &c.name) {
            errors.push(
                Diagnostic::new(
                    config_file,
                    format!(
                        "categories `{other}` and `{}` both get the slug `{}`",
                        c.name, c.slug
                    ),
                )
                .field("categories")
                .hint("give one of them its own `slug:` under `categories:` in shop.yaml"),
            );
        }
    }
    for (i, p) in products.iter_mut().enumerate() {
        if let Some(name) = &p.meta.category {
            let ci = by_name[name];
            cats[ci].products.push(i);
            p.category_slug = Some(cats[ci].slug.clone());
        }
    }
    cats
}
