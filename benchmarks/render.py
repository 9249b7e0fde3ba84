"""How fast is the renderer? Render every page of the development corpus and compare with a bare parse.

    python benchmarks/render.py [--pages DIR] [--repeat 5]

Reference: the same pages parsed by selectolax's Lexbor parser alone (bytes already decoded,
no tree walk), the floor any renderer built on it can reach. Reported: pages per second and
MB of raw HTML per second for the bare parse, for rendering (parse + walk + lines + XPaths)
and for the whole read (gunzip + encoding choice + render), and the ratio render / bare parse.
Each figure is the best of --repeat passes over all pages, so a busy machine shows less.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from corpus.html.encoding import decode  # noqa: E402
from corpus.html.render import render, unwrap  # noqa: E402
from corpus.ingest import read_page, unpack  # noqa: E402


def best_of(repeat: int, fn, items) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PROJECT.parent / "shared" / "corpus" / "pages")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(p for p in args.pages.rglob("*") if p.is_file())
    if not files:
        sys.exit(f"error: no pages below {args.pages}: pass --pages DIR")
    raws = [p.read_bytes() for p in files]
    htmls = [unwrap(decode(unpack(raw)[0]).text) for raw in raws]
    megabytes = sum(len(unpack(raw)[0]) for raw in raws) / 1e6
    rows = [
        ("bare Lexbor parse (reference)", best_of(args.repeat, LexborHTMLParser, htmls)),
        ("render (parse + lines + XPaths)", best_of(args.repeat, render, htmls)),
        ("read_page (gunzip + encoding + render)", best_of(args.repeat, read_page, raws)),
    ]
    print(f"{len(files)} pages, {megabytes:.2f} MB of HTML, best of {args.repeat} passes")
    print(f"{'':40} {'pages/s':>9} {'MB/s':>7} {'x bare parse':>13}")
    for name, seconds in rows:
        print(f"{name:40} {len(files) / seconds:9.0f} {megabytes / seconds:7.1f} {rows[0][1] / seconds:13.2f}")


if __name__ == "__main__":
    main()
