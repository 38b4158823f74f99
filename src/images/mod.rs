//! The image stage: every raster photo the site shows (product photos, 详情 images in
//! Markdown, the images shop.yaml names) is published as responsive variants — lossy WebP and
//! a JPEG fallback (PNG when it has transparency), at the widths its uses need, never wider
//! than the photo, tall 详情 images cut into segments — and never as the camera original.
//!
//! [`prepare`] reads only headers (or nothing, for a photo the cache index knows), plans every
//! variant with a name that carries the digest of its source and settings, and (in
//! [`Mode::Encode`]) decodes, resizes and encodes the missing ones in parallel, one photo per
//! core at a time. Variants live in the site's cache (`cache.rs`) and are published from there.
//! `serve` prepares in [`Mode::Lazy`] and makes variants on first request ([`Images::ensure`]).
//! With `images.processor: oss`, nothing is encoded: pages ask Aliyun OSS image processing
//! for each width (`oss.rs`) and the original, stripped of its metadata, is published.

pub mod cache;
pub mod codec;
pub mod oss;
pub mod presets;
pub mod uses;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::config::ImageProcessor;
use crate::content::Model;
use crate::util::diag::{BuildError, Diagnostic, Severity};
use crate::util::fsread;
use cache::{Cache, Source};
use codec::Header;
pub use presets::{Preset, Presets};
use uses::{By, Use};

/// Encode every missing variant now (`build`), or only when one is asked for (`serve`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Encode,
    Lazy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Avif,
    Webp,
    Jpeg,
    Png,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Avif => "avif",
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Avif => "image/avif",
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

/// One published file of a photo.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Which segment of a tall image (0 for others).
    pub segment: usize,
    pub format: Format,
    /// Its path in the output (`assets/img/images/tote-750.0123456789.webp`).
    pub rel: String,
    /// Its file name in the cache.
    pub file: String,
    top: u32,
    rows: u32,
}

/// A photo and the files it is published as.
#[derive(Debug, Clone)]
pub struct Picture {
    /// Its path below `static/`.
    pub rel: String,
    pub source: PathBuf,
    /// Size as shown (EXIF orientation applied).
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    /// Mean colour, shown while the photo loads (known once it has been encoded).
    pub color: Option<[u8; 3]>,
    /// Published as it is (an animated GIF or WebP).
    pub original: bool,
    /// Segments of a tall image (1 for others).
    pub segments: usize,
    pub widths: Vec<u32>,
    pub variants: Vec<Variant>,
    /// Size of the source file.
    pub bytes: u64,
    /// Lossless WebP and PNG (a QR code).
    pub lossless: bool,
    /// The source's content digest (hex).
    pub hash: String,
}

impl Picture {
    /// The variants of `format` for `segment`, narrowest first.
    pub fn set(&self, format: Format, segment: usize) -> impl Iterator<Item = &Variant> {
        self.variants
            .iter()
            .filter(move |v| v.format == format && v.segment == segment)
    }
    /// The fallback format: PNG for transparency and lossless uses, JPEG otherwise.
    pub fn fallback(&self) -> Format {
        if self.variants.iter().any(|v| v.format == Format::Png) {
            Format::Png
        } else {
            Format::Jpeg
        }
    }
}

/// What the image stage did, for the build's summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Photos published as variants.
    pub images: usize,
    /// Variant files encoded this time, and taken from the cache.
    pub encoded: usize,
    pub cached: usize,
    /// Bytes of the originals, and of the largest WebP of each (what a browser gets at most).
    pub source_bytes: u64,
    pub largest_bytes: u64,
}

/// Progress of the encoding: photos done, photos to do.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// The photos of a site and their variants.
pub struct Images {
    pub pictures: BTreeMap<String, Picture>,
    pub presets: Presets,
    pub processor: ImageProcessor,
    pub quality: u8,
    pub jpeg_quality: u8,
    /// AVIF quality and speed, when AVIF is published too.
    pub avif: Option<(u8, u8)>,
    max_pixels: u64,
    /// A digest of every picture and variant name: pages show these.
    pub digest: u64,
    /// A digest of the photos the site shows and the presets of each, which is what the plan
    /// is made from besides the files themselves.
    uses_digest: u64,
    pub stats: Stats,
    cache: Cache,
    by_output: HashMap<String, String>,
    index: Mutex<BTreeMap<String, Source>>,
    locks: HashMap<String, Mutex<()>>,
    /// Originals published with their metadata removed (`processor: oss`).
    pub stripped: BTreeMap<String, PathBuf>,
    /// Photos published as they are (animated), worth a look.
    pub warnings: Vec<Diagnostic>,
}

impl Images {
    /// Whether the site (in any of its languages) shows other photos, or a photo with other
    /// presets, than this plan was made for (so that an edit of text alone needs no new plan).
    pub fn plans_other_uses(&self, site: &Model, languages: &[Model]) -> bool {
        uses_digest(&uses::collect(site, languages)) != self.uses_digest
    }

    /// No photos (a site of SVGs, or a render that needs no pictures).
    pub fn none(site: &Model) -> Images {
        Images {
            pictures: BTreeMap::new(),
            presets: presets::load(&site.theme, &site.config).unwrap_or_default(),
            processor: site.config.images.processor,
            quality: site.config.images.quality,
            jpeg_quality: site.config.images.jpeg_quality,
            avif: site.config.images.avif.then_some((
                site.config.images.avif_quality,
                site.config.images.avif_speed,
            )),
            max_pixels: site.config.images.max_pixels,
            digest: 0,
            uses_digest: 0,
            stats: Stats::default(),
            cache: Cache::new(&site.root),
            by_output: HashMap::new(),
            index: Mutex::new(BTreeMap::new()),
            locks: HashMap::new(),
            stripped: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    /// The picture published for the static path `rel` (`images/a.jpg`, `/images/a.jpg`).
    pub fn get(&self, rel: &str) -> Option<&Picture> {
        self.pictures.get(rel.trim_start_matches('/'))
    }

    /// The picture of a photo given by its path below `static/` or by one of its variants'
    /// output paths.
    pub fn find(&self, rel: &str) -> Option<&Picture> {
        let rel = rel.trim_start_matches('/');
        self.pictures
            .get(rel)
            .or_else(|| self.pictures.get(self.by_output.get(rel)?))
    }

    /// Every variant file: its output path and its file in the cache.
    pub fn outputs(&self) -> impl Iterator<Item = (&str, PathBuf)> {
        self.pictures
            .values()
            .filter(|p| !p.original)
            .flat_map(|p| p.variants.iter())
            .map(|v| (v.rel.as_str(), self.cache.dir.join(&v.file)))
    }

    /// Whether the static file `rel` is a photo published as variants (not as itself).
    pub fn replaces(&self, rel: &str) -> bool {
        self.pictures.get(rel).is_some_and(|p| !p.original) || self.stripped.contains_key(rel)
    }

    /// Make sure the variant at output path `rel` is in the cache (encoding its photo's
    /// missing variants if not) and give its file. `None` if `rel` is no variant.
    pub fn ensure(&self, rel: &str) -> Option<Result<PathBuf, Diagnostic>> {
        let pic = self.pictures.get(self.by_output.get(rel)?)?;
        let v = pic.variants.iter().find(|v| v.rel == rel)?;
        let path = self.cache.dir.join(&v.file);
        if path.is_file() {
            return Some(Ok(path));
        }
        Some(
            self.fill(pic)
                .map(|_| path)
                .map_err(|m| self.problem(pic, m)),
        )
    }

    /// Encode every variant that is not in the cache yet. Returns the photos with problems.
    /// Returns how many variant files were encoded, and the photos with problems.
    pub fn encode_missing(&self, progress: Option<Progress>) -> (usize, Vec<Diagnostic>) {
        let todo: Vec<&Picture> = self.pictures.values().filter(|p| !p.original).collect();
        let done = AtomicUsize::new(0);
        let encoded = AtomicUsize::new(0);
        let total = todo.len();
        let errors: Vec<Diagnostic> = todo
            .par_iter()
            .filter_map(|pic| {
                let r = match self.fill(pic) {
                    Ok(n) => {
                        encoded.fetch_add(n, Ordering::Relaxed);
                        None
                    }
                    Err(m) => Some(self.problem(pic, m)),
                };
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(p) = progress {
                    p(n, total);
                }
                r
            })
            .collect();
        (encoded.into_inner(), errors)
    }

    /// Write the cache index (what the photos are, their colours), for the next run.
    pub fn save_index(&self) {
        self.cache.save_index(&self.index.lock().unwrap()).ok();
    }

    /// Write the cache index when it differs from `old` (what the build started from).
    fn save_index_if_changed(&self, old: &BTreeMap<String, Source>) {
        let index = self.index.lock().unwrap();
        if *index != *old {
            self.cache.save_index(&index).ok();
        }
    }

    /// Encode the variants of `pic` that are missing. Returns how many were encoded.
    fn fill(&self, pic: &Picture) -> Result<usize, String> {
        let _held = self.locks.get(&pic.rel).map(|m| m.lock());
        let missing: Vec<&Variant> = pic
            .variants
            .iter()
            .filter(|v| !self.cache.dir.join(&v.file).is_file())
            .collect();
        let known_color = self
            .index
            .lock()
            .unwrap()
            .get(&pic.rel)
            .is_some_and(|s| s.color.is_some());
        if missing.is_empty() && known_color {
            return Ok(0);
        }
        let bytes = fsread::read(&pic.source, fsread::FILE_LIMIT).map_err(|d| d.message)?;
        let px = codec::decode(&bytes, self.max_pixels)?;
        drop(bytes);
        let color = codec::mean_color(&px);
        if let Some(s) = self.index.lock().unwrap().get_mut(&pic.rel) {
            s.color = Some(color);
        }
        // One resize per width and segment, then each format of it.
        let mut done = 0;
        let mut i = 0;
        while i < missing.len() {
            let v = missing[i];
            let same: Vec<&Variant> = missing[i..]
                .iter()
                .take_while(|o| o.width == v.width && o.segment == v.segment)
                .copied()
                .collect();
            i += same.len();
            let pixels = codec::resize(&px, v.top, v.rows, v.width, v.height)?;
            for o in same {
                let lossless = pic.lossless && !pic.alpha;
                let out = match o.format {
                    Format::Avif => {
                        let (q, speed) = self.avif.unwrap_or((60, 8));
                        codec::avif(&pixels, o.width, o.height, px.alpha, q, speed)?
                    }
                    Format::Webp if lossless => {
                        let enc = webp::Encoder::from_rgb(&pixels, o.width, o.height);
                        enc.encode_lossless().to_vec()
                    }
                    Format::Webp => codec::webp(&pixels, o.width, o.height, px.alpha, self.quality),
                    Format::Jpeg => codec::jpeg(&pixels, o.width, o.height, self.jpeg_quality)?,
                    Format::Png => {
                        let rgba: std::borrow::Cow<[u8]> = if px.alpha {
                            std::borrow::Cow::Borrowed(&pixels)
                        } else {
                            pixels
                                .chunks_exact(3)
                                .flat_map(|c| [c[0], c[1], c[2], 255])
                                .collect()
                        };
                        codec::png(&rgba, o.width, o.height)?
                    }
                };
                self.cache
                    .write(&o.file, &out)
                    .map_err(|e| format!("the image cache could not be written ({e})"))?;
                done += 1;
            }
        }
        Ok(done)
    }

    /// A problem with `pic`, reported where it is used.
    fn problem(&self, pic: &Picture, message: String) -> Diagnostic {
        Diagnostic::new(&pic.source, message)
            .hint("replace the photo with a JPEG, PNG or WebP file that opens in an image viewer")
    }

    /// Delete the cache files no variant of this site uses (after a build that succeeded).
    pub fn prune(&self) -> usize {
        let mut keep: HashSet<String> = self
            .pictures
            .values()
            .flat_map(|p| p.variants.iter().map(|v| v.file.clone()))
            .collect();
        keep.extend(
            self.pictures
                .values()
                .filter(|p| self.stripped.contains_key(&p.rel))
                .map(oss::stripped_name),
        );
        self.cache.prune(&keep)
    }
}

/// Read what every photo of `site` (in every language) is and plan its variants; in
/// [`Mode::Encode`], make the missing ones. Every bad photo is reported, each where it is
/// used, all together.
pub fn prepare(
    site: &Model,
    languages: &[Model],
    mode: Mode,
    progress: Option<Progress>,
) -> Result<Images, BuildError> {
    let presets = presets::load(&site.theme, &site.config)?;
    let uses = uses::collect(site, languages);
    let statics: HashMap<&str, &Path> = site
        .static_files
        .iter()
        .map(|f| (f.rel.as_str(), f.source.as_path()))
        .collect();
    let mut images = Images::none(site);
    images.presets = presets;
    let old = images.cache.index();
    let cfg = &site.config.images;
    type Probed = Result<(Source, PathBuf), String>;
    let probed: Vec<(String, Probed)> = uses
        .par_iter()
        .filter_map(|(rel, _)| {
            let source = statics.get(rel.as_str())?;
            Some((
                rel.clone(),
                probe(source, old.get(rel), cfg.max_pixels).map(|s| (s, source.to_path_buf())),
            ))
        })
        .collect();
    let mut errors = Vec::new();
    let mut index = BTreeMap::new();
    for (rel, r) in probed {
        let u = &uses[&rel];
        match r {
            Err(m) => errors.push(at_use(site, &rel, u, &m)),
            Ok((src, path)) => {
                if src.header.animated {
                    let mut w = at_use(
                        site,
                        &rel,
                        u,
                        "this is an animated image: it is published as it is, not resized",
                    );
                    w.severity = Severity::Warning;
                    w.hint = Some("a still JPEG or PNG loads much faster on a phone".into());
                    images.warnings.push(w);
                }
                let pic = plan(&rel, path, &src, u, &images);
                index.insert(rel.clone(), src);
                images.pictures.insert(rel, pic);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    images.by_output = images
        .pictures
        .values()
        .flat_map(|p| p.variants.iter().map(|v| (v.rel.clone(), p.rel.clone())))
        .collect();
    images.locks = images
        .pictures
        .keys()
        .map(|k| (k.clone(), Mutex::new(())))
        .collect();
    for p in images.pictures.values_mut() {
        p.color = index.get(&p.rel).and_then(|s: &Source| s.color);
    }
    *images.index.lock().unwrap() = index;

    if images.processor == ImageProcessor::Oss {
        images.stripped = oss::strip_all(&images.pictures, &images.cache, &images.index)
            .map_err(|(rel, m)| BuildError::from(vec![at_use(site, &rel, &uses[&rel], &m)]))?;
        for p in images.pictures.values_mut() {
            p.variants.clear();
        }
        images.by_output.clear();
        images.save_index_if_changed(&old);
    } else {
        let total: usize = images.pictures.values().map(|p| p.variants.len()).sum();
        if mode == Mode::Encode {
            let (encoded, errors) = images.encode_missing(progress);
            images.save_index_if_changed(&old);
            if !errors.is_empty() {
                return Err(errors.into());
            }
            let colors = images.index.lock().unwrap().clone();
            for p in images.pictures.values_mut() {
                p.color = colors.get(&p.rel).and_then(|s| s.color);
            }
            images.stats.encoded = encoded;
            images.stats.cached = total.saturating_sub(encoded);
        }
    }
    images.stats.images = images.pictures.values().filter(|p| !p.original).count();
    images.stats.source_bytes = images.pictures.values().map(|p| p.bytes).sum();
    images.stats.largest_bytes = images
        .pictures
        .values()
        .filter_map(|p| {
            let v = p
                .variants
                .iter()
                .rfind(|v| v.format == Format::Webp && v.segment == 0)?;
            let n = cache::stamp(&images.cache.dir.join(&v.file))?.0;
            Some(n * p.segments as u64)
        })
        .sum();
    images.digest = digest(&images);
    images.uses_digest = uses_digest(&uses);
    Ok(images)
}

fn uses_digest(uses: &BTreeMap<String, uses::Use>) -> u64 {
    let mut h = blake3::Hasher::new();
    for (rel, u) in uses {
        h.update(rel.as_bytes());
        h.update(&[0]);
        for p in &u.presets {
            h.update(p.as_bytes());
            h.update(&[1]);
        }
    }
    first_bytes(&h.finalize())
}

/// The first eight bytes of a blake3 digest, as a number.
fn first_bytes(h: &blake3::Hash) -> u64 {
    u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap_or_default())
}

fn digest(images: &Images) -> u64 {
    let mut h = blake3::Hasher::new();
    for p in images.pictures.values() {
        h.update(p.rel.as_bytes());
        h.update(&p.width.to_le_bytes());
        h.update(&p.height.to_le_bytes());
        h.update(&p.color.unwrap_or_default());
        for v in &p.variants {
            h.update(v.rel.as_bytes());
        }
    }
    h.update(format!("{:?}", images.presets).as_bytes());
    h.update(&[images.processor as u8, images.quality, images.jpeg_quality]);
    h.update(format!("{:?}", images.avif).as_bytes());
    first_bytes(&h.finalize())
}

/// What the index knows of `path`, if its size and modification time are unchanged; else
/// read its headers and digest.
fn probe(path: &Path, known: Option<&Source>, max_pixels: u64) -> Result<Source, String> {
    let (size, mtime_ns) = cache::stamp(path).ok_or("the file cannot be read")?;
    if let Some(k) = known
        && k.size == size
        && k.mtime_ns == mtime_ns
    {
        return Ok(k.clone());
    }
    let bytes = fsread::read(path, fsread::FILE_LIMIT).map_err(|d| d.message)?;
    let header = codec::header(&bytes, max_pixels)?;
    Ok(Source {
        size,
        mtime_ns,
        hash: blake3::hash(&bytes).to_hex().to_string(),
        header,
        color: None,
        plain: None,
    })
}

/// The problem `message` about photo `rel`, at the first place that shows it.
fn at_use(site: &Model, rel: &str, u: &Use, message: &str) -> Diagnostic {
    let more = match u.by.len() {
        0 | 1 => String::new(),
        n => format!(" (it is used in {n} places)"),
    };
    let msg = format!("image `{rel}`: {message}{more}");
    let d = match u.by.first() {
        Some(By::File(path, field)) => {
            let d = Diagnostic::new(path, msg);
            match field {
                Some(f) => d.field(f.clone()),
                None => d,
            }
        }
        Some(By::Config(field)) => site.config_doc.error(field, msg),
        None => Diagnostic::new(format!("static/{rel}"), msg),
    };
    d.hint("replace it with a JPEG, PNG or WebP photo (the file is under static/)")
}

/// The widths a photo of `width` is published at for `wanted` widths: none wider than the
/// photo (the photo's own width instead), none within 10% of a wider one.
pub fn widths_for(width: u32, wanted: &[u32]) -> Vec<u32> {
    let mut ws: Vec<u32> = wanted.iter().copied().filter(|&w| w <= width).collect();
    if wanted.iter().any(|&w| w > width) {
        ws.push(width);
    }
    ws.sort_unstable();
    ws.dedup();
    let mut out: Vec<u32> = Vec::with_capacity(ws.len());
    for w in ws {
        if let Some(last) = out.last_mut()
            && u64::from(w) * 10 < u64::from(*last) * 11
        {
            *last = w;
            continue;
        }
        out.push(w);
    }
    out
}

/// Plan the variants of one photo.
fn plan(rel: &str, source: PathBuf, src: &Source, u: &Use, images: &Images) -> Picture {
    let h: &Header = &src.header;
    let presets: Vec<&Preset> = u
        .presets
        .iter()
        .filter_map(|p| images.presets.get(*p))
        .collect();
    let lossless = presets.iter().any(|p| p.lossless);
    let wanted: Vec<u32> = presets
        .iter()
        .flat_map(|p| p.widths.iter().copied())
        .collect();
    let widths = widths_for(h.width, &wanted);
    let max_w = widths.last().copied().unwrap_or(h.width);
    // Only a photo shown as 详情 alone is cut.
    let segment = presets
        .iter()
        .map(|p| p.segment)
        .reduce(|a, b| if a == b { a } else { None })
        .flatten();
    let tall = u64::from(h.height) * u64::from(max_w) / u64::from(h.width.max(1));
    let segments = match segment {
        Some(s) if tall > u64::from(s) => tall.div_ceil(u64::from(s)) as usize,
        _ => 1,
    };
    let seg_rows = h.height.div_ceil(segments as u32);
    let mut formats = Vec::with_capacity(3);
    if images.avif.is_some() && !lossless {
        formats.push(Format::Avif);
    }
    formats.push(Format::Webp);
    formats.push(if h.alpha || lossless {
        Format::Png
    } else {
        Format::Jpeg
    });
    let (dir, name) = match rel.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), rel),
    };
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut variants = Vec::new();
    if !h.animated {
        for &w in &widths {
            for k in 0..segments {
                let top = k as u32 * seg_rows;
                let rows = seg_rows.min(h.height - top);
                let height = ((u64::from(rows) * u64::from(w) + u64::from(h.width) / 2)
                    / u64::from(h.width))
                .max(1) as u32;
                for &f in &formats {
                    let q = match f {
                        Format::Avif => {
                            let (q, speed) = images.avif.unwrap_or_default();
                            format!("{q} speed {speed}")
                        }
                        Format::Webp => images.quality.to_string(),
                        Format::Jpeg => images.jpeg_quality.to_string(),
                        Format::Png => "-".into(),
                    };
                    let mut k_h = blake3::Hasher::new();
                    k_h.update(cache::ENCODER_VERSION.as_bytes());
                    k_h.update(src.hash.as_bytes());
                    k_h.update(
                        format!("{f:?} {w}x{height} {top}+{rows} q{q} l{lossless}").as_bytes(),
                    );
                    let key = k_h.finalize().to_hex();
                    let seg = if segments > 1 {
                        format!("-s{}", k + 1)
                    } else {
                        String::new()
                    };
                    variants.push(Variant {
                        width: w,
                        height,
                        segment: k,
                        format: f,
                        rel: format!("assets/img/{dir}{stem}-{w}{seg}.{}.{}", &key[..10], f.ext()),
                        file: format!("{}.{}", &key[..32], f.ext()),
                        top,
                        rows,
                    });
                }
            }
        }
    }
    Picture {
        rel: rel.to_string(),
        source,
        width: h.width,
        height: h.height,
        alpha: h.alpha,
        color: src.color,
        original: h.animated,
        segments,
        widths,
        variants,
        bytes: src.size,
        lossless,
        hash: src.hash.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale_and_skip_near_twins() {
        assert_eq!(
            widths_for(4000, &[375, 750, 1125, 1500]),
            vec![375, 750, 1125, 1500]
        );
        assert_eq!(
            widths_for(1000, &[375, 750, 1125, 1500]),
            vec![375, 750, 1000]
        );
        assert_eq!(widths_for(760, &[375, 750, 1125]), vec![375, 760]);
        assert_eq!(widths_for(4000, &[240, 480, 720, 750]), vec![240, 480, 750]);
        assert_eq!(widths_for(100, &[240, 480]), vec![100]);
    }
}
