"""A SYNTHETIC corpus of news-like pages with valid gold labels, for benchmarks and tests.

Nothing generated here is real news and none of it may enter the dataset: every
page says SYNTHETIC in its first line, every manifest entry has the publisher
"SYNTHETIC" and a source file named SYNTHETIC-<n>.txt, and `generate` refuses to
write anywhere inside the project's own corpus/, labels/ or dataset/ folders.
Call it with a temporary directory.

Each page is built line by line with the offsets tracked as it grows, so every
label is valid by construction: lines with roles (navigation, headline,
metadata, caption, body, related, author), flat entities with exact offsets,
an article-level instance on the headline, one on the teaser block, two
annotator claims and source-level instances held by a quoted person.
Generation is a pure function of (seed, page number), streams page by page,
and a few pages carry a BOM and CRLF line ends to exercise normalisation.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from corpus import manifest, shards
from corpus.manifest import Entry
from corpus.sources import ROOT, Sources
from corpus.splits import assign_split
from labels.model import Entity, GoldDocument, LineLabel, Span, StanceInstance, dump
from labels.scheme import is_content
from labels.status import Step
from labels.text import doc_id_of, normalise

PUBLISHER = "SYNTHETIC"
LICENSE = "synthetic: generated benchmark text, not news, never part of the dataset"
VERSION = "0.0.0"

CITIES = ["Lisbon", "Kraków", "Zürich", "São Paulo", "Brno", "Tromsø", "Nairobi", "Osaka",
          "Québec", "Valparaíso", "Ghent", "Tbilisi"]
ORGS = ["Harbour Authority", "National Grid Office", "Civic Transit Union", "Rivers Trust",
        "Open Data Council", "Federal Audit Bureau", "Coastal Energy Group", "Museum Board"]
PEOPLE = ["Ana Ferreira", "Jonas Weiß", "Mei Tanaka", "Kwame Mensah", "Élodie Martin",
          "Piotr Nowak", "Sofía Álvarez", "Ravi Iyer", "Lena Ødegaard", "Omar Haddad"]
THINGS = ["tram line", "flood barrier", "solar farm", "bridge repair", "library extension",
          "port expansion", "water plant", "bike network"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
VERBS_FOR = ["backed", "welcomed", "defended", "praised"]
# Paragraph multiplier that makes a page about as long as the development corpus's real pages
# (median 11,500 characters and 164 lines of rendered text).
REAL_SIZED = 17
VERBS_AGAINST = ["rejected", "denied", "criticised", "dismissed"]


@dataclass
class Page:
    """A page under construction: text so far, with every label's offsets into it."""

    number: int
    text: str = ""
    line: int = 0
    lines: list[LineLabel] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    def blank(self, filler: str = "") -> None:
        self.text += filler + "\n"
        self.line += 1

    def add(self, role: str, *parts: str | tuple[str, str]) -> Span:
        """Append one labelled line from plain strings and (surface, entity type) pairs."""
        start = len(self.text)
        for part in parts:
            if isinstance(part, tuple) and is_content(role):  # scheme 2: entities in content lines only
                surface, etype = part
                a = len(self.text)
                self.entities.append(Entity(f"e{len(self.entities) + 1}", a, a + len(surface), surface, etype))
                self.text += surface
            else:
                self.text += part if isinstance(part, str) else part[0]
        end = len(self.text)
        self.lines.append(LineLabel(self.line, start, end, self.text[start:end], role))
        self.blank()
        return Span(start, end, self.text[start:end])

    def entity(self, surface: str, after: int) -> str:
        """Id of the first entity with this surface at or after an offset."""
        return next(e.id for e in self.entities if e.text == surface and e.start >= after)


def page(seed: int, number: int, length: int = 1) -> tuple[str, list[LineLabel], list[Entity], list[StanceInstance]]:
    """One synthetic page (normalised text) and its labels; a pure function of its arguments. With
    length n, the story has n times as many paragraphs (REAL_SIZED makes pages as long as real ones)."""
    rng = random.Random(seed * 1_000_003 + number)
    city, city2 = rng.sample(CITIES, 2)
    org, org2 = rng.sample(ORGS, 2)
    person, person2, author = rng.sample(PEOPLE, 3)
    thing = rng.choice(THINGS)
    month, day, year = rng.choice(MONTHS), rng.randint(1, 28), rng.randint(2019, 2025)
    millions = rng.randint(2, 900)

    p = Page(number)
    p.add("navigation", "SYNTHETIC News Feed")
    p.blank()
    headline = p.add("headline", (city, "GPE"), " approves ", (org, "ORG"), f" plan for new {thing}")
    p.blank()
    p.add("metadata", f"SYNTHETIC page {number:07d} · {rng.randint(2, 9)} min read")
    p.add("caption", "Workers near the site in ", (city, "GPE"), " on ", (f"{month} {day}, {year}", "DATE"),
          ". (", (author, "PERSON"), "/SYNTHETIC Images)")
    p.blank()
    first = p.add("body", "The ", (org, "ORG"), f" has approved a {thing} in ", (city, "GPE"),
                  " worth ", (f"${millions} million", "MONEY"), ", officials said on ",
                  (f"{month} {day}", "DATE"), ".")
    p.blank("   ")  # a whitespace-only line is not a unit
    quote_line_start = len(p.text)
    for_it = rng.random() < 0.6
    verb = rng.choice(VERBS_FOR if for_it else VERBS_AGAINST)
    quote = p.add("body", (person, "PERSON"), ", a spokesperson for ", (org2, "ORG"), f", {verb} the plan and said "
                  f"the {thing} would {'open' if for_it else 'not open'} before ", (str(year + 2), "DATE"), ".")
    holder = p.entity(person, quote_line_start)
    p.blank()
    filler = []
    for k in range(rng.randint(2, 7) * length):
        filler.append(p.add("body", f"Paragraph {k + 1} of this SYNTHETIC story repeats that the {thing} "
                                    f"was discussed by residents of ", (rng.choice(CITIES), "GPE"),
                            " for the ", (f"{rng.choice(['first', 'second', 'third'])}", "ORDINAL"), " time."))
        p.blank()
    teaser = p.add("related", (city2, "GPE"), " opens a new ", (rng.choice(THINGS), "PRODUCT"), " after long delay")
    p.add("related", "A short SYNTHETIC teaser summary of another story, not about this one.")
    p.blank()
    p.add("author", (author, "PERSON"))
    p.add("navigation", "Read more")

    stance = [
        StanceInstance("s1", "article", headline.text, "page", headline, None, (first,), "agree"),
        StanceInstance("s2", "article", teaser.text, "page", teaser, None, (), "unrelated"),
        StanceInstance("s3", "article", f"The {thing} in {city} was approved without any budget.",
                       "annotator", None, None, (first,), "disagree"),
        StanceInstance("s4", "article", f"Residents have debated the {thing} more than once.",
                       "annotator", None, None, (), "discuss"),
        StanceInstance("s5", "source", f"The {thing} will open before {year + 2}.", "annotator", None,
                       holder, (quote,), "agree" if for_it else "disagree"),
    ]
    if filler and rng.random() < 0.5:
        stance.append(StanceInstance("s6", "article", f"People in {city} have talked about the {thing}.",
                                     "annotator", None, None, (filler[0],), "agree"))
    return p.text, p.lines, p.entities, stance


def _refuse_inside_project(path: Path) -> None:
    path = path.resolve()
    for folder in (ROOT / "corpus", ROOT / "labels", ROOT / "dataset"):
        if path == folder or folder in path.parents:
            raise ValueError(f"{path}: synthetic data is written only outside the project's corpus/, labels/ "
                             "and dataset/")


def write_layout(root: Path) -> Sources:
    """The standard source layout below root, with a version and a changelog entry for it."""
    _refuse_inside_project(root)
    sources = Sources.at(root)
    sources.raw_dir.mkdir(parents=True, exist_ok=True)
    sources.gold_dir.mkdir(parents=True, exist_ok=True)
    sources.version_file.write_text(VERSION + "\n", encoding="utf-8")
    sources.changelog.write_text(f"# Changelog\n\n## [{VERSION}]\n\n- SYNTHETIC benchmark corpus.\n",
                                 encoding="utf-8")
    return sources


def write_pages(raw_dir: Path, gold_dir: Path, numbers: Iterable[int], seed: int, length: int = 1) -> None:
    """Pages (and their gold) by number into raw_dir (with its manifest) and gold_dir, streaming page
    by page: only the manifest entries are kept until the manifest is written."""
    entries: list[Entry] = []
    for number in numbers:
        text, lines, entities, stance = page(seed, number, length)
        assert normalise(text.encode("utf-8")) == text
        raw = text.encode("utf-8")
        if number % 7 == 3:  # BOM and CRLF: the stored text is the normalised one
            raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
        doc_id = doc_id_of(normalise(raw))
        (raw_dir / f"{doc_id}.txt").write_bytes(raw)
        gold = GoldDocument(doc_id, tuple(lines), tuple(entities), tuple(stance), status="reviewed",
                            history=(Step("annotated", "generator"), Step("reviewed", "generator-check")))
        (gold_dir / f"{doc_id}.json").write_text(dump(gold), encoding="utf-8")
        entries.append(Entry(
            doc_id=doc_id, source_file=f"SYNTHETIC-{number:07d}.txt",
            source_sha256=hashlib.sha256(raw).hexdigest(), publisher=PUBLISHER, url=None,
            language="en", license=LICENSE, split=assign_split(doc_id),
        ))
    manifest.write(raw_dir / "manifest.jsonl", entries)


def generate(root: Path, pages: int, seed: int = 0, length: int = 1) -> Sources:
    """Write a SYNTHETIC corpus of `pages` pages with gold labels below root; returns its Sources."""
    sources = write_layout(root)
    write_pages(sources.raw_dir, sources.gold_dir, range(pages), seed, length)
    return sources


def write_shard(root: Path, name: str, numbers: Iterable[int], seed: int = 0, length: int = 1) -> Sources:
    """One shard (corpus/shards.py) of a SYNTHETIC corpus below root: the pages of those numbers, the
    same documents generate() writes for them. Shards can be written at once, by different processes."""
    _refuse_inside_project(root)
    shard = shards.shard(Sources.at(root), name)
    shard.raw_dir.mkdir(parents=True, exist_ok=True)
    shard.gold_dir.mkdir(parents=True, exist_ok=True)
    write_pages(shard.raw_dir, shard.gold_dir, numbers, seed, length)
    return shard
