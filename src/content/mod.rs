//! The load stage: read `shop.yaml`, the theme and every file under `content/`, validate,
//! and produce the plain-data [`Model`].

pub mod catalog;
mod convert;
pub mod frontmatter;
pub mod images;
pub mod languages;
pub mod page;
pub mod price;
pub mod product;
mod reload;
pub mod skus;
pub mod spacing;
pub mod taxonomy;
pub mod theme;

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, BaseUrl, Config, Document};
use crate::output;
use crate::util::diag::{BuildError, Diagnostic};
use crate::util::{fsread, walk};
pub use page::Page;
pub use product::Product;
pub use taxonomy::{Category, Tag};
use theme::Theme;

/// Options that change what is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include `draft: true` products and pages.
    pub drafts: bool,
    /// Use this instead of `base_url` from shop.yaml (e.g. the dev server's address).
    pub base_url: Option<String>,
}

/// A file under `static/` (of the theme or the site) to copy into the output.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path relative to the output root, with `/` separators.
    pub rel: String,
    pub source: PathBuf,
}

/// Everything a build needs, validated. Plain data: no templates, no I/O.
#[derive(Debug, Clone)]
pub struct Model {
    pub root: PathBuf,
    pub config: Config,
    /// `shop.yaml` as read, for messages that point at its values.
    pub config_doc: Document,
    pub base: BaseUrl,
    pub theme: Theme,
    /// Sorted: weight, then newest date, then title. Those of the catalog sheet have the
    /// source `content/products.csv#<slug>` ([`catalog::source`]).
    pub products: Vec<Product>,
    /// `content/products.csv` or `content/products.xlsx`, when the site has a catalog sheet.
    pub catalog: Option<PathBuf>,
    /// Sorted: weight, then title.
    pub pages: Vec<Page>,
    /// Categories from shop.yaml first (in their order), then the others by name.
    pub categories: Vec<Category>,
    /// Tags, by name, with the products that carry them.
    pub tags: Vec<Tag>,
    /// The site's own static files (the theme's are in `theme`).
    pub static_files: Vec<StaticFile>,
    /// Problems worth a look that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Width and height of the site's images that pages show, by path inside static/.
    pub image_sizes: HashMap<String, images::Size>,
    /// The folder of this model's language below the site root, with its `/` (`en/`); empty
    /// for the site's own language.
    pub prefix: String,
    /// The translation files of the further languages (`<name>.en.md`), read by
    /// [`languages::models`]; empty in a language's own model.
    pub translations: Vec<languages::Translation>,
}

impl Model {
    /// The size of a static image (path as written in shop.yaml or front matter).
    pub fn image_size(&self, path: &str) -> Option<images::Size> {
        self.image_sizes.get(path.trim_start_matches('/')).copied()
    }
}

/// What product validation needs to know about the site's files.
pub struct Checks {
    /// What the walker found in the site's `static/` (regular files, and links that stay
    /// inside the site): exactly what is published.
    site_static: HashSet<String>,
    theme_static: HashSet<String>,
}

impl Checks {
    fn new(static_files: &[StaticFile], theme: &Theme) -> Checks {
        Checks {
            site_static: static_files.iter().map(|f| f.rel.clone()).collect(),
            theme_static: theme.under("static").map(|(p, _)| p.to_string()).collect(),
        }
    }

    /// A path from front matter that must name a file in the site's or the theme's `static/`.
    pub fn static_file(&self, p: &str) -> Result<(), String> {
        config::check_static_path(p)?;
        let rel = p.trim_start_matches('/');
        if self.site_static.contains(rel) || self.theme_static.contains(rel) {
            Ok(())
        } else {
            Err(format!("`{p}` is not in static/"))
        }
    }
}

/// Load and validate the content of the site at `root`, given its validated `config` (and
/// the document it was read from). All problems are reported together.
pub fn load(
    root: &Path,
    mut config: Config,
    config_doc: Document,
    warnings: Vec<Diagnostic>,
    opts: &LoadOptions,
) -> Result<Model, BuildError> {
    if let Some(b) = &opts.base_url {
        config.base_url = b.clone();
    }
    let base = BaseUrl::parse(&config.base_url).map_err(|m| {
        Diagnostic::new("--base-url", m).hint("give a full address such as http://127.0.0.1:1111/")
    })?;
    let theme = Theme::load(root, &config.theme)?;
    let mut errors = Vec::new();
    let mut warnings = warnings;
    let static_files = static_files(&root.join("static"), root, &mut errors, &mut warnings);
    let checks = Checks::new(&static_files, &theme);
    errors.extend(config_images(&config, &config_doc, &checks));

    let mut translations = Vec::new();
    let product_files = languages::split(
        markdown_files(
            &root.join("content").join("products"),
            root,
            &mut errors,
            &mut warnings,
        ),
        &config.languages,
        false,
        &mut translations,
    );
    let page_files = languages::split(
        markdown_files(
            &root.join("content").join("pages"),
            root,
            &mut errors,
            &mut warnings,
        ),
        &config.languages,
        true,
        &mut translations,
    );

    let catalog = catalog::find(root).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let sheet = catalog.as_deref().and_then(|f| {
        catalog::load(f, &checks)
            .map_err(|mut e| errors.append(&mut e))
            .ok()
    });
    let products = products_and_stories(
        &product_files,
        catalog.as_deref(),
        sheet,
        &checks,
        &mut errors,
    );
    let pages: Vec<_> = page_files
        .par_iter()
        .map(|f| read(f).and_then(|raw| page::parse(&raw, f)))
        .collect();
    let mut products = products;
    let mut pages: Vec<Page> = collect_ok(pages, &mut errors);
    if config.typography.cjk_spacing {
        space_config_text(&mut config);
        products.par_iter_mut().for_each(|p| p.meta.space_text());
        pages
            .par_iter_mut()
            .for_each(|p| p.meta.title = spacing::space(&p.meta.title).into_owned());
    }
    if !opts.drafts {
        products.retain(|p| !p.meta.draft);
        pages.retain(|p| !p.meta.draft);
    }
    duplicates(
        products
            .iter()
            .map(|p| (p.slug.as_str(), p.source.as_path())),
        "product",
        &mut errors,
    );
    duplicates(
        pages.iter().map(|p| (p.slug.as_str(), p.source.as_path())),
        "page",
        &mut errors,
    );

    products.sort_by(product_order);
    pages.sort_by(page_order);
    let (categories, tags) = taxonomy::group(
        &config,
        &root.join(config::CONFIG_FILE),
        &mut products,
        &mut errors,
    );
    let image_sizes = image_sizes(root, &config, &products);

    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(Model {
        root: root.to_path_buf(),
        config,
        config_doc,
        base,
        theme,
        products,
        catalog,
        pages,
        categories,
        tags,
        static_files,
        warnings,
        image_sizes,
        prefix: String::new(),
        translations,
    })
}

/// The products of the Markdown `files` and of the catalog `sheet`: a Markdown file named after
/// a product of the sheet (`content/products/<slug>.md`) and without front matter is that
/// product's detail story.
fn products_and_stories(
    files: &[PathBuf],
    catalog: Option<&Path>,
    sheet: Option<Vec<Product>>,
    checks: &Checks,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Product> {
    let failed = catalog.is_some() && sheet.is_none();
    let mut sheet = sheet.unwrap_or_default();
    let by_slug: HashMap<&str, usize> = sheet
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.as_str(), i))
        .collect();
    enum Read {
        Product(Box<Product>),
        Story(usize, String),
        Skipped,
    }
    let read: Vec<Result<Read, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|f| {
            let raw = read(f)?;
            if catalog.is_none() || frontmatter::starts_with_front_matter(&raw) {
                return product::parse(&raw, f, checks).map(|p| Read::Product(Box::new(p)));
            }
            let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            match by_slug.get(stem) {
                Some(&i) => Ok(Read::Story(i, raw)),
                // The catalog did not load: its errors are reported, not its stories'.
                None if failed => Ok(Read::Skipped),
                None => Err(vec![
                    Diagnostic::new(
                        f,
                        format!(
                            "this file has no front matter, and no product of {} has the slug `{stem}`",
                            catalog.map_or(String::new(), |c| c.display().to_string())
                        ),
                    )
                    .line(1)
                    .hint("a product's detail story is named after its slug (`<slug>.md`); a product of its own begins with `---` and its fields"),
                ]),
            }
        })
        .collect();
    let mut products = Vec::with_capacity(files.len() + sheet.len());
    for (f, r) in files.iter().zip(read) {
        match r {
            Ok(Read::Product(p)) => products.push(*p),
            Ok(Read::Story(i, raw)) => {
                if let Err(e) = catalog::attach_story(&mut sheet[i], f, &raw) {
                    errors.push(e);
                }
            }
            Ok(Read::Skipped) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    products.append(&mut sheet);
    products
}

/// The hint of every image that is not in `static/`, from shop.yaml or a product.
pub const IMAGE_HINT: &str =
    "put the image under static/ and give its path, e.g. `images/tote-1.jpg`";

/// Every image shop.yaml names, with the path of its field.
pub fn config_image_fields(c: &Config) -> Vec<(String, &str)> {
    let mut fields: Vec<(String, &Option<String>)> = vec![
        ("logo".into(), &c.logo),
        ("contact.wechat_qr".into(), &c.contact.wechat_qr),
    ];
    if let Some(h) = &c.home.hero {
        fields.push(("home.hero.image".into(), &h.image));
    }
    if let Some(st) = &c.home.story {
        fields.push(("home.story.image".into(), &st.image));
    }
    for (i, e) in c.home.endorsements.iter().enumerate() {
        fields.push((format!("home.endorsements[{i}].photo"), &e.photo));
    }
    for (i, cat) in c.categories.iter().enumerate() {
        fields.push((format!("categories[{i}].image"), &cat.image));
    }
    fields
        .into_iter()
        .filter_map(|(f, v)| Some((f, v.as_deref()?)))
        .collect()
}

/// The images shop.yaml names that are not in `static/`, by the rule product images follow.
fn config_images(c: &Config, doc: &Document, checks: &Checks) -> Vec<Diagnostic> {
    config_image_fields(c)
        .into_iter()
        .filter_map(|(field, path)| {
            let m = checks.static_file(path).err()?;
            Some(doc.error(&field, m).hint(IMAGE_HINT))
        })
        .collect()
}

/// Sizes of the images that shop.yaml and the products show other than photos (SVG): the
/// photo stage reads the photos' sizes with their headers, from its cache.
fn image_sizes(root: &Path, c: &Config, products: &[Product]) -> HashMap<String, images::Size> {
    let fields = config_image_fields(c);
    let config_images = fields.iter().map(|(_, p)| *p);
    let product_images = products
        .iter()
        .flat_map(|p| p.meta.images.iter().map(String::as_str));
    let drawn = config_images
        .chain(product_images)
        .filter(|p| !images::is_raster(p));
    images::sizes(&root.join("static"), drawn)
}

/// CJK–Latin spacing for the shop texts a buyer reads (tagline, home blocks, trust badges).
fn space_config_text(c: &mut Config) {
    let fix = |s: &mut String| {
        if let std::borrow::Cow::Owned(o) = spacing::space(s) {
            *s = o;
        }
    };
    for s in [&mut c.tagline, &mut c.description].into_iter().flatten() {
        fix(s);
    }
    c.home.trust.iter_mut().for_each(fix);
    if let Some(h) = &mut c.home.hero {
        fix(&mut h.headline);
        if let Some(t) = &mut h.text {
            fix(t);
        }
    }
    if let Some(st) = &mut c.home.story
        && let Some(t) = &mut st.text
    {
        fix(t);
    }
    for e in &mut c.home.endorsements {
        fix(&mut e.quote);
    }
    for cat in &mut c.categories {
        if let Some(d) = &mut cat.description {
            fix(d);
        }
    }
}

/// Display order of products: weight, then newest date, then title.
fn product_order(a: &Product, b: &Product) -> Ordering {
    a.meta
        .weight
        .cmp(&b.meta.weight)
        .then_with(|| b.meta.date.cmp(&a.meta.date))
        .then_with(|| a.meta.title.cmp(&b.meta.title))
        .then_with(|| a.slug.cmp(&b.slug))
}

/// Display order of pages: weight, then title.
fn page_order(a: &Page, b: &Page) -> Ordering {
    a.meta
        .weight
        .cmp(&b.meta.weight)
        .then_with(|| a.meta.title.cmp(&b.meta.title))
}

/// A digest of a content file's text (blake3, so it is the same in every build).
pub(crate) fn text_digest(raw: &str) -> u64 {
    let h = blake3::hash(raw.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(b)
}

fn read(f: &Path) -> Result<String, Vec<Diagnostic>> {
    fsread::read_text(f).map_err(|d| vec![d])
}

fn collect_ok<T>(results: Vec<Result<T, Vec<Diagnostic>>>, errors: &mut Vec<Diagnostic>) -> Vec<T> {
    let mut ok = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(mut e) => errors.append(&mut e),
        }
    }
    ok
}

/// `*.md` files under `dir` (recursively, sorted, without ignored names). A missing folder is
/// no error; entries that are not plain files inside the site `root` are left out with a
/// warning.
fn markdown_files(
    dir: &Path,
    root: &Path,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    match walk::files(dir, root) {
        Ok(walked) => {
            warnings.extend(walked.warning(dir));
            walked
                .files
                .into_iter()
                .filter(|f| f.path.extension().is_some_and(|x| x == "md"))
                .map(|f| f.path)
                .collect()
        }
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    }
}

/// The files of `static/`. A name that cannot be an output path (a `\`, a control character)
/// is an error naming the file; entries that are not plain files inside the site are left out
/// with a warning.
fn static_files(
    dir: &Path,
    root: &Path,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<StaticFile> {
    match walk::files(dir, root) {
        Ok(walked) => {
            warnings.extend(walked.warning(dir));
            let mut out = Vec::with_capacity(walked.files.len());
            for f in walked.files {
                match output::check_path(&f.rel) {
                    Ok(()) => out.push(StaticFile {
                        rel: f.rel,
                        source: f.path,
                    }),
                    Err(m) => errors.push(
                        Diagnostic::new(
                            &f.path,
                            format!("this static file cannot be published: {m}"),
                        )
                        .hint("rename it with letters, digits, `-`, `_` and `.`"),
                    ),
                }
            }
            out
        }
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    }
}

fn duplicates<'a>(
    items: impl Iterator<Item = (&'a str, &'a Path)>,
    what: &str,
    errors: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for (slug, file) in items {
        if slug.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(slug, file) {
            errors.push(duplicate_slug(file, slug, what, first));
        }
    }
}

fn duplicate_slug(file: &Path, slug: &str, what: &str, first: &Path) -> Diagnostic {
    Diagnostic::new(
        file,
        format!(
            "this {what} has the slug `{slug}`, which {} already has",
            first.display()
        ),
    )
    .field("slug")
    .hint("give one of them another `slug:` in its front matter")
}
