#!/usr/bin/env python3
"""Writes src/search/fold.txt, the character table search folds Traditional Chinese with.

Every Traditional character (and every Hong Kong variant form) maps to one Simplified
character, so 錢包 and 钱包 index and query as the same tokens. Derived from OpenCC's
dictionaries (Apache-2.0): TSCharacters.txt (Traditional → Simplified, first value) and
HKVariants.txt read backwards (a Hong Kong form → its standard Traditional form → Simplified).

Usage: python3 tools/fold-table.py OPENCC_CHECKOUT [--out src/search/fold.txt]
Where OPENCC_CHECKOUT is a checkout of https://github.com/BYVoid/OpenCC (data/dictionary/).
"""
import argparse
from pathlib import Path


def read(path):
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, values = line.partition("\t")
        pairs.append((key, values.split(" ")))
    return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("opencc", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "src/search/fold.txt")
    a = ap.parse_args()
    d = a.opencc / "data" / "dictionary"
    fold = {}
    for key, values in read(d / "TSCharacters.txt"):
        v = values[0]
        if len(key) == 1 and len(v) == 1 and key != v:
            fold[key] = v
    for std, values in read(d / "HKVariants.txt"):
        if len(std) != 1:
            continue
        target = fold.get(std, std)
        for hk in values:
            if len(hk) == 1 and hk != target and hk not in fold:
                fold[hk] = target
    # A chain (A → B where B folds further) ends at its last form.
    for k in list(fold):
        seen = {k}
        while fold[k] in fold and fold[k] not in seen:
            seen.add(fold[k])
            fold[k] = fold[fold[k]]
    lines = [
        "# Traditional Chinese → Simplified, one character each: what search folds text with.",
        "# Derived from OpenCC (https://github.com/BYVoid/OpenCC, Apache-2.0): TSCharacters.txt",
        "# and HKVariants.txt reversed. Written by tools/fold-table.py; do not edit by hand.",
    ]
    lines += [f"{k}{v}" for k, v in sorted(fold.items())]
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(fold)} characters → {a.out}")


if __name__ == "__main__":
    main()
