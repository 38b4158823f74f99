#!/usr/bin/env python3
"""Chinese search: shopgen's bigrams against a word segmenter (jieba), on a shop's products.

Reads every product of a site (title, subtitle, description, tags, badges, the Markdown body)
and indexes the Chinese text two ways:

- bigrams: as shopgen does (`src/search/tokens.rs`): each run of Chinese characters gives its
  bigrams, and outside the body its single characters; a query of two characters or more must
  match all its bigrams, a one-character query its character;
- jieba 0.42.1 (the segmenter jieba-rs ports, with the same dictionary and HMM):
  `cut_for_search` at index time, `cut` for the query, a document matching every query word.

Queries are Chinese strings a buyer would type: for the example shop a fixed list; for a
generated catalog two sets drawn from the product titles — the dictionary words of the titles
(as jieba cuts them, two characters or more: the fair case for a segmenter) and any 2-, 3- or
4-character piece of them (what a buyer types who remembers part of a name).
A document is relevant to a query when its text contains the query (the Taobao expectation:
what the page says, search finds). Prints, per method, the recall and precision over all
queries, the postings (document, term pairs) of the Chinese terms and how many distinct terms
there are, and what the browser would need to read a query the same way (jieba: its
dictionary).

A benchmark, never a test. Needs `pip install jieba==0.42.1`.

Usage: python3 bench/segmenter.py SITE [--queries N]
"""
import argparse
import random
import re
import statistics
import sys
from pathlib import Path

try:
    import jieba
except ImportError:
    sys.exit("needs jieba: pip install jieba==0.42.1")

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

EXAMPLE_QUERIES = [
    "托特", "托特包", "钱包", "真皮", "皮", "包", "手链", "卡包", "护照", "钥匙", "皮带", "邮差包",
    "保养", "皮革", "牛皮", "礼盒", "斜挎", "零钱", "水桶包", "马鞍包", "公文包", "长款钱包", "植鞣",
]


def products(site: Path):
    """(text outside the body, body text) of every product, from its front matter and Markdown."""
    for md in sorted((site / "content" / "products").glob("*.md")):
        text = md.read_text(encoding="utf-8")
        head, body = "", text
        if text.startswith("---\n"):
            head, _, body = text[4:].partition("\n---\n")
        fields = []
        for line in head.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("title", "subtitle", "description", "tags", "badges", "category"):
                fields.append(value)
        yield " ".join(fields), body


def bigram_terms(text: str, body: bool):
    out = set()
    for run in CJK.findall(text):
        if not body:
            out.update(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def bigram_query(q: str):
    return {q} if len(q) == 1 else {q[i:i + 2] for i in range(len(q) - 1)}


def jieba_terms(text: str):
    return {w for run in CJK.findall(text) for w in jieba.cut_for_search(run)}


def jieba_query(q: str):
    return {w for w in jieba.cut(q) if w.strip()}


def measure(name, docs_terms, query_terms, queries, texts):
    recalls, precisions = [], []
    for q in queries:
        relevant = {i for i, t in enumerate(texts) if q in t}
        want = query_terms(q)
        found = {i for i, terms in enumerate(docs_terms) if want <= terms}
        if relevant:
            recalls.append(len(found & relevant) / len(relevant))
        if found:
            precisions.append(len(found & relevant) / len(found))
    postings = sum(len(t) for t in docs_terms)
    vocabulary = len(set().union(*docs_terms))
    print(f"{name:8} recall {statistics.mean(recalls):6.1%} (min {min(recalls):5.1%}, "
          f"{sum(r < 1 for r in recalls)} of {len(recalls)} queries miss a product)  "
          f"precision {statistics.mean(precisions):6.1%}  postings {postings:>10,}  terms {vocabulary:>8,}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--queries", type=int, default=300, help="queries drawn from a generated catalog's titles")
    a = ap.parse_args()
    jieba.setLogLevel(60)
    items = list(products(a.site))
    texts = [head + " " + body for head, body in items]
    bigrams = [bigram_terms(h, False) | bigram_terms(b, True) for h, b in items]
    segmented = [jieba_terms(h + " " + b) for h, b in items]
    if (a.site / "content" / "products" / "真皮托特包.md").exists():
        sets = {"example queries": EXAMPLE_QUERIES}
    else:
        words, pieces = set(), set()
        for head, _ in items:
            for run in CJK.findall(head):
                words.update(w for w in jieba.cut(run) if len(w) >= 2)
                for n in (2, 3, 4):
                    pieces.update(run[i:i + n] for i in range(len(run) - n + 1))
        sets = {}
        for name, found in (("title words", words), ("title pieces", pieces)):
            queries = sorted(found)
            random.Random(42).shuffle(queries)
            sets[name] = queries[:a.queries]
    print(f"{a.site}: {len(items)} products")
    for name, queries in sets.items():
        print(f"{name}: {len(queries)} queries")
        measure("bigrams", bigrams, bigram_query, queries, texts)
        measure("jieba", segmented, jieba_query, queries, texts)
    dictionary = Path(jieba.__file__).parent / "dict.txt"
    print(f"to read a query as the index does, the browser needs: bigrams — nothing beyond the search script; "
          f"jieba — its dictionary, {dictionary.stat().st_size / 1e6:.1f} MB, and the segmenter")


if __name__ == "__main__":
    main()
