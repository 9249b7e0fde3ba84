"""The HTML extractors on the development corpus: speed, and how much of their text lands on lines.

    python benchmarks/extractors.py [--pages DIR]

For each extractor (trafilatura, readability, boilerpipe, jusText on the HTML): pages per
second of extraction alone, the cost of mapping its text onto the rendered lines
(baselines.alignment) as a share of the extraction time, the share of the extracted
characters (as alignment keys: case-folded, no white space) that the mapping placed on a
line, and the share of lines kept. Each page is read in the language the manifest records.
Reference for speed: rendering the same pages (corpus.html.render), which every document
goes through once. Text an extractor returns
that the page does not show (hidden elements, option lists, alt text) cannot be placed,
so a placed share below 1 is not necessarily a mapping error. One pass; no gold is read.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from baselines.alignment import align, key  # noqa: E402
from baselines.systems.extractors import Boilerpipe, JusTextHtml, Readability, Trafilatura  # noqa: E402
from corpus.html.render import render, unwrap  # noqa: E402
from corpus import manifest  # noqa: E402
from corpus.ingest import read_page  # noqa: E402
from corpus.sources import DEFAULT  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PROJECT.parent / "shared" / "corpus" / "pages")
    args = parser.parse_args()
    files = sorted(p for p in args.pages.rglob("*") if p.is_file())
    if not files:
        sys.exit(f"error: no pages below {args.pages}: pass --pages DIR")
    pages = [read_page(p.read_bytes()) for p in files]
    htmls = [unwrap(page.html) for page in pages]
    lines = [page.text.splitlines() for page in pages]
    recorded = {e.pages_path: e.language for e in manifest.read(DEFAULT.manifest) if e.pages_path}
    languages = [recorded.get(p.relative_to(args.pages).as_posix(), "en") for p in files]
    start = time.perf_counter()
    for html in htmls:
        render(html)
    reference = time.perf_counter() - start
    print(f"{len(files)} pages; reference: render at {len(files) / reference:.0f} pages/s")
    print(f"{'extractor':12} {'pages/s':>8} {'x render':>9} {'mapping/extract':>16} {'placed':>7} {'lines kept':>11}")
    for cls in (Trafilatura, Readability, Boilerpipe, JusTextHtml):
        system = cls()
        extract_s = map_s = 0.0
        extracted = placed = kept = 0.0
        for html, page_lines, language in zip(htmls, lines, languages):
            t0 = time.perf_counter()
            text = system.extract(html, language) or ""
            t1 = time.perf_counter()
            result = align(page_lines, text)
            map_s += time.perf_counter() - t1
            extract_s += t1 - t0
            extracted += sum(len(key(p)) for p in text.split("\n"))
            placed += sum(c * len(key(line)) for c, line in zip(result.covered, page_lines))
            kept += sum(result.kept())
        n_lines = sum(map(len, lines))
        print(f"{cls.name:12} {len(files) / extract_s:8.1f} {reference / extract_s:9.2f} {map_s / extract_s:16.3f} "
              f"{placed / max(extracted, 1):7.4f} {kept / n_lines:11.3f}")


if __name__ == "__main__":
    main()
