#!/usr/bin/env python3
"""Make the example shop's photographs from its own drawings.

Each SVG is rendered large by headless Chromium, then lit like a studio shot (a soft key light
and a vignette), given leather grain, a little lens softness and sensor noise, so the JPEGs
compress like photographs do. Nothing is downloaded. Run from the project root:

    python3 tools/example-photos.py

Needs chromium (Debian's package), Pillow and numpy (pip).
"""

import os
import subprocess
import tempfile

import numpy as np
from PIL import Image, ImageFilter

SITE = "example-site/static/images"

# output name, source drawing(s) stacked top to bottom, width, height of each piece
PHOTOS = [
    ("products/tote-cognac.jpg", ["products/tote-cognac.svg"], 2400, 2400),
    ("products/tote-black.jpg", ["products/tote-black.svg"], 2400, 2400),
    ("products/tote-detail.jpg", ["products/tote-detail.svg"], 2400, 2400),
    ("products/briefcase-brown.jpg", ["products/briefcase-brown.svg"], 2400, 2400),
    ("hero.jpg", ["hero.svg"], 3200, 1400),
    ("story.jpg", ["story.svg"], 2400, 1600),
    # A 详情 long image, 750 wide as Chinese detail pages are designed.
    (
        "details/tote-long.jpg",
        ["details/stitch.svg", "details/edge.svg", "details/hardware.svg", "details/patina.svg",
         "details/stitch.svg", "details/edge.svg", "details/hardware.svg", "details/patina.svg",
         "details/stitch.svg", "details/edge.svg", "details/hardware.svg", "details/patina.svg"],
        750,
        500,
    ),
]


def render(svg, width, height, tmp):
    page = os.path.join(tmp, "page.html")
    with open(page, "w") as f:
        f.write(
            "<!doctype html><style>html,body{margin:0;overflow:hidden}"
            "img{display:block;width:100vw;height:100vh}</style>"
            f'<img src="file://{os.path.abspath(os.path.join(SITE, svg))}">'
        )
    out = os.path.join(tmp, "shot.png")
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp}/profile", f"--window-size={width},{height}",
         f"--screenshot={out}", f"file://{page}"],
        check=True, capture_output=True,
    )
    return Image.open(out).convert("RGB").resize((width, height))


def photograph(img, seed):
    rng = np.random.default_rng(seed)
    a = np.asarray(img).astype(np.float32) / 255.0
    h, w, _ = a.shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    # Key light from the upper left, falling off across the frame, and a vignette.
    light = 1.06 - 0.14 * ((x / w) * 0.6 + (y / h) * 0.4)
    r = np.sqrt(((x - w / 2) / (w / 2)) ** 2 + ((y - h / 2) / (h / 2)) ** 2)
    light *= 1.0 - 0.12 * np.clip(r - 0.55, 0, None) ** 1.5
    a *= light[..., None]
    # Leather grain: fine noise blurred into pores, stronger in darker (material) areas.
    grain = rng.normal(0, 1, (h, w)).astype(np.float32)
    grain = np.asarray(
        Image.fromarray(((grain * 32) + 128).clip(0, 255).astype(np.uint8)).filter(
            ImageFilter.GaussianBlur(1.6)
        )
    ).astype(np.float32) / 255.0 - 0.5
    material = 1.0 - a.mean(axis=2)
    a += (grain * 0.22 * (0.25 + material))[..., None]
    out = Image.fromarray((a.clip(0, 1) * 255).astype(np.uint8))
    # Lens softness, then sensor noise on top (per channel, a little more in the shadows).
    out = out.filter(ImageFilter.GaussianBlur(0.6))
    b = np.asarray(out).astype(np.float32)
    b += rng.normal(0, 4.0, b.shape) * (1.2 - b / 255.0)
    return Image.fromarray(b.clip(0, 255).astype(np.uint8))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, svgs, width, height) in enumerate(PHOTOS):
            pieces = [render(s, width, height, tmp) for s in svgs]
            full = Image.new("RGB", (width, height * len(pieces)))
            for k, p in enumerate(pieces):
                full.paste(p, (0, k * height))
            photo = photograph(full, seed=i)
            path = os.path.join(SITE, name)
            photo.save(path, "JPEG", quality=86, optimize=True, progressive=True)
            print(f"{path}: {photo.width}×{photo.height}, {os.path.getsize(path) // 1024} KB")


if __name__ == "__main__":
    main()
