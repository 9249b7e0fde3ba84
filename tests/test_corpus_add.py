"""`python -m corpus.add`: content ids, byte-identical copies, refusals that write nothing, splits."""
from __future__ import annotations

import hashlib
import json

import pytest

from conftest import SEED_ID, SEED_RAW, copy_sources, cli, tree_hashes
from corpus import manifest
from corpus.add import add
from corpus.sources import Sources
from corpus.splits import SPLITS, assign_split
from labels.cli import UserError
from labels.text import doc_id_of, normalise

PAGE = "Headline of a page\r\n\r\nBody text with Zu\u0308rich in it.\r\n".encode()
PAGE_RAW = b"\xef\xbb\xbf" + PAGE
PAGE_TEXT = "Headline of a page\n\nBody text with Z\u00fcrich in it.\n"


def _add(files, sources, **kw):
    opts = dict(publisher=None, url=None, language="en", license="unknown", split=None)
    opts.update(kw)
    return add(files, sources, **opts)


@pytest.fixture
def project(tmp_path):
    """A runnable copy of the project (code and inputs) so the CLI writes only below tmp_path."""
    return copy_sources(tmp_path / "project", code=True)


def test_ingest_into_an_empty_layout(tmp_path):
    sources = Sources.at(tmp_path / "empty")
    src = tmp_path / "incoming" / "page one.txt"
    src.parent.mkdir()
    src.write_bytes(PAGE_RAW)
    [entry] = _add([src], sources, publisher="Example Times", url="https://example.org/a")
    assert normalise(PAGE_RAW) == PAGE_TEXT
    doc_id = doc_id_of(PAGE_TEXT)
    assert entry == manifest.Entry(
        doc_id=doc_id, source_file="page one.txt", source_sha256=hashlib.sha256(PAGE_RAW).hexdigest(),
        publisher="Example Times", url="https://example.org/a", language="en", license="unknown",
        split=assign_split(hashlib.sha256(b"Example Times").hexdigest()),
    )
    stored = sources.raw_dir / f"{doc_id}.txt"
    assert stored.read_bytes() == PAGE_RAW  # byte-identical, BOM and CRLF included
    assert sorted(p.name for p in sources.raw_dir.iterdir()) == sorted([stored.name, "manifest.jsonl"])
    assert manifest.read(sources.manifest) == [entry]
    assert json.loads(sources.manifest.read_text(encoding="utf-8")) == {
        "doc_id": doc_id, "source_file": "page one.txt", "source_sha256": hashlib.sha256(PAGE_RAW).hexdigest(),
        "publisher": "Example Times", "url": "https://example.org/a", "language": "en",
        "license": "unknown", "split": entry.split, "format": "text", "compression": None,
        "encoding": "utf-8", "renderer": None, "pages_path": None, "date": None, "license_evidence": None,
    }


def test_manifest_is_sorted_and_keeps_existing_entries(sources, tmp_path):
    before = manifest.read(sources.manifest)
    pages = []
    for i in range(5):
        p = tmp_path / f"p{i}.txt"
        p.write_text(f"Page {i}\n\nbody\n", encoding="utf-8")
        pages.append(p)
    added = _add(pages, sources)
    after = manifest.read(sources.manifest)
    assert [e.doc_id for e in after] == sorted(e.doc_id for e in before + added)
    assert set(after) == set(before) | set(added)
    for e in added:
        assert (sources.raw_dir / e.raw_name).read_bytes() == (tmp_path / e.source_file).read_bytes()


def test_duplicate_in_the_api_raises_and_writes_nothing(sources, tmp_path):
    new = tmp_path / "new.txt"
    new.write_bytes(PAGE_RAW)
    noisy_seed = tmp_path / "seed-again.txt"
    noisy_seed.write_bytes(b"\xef\xbb\xbf" + SEED_RAW.read_bytes().replace(b"\n", b"\r\n"))
    before = tree_hashes(sources.raw_dir)
    with pytest.raises(UserError) as err:
        _add([new, noisy_seed], sources)  # the new page comes first: it must not be written either
    assert str(err.value) == (f"{noisy_seed}: duplicate of document {SEED_ID} "
                              f"(added from 000_b86e3ff87bf364ea.txt); nothing was added")
    assert tree_hashes(sources.raw_dir) == before


def test_duplicate_within_one_batch(sources, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(PAGE)
    b.write_bytes(PAGE_RAW)  # same page after normalisation
    before = tree_hashes(sources.raw_dir)
    with pytest.raises(UserError, match=rf"^{b}: duplicate of document {doc_id_of(PAGE_TEXT)} \(added from a.txt\)"):
        _add([a, b], sources)
    assert tree_hashes(sources.raw_dir) == before


def test_cli_duplicate_exits_2_and_changes_nothing(project, tmp_path):
    dup = tmp_path / "again.txt"
    dup.write_bytes(SEED_RAW.read_bytes().replace(b"\n", b"\r\n"))
    before = tree_hashes(project.raw_dir)
    manifest_before = project.manifest.read_bytes()
    done = cli("corpus.add", str(dup), cwd=project.raw_dir.parent.parent)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (f"error: {dup}: duplicate of document {SEED_ID} (added from "
                           f"000_b86e3ff87bf364ea.txt); nothing was added\n")
    assert project.manifest.read_bytes() == manifest_before
    assert tree_hashes(project.raw_dir) == before


def test_cli_not_utf8_is_one_line_naming_the_file(project, tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\u00e9 page\n".encode("latin-1"))
    before = tree_hashes(project.raw_dir)
    done = cli("corpus.add", str(bad), cwd=project.raw_dir.parent.parent)
    assert done.returncode == 2
    assert done.stderr == f"error: {bad}: not UTF-8 (byte 3) and not HTML: convert it to UTF-8 first; nothing was added\n"
    assert tree_hashes(project.raw_dir) == before


def test_cli_empty_and_missing_pages_are_user_errors(project, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\xef\xbb\xbf \r\n\t\n")
    missing = tmp_path / "nope.txt"
    root = project.raw_dir.parent.parent
    done = cli("corpus.add", str(empty), cwd=root)
    assert (done.returncode, done.stderr) == (2, f"error: {empty}: the page has no visible text; nothing was added\n")
    done = cli("corpus.add", str(missing), cwd=root)
    assert (done.returncode, done.stderr) == (2, f"error: {missing}: cannot read: No such file or directory\n")


def test_cli_adds_a_page(project, tmp_path):
    src = tmp_path / "fresh.txt"
    src.write_bytes(PAGE_RAW)
    doc_id = doc_id_of(PAGE_TEXT)
    before = {e.doc_id for e in manifest.read(project.manifest)}
    assert SEED_ID in before
    done = cli("corpus.add", str(src), "--publisher", "Example Times", cwd=project.raw_dir.parent.parent)
    assert done.returncode == 0, done.stderr
    split = assign_split(hashlib.sha256(b"Example Times").hexdigest())
    assert done.stdout.splitlines()[0] == f"added {doc_id} ({split}, text) as {doc_id}.txt"
    assert (project.raw_dir / f"{doc_id}.txt").read_bytes() == PAGE_RAW
    entries = {e.doc_id: e for e in manifest.read(project.manifest)}
    assert set(entries) == before | {doc_id}
    assert entries[doc_id].publisher == "Example Times"


def test_split_is_deterministic():
    assert assign_split(SEED_ID) == "test"  # int("74c56bf1", 16) % 100 == 81
    assert int(SEED_ID[:8], 16) % 100 == 81
    for bucket, split in [(0, "train"), (59, "train"), (60, "validation"), (69, "validation"),
                          (70, "test"), (99, "test")]:
        assert assign_split(f"{bucket:08x}" + "0" * 8) == split
    assert assign_split("ffffffff00000000") == "test"  # 4294967295 % 100 == 95
    assert assign_split("00000064aaaaaaaa") == "train"  # 100 % 100 == 0, only the first 8 digits count


def test_split_does_not_depend_on_layout_or_order(tmp_path):
    pages = []
    for i in range(40):
        p = tmp_path / f"p{i:02d}.txt"
        p.write_text(f"Page {i}\n\nbody {i * i}\n", encoding="utf-8")
        pages.append(p)
    one = _add(pages, Sources.at(tmp_path / "one"))
    two = _add(list(reversed(pages)), Sources.at(tmp_path / "two"))
    assert {e.doc_id: e.split for e in one} == {e.doc_id: e.split for e in two}
    assert {e.split for e in one} == set(SPLITS)  # 40 pages land in all three splits
    for e in one:
        assert e.split == assign_split(e.doc_id)
    # an explicit split overrides, and is recorded
    [forced] = _add([pages[0]], Sources.at(tmp_path / "three"), split="validation")
    assert forced.split == "validation"


def test_publisher_with_a_line_separator_survives_the_manifest(tmp_path):
    """Regression: manifest.write keeps U+2028 raw (ensure_ascii=False), so reading must
    split on "\\n" only, not with str.splitlines()."""
    sources = Sources.at(tmp_path / "ls")
    src = tmp_path / "p.txt"
    src.write_bytes(PAGE)
    [entry] = _add([src], sources, publisher="Foo\u2028Bar")
    assert manifest.read(sources.manifest) == [entry]
