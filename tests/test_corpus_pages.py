"""HTML pages through corpus.add: by reference to a pages folder, provenance lists, publisher-grouped
splits, corpus.remove, and what happens when the pages folder is missing or a page has changed."""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from conftest import ROOT, SEED_ID, cli, copy_sources, tree_hashes
from corpus import manifest
from corpus.add import add, load_provenance
from corpus.documents import iter_documents, read_document
from corpus.html.render import RENDERER
from corpus.remove import remove
from corpus.sources import Sources
from labels.cli import UserError

ARTICLE = ("<html><head><meta charset='{charset}'><title>t</title></head><body><nav><a href='/'>Home</a></nav>"
           "<h1>{title}</h1><p>Caf\u00e9 owners said the rent rose.</p></body></html>")
SHARED = ROOT.parent / "shared" / "corpus"


def _page(folder: Path, name: str, title: str, charset="utf-8", compress=False) -> Path:
    raw = ARTICLE.format(charset=charset, title=title).encode(charset if charset != "utf-8" else "utf-8")
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(raw, mtime=0) if compress else raw)
    return path


@pytest.fixture
def layout(tmp_path):
    """A copy of the project's inputs and a pages folder beside it, as ../shared/corpus/pages would be."""
    sources = copy_sources(tmp_path / "project")
    # start from the repository's own pages (the seed), without the development corpus's references
    manifest.write(sources.manifest, [e for e in manifest.read(sources.manifest) if not e.external])
    pages = tmp_path / "shared" / "corpus" / "pages"
    return Sources.at(tmp_path / "project").full(pages_dir=pages), pages


def _add(files, sources, **kw):
    opts = dict(publisher="Example Daily", url=None, language="en", license="CC BY 4.0", split=None)
    opts.update(kw)
    return add(files, sources, **opts)


def test_a_page_in_the_pages_folder_is_recorded_by_reference(layout):
    sources, pages = layout
    page = _page(pages, "daily/one.html.gz", "Rents rise", compress=True)
    before = tree_hashes(sources.raw_dir)
    [entry] = _add([page], sources, split="validation")
    assert (entry.format, entry.compression, entry.encoding, entry.renderer) == ("html", "gzip", "utf-8", RENDERER)
    assert entry.pages_path == "daily/one.html.gz" and entry.external
    assert entry.source_sha256 == hashlib.sha256(page.read_bytes()).hexdigest()
    after = tree_hashes(sources.raw_dir)
    assert set(after) == set(before)  # no copy: only the manifest changed
    doc = read_document(sources, entry)
    assert doc.text == "Home\nRents rise\nCaf\u00e9 owners said the rent rose.\n"
    assert doc.xpaths == ("/html[1]/body[1]/nav[1]", "/html[1]/body[1]/h1[1]", "/html[1]/body[1]/p[1]")
    assert doc.html.startswith("<html><head><meta charset='utf-8'>")


def test_a_page_elsewhere_is_copied_byte_for_byte(layout, tmp_path):
    sources, _ = layout
    page = _page(tmp_path / "incoming", "two.html", "Shops close", charset="windows-1252")
    [entry] = _add([page], sources)
    assert entry.pages_path is None and entry.encoding == "cp1252"
    assert (sources.raw_dir / f"{entry.doc_id}.html").read_bytes() == page.read_bytes()
    assert read_document(sources, entry).text.splitlines()[2] == "Caf\u00e9 owners said the rent rose."


def test_publishers_never_straddle_splits(layout, tmp_path):
    sources, pages = layout
    [first] = _add([_page(pages, "d/1.html", "One")], sources, split="train")
    [second] = _add([_page(pages, "d/2.html", "Two")], sources)  # follows its publisher
    assert (first.split, second.split) == ("train", "train")
    with pytest.raises(UserError, match=r"publisher 'Example Daily' is in the train split; a publisher's pages "
                                        r"never straddle two splits \(drop --split or use --split train\)$"):
        _add([_page(pages, "d/3.html", "Three")], sources, split="test")


def test_provenance_list_fills_url_date_language_licence(layout, tmp_path):
    sources, pages = layout
    page = _page(pages, "d/one.html", "One")
    listing = tmp_path / "sources.json"
    listing.write_text(json.dumps([{"file": "one.html", "url": "https://example.org/one", "date": "2020-01-02",
                                    "lang": "de", "licence": "CC BY 3.0", "evidence": "footer",
                                    "sha256": hashlib.sha256(page.read_bytes()).hexdigest()}]))
    [entry] = _add([page], sources, provenance=load_provenance(listing))
    assert (entry.url, entry.date, entry.language, entry.license, entry.license_evidence) == (
        "https://example.org/one", "2020-01-02", "de", "CC BY 3.0", "footer")
    other = _page(pages, "d/other.html", "Other")
    with pytest.raises(UserError, match="other.html: not listed in the provenance list; nothing was added$"):
        _add([other], sources, provenance=load_provenance(listing))


def test_the_same_bytes_twice_are_a_duplicate(layout, tmp_path):
    sources, pages = layout
    page = _page(pages, "d/one.html", "One")
    [entry] = _add([page], sources)
    copy = tmp_path / "copy.html"
    copy.write_bytes(page.read_bytes())
    with pytest.raises(UserError, match=rf"duplicate of document {entry.doc_id} \(added from one.html\)"):
        _add([copy], sources)


def test_missing_pages_folder_is_one_line_naming_the_document(layout):
    sources, pages = layout
    [entry] = _add([_page(pages, "d/one.html", "One")], sources)
    gone = Sources.at(sources.raw_dir.parent.parent).full(pages_dir=pages.parent / "elsewhere")
    with pytest.raises(UserError, match=rf"document {entry.doc_id} is kept in a pages folder \(d/one.html\), "
                                        rf"and no pages folder was found at .*elsewhere: pass --pages DIR$"):
        list(iter_documents(gone))
    # the repository-only build never needs the pages folder
    assert [d.doc_id for d in iter_documents(Sources.at(sources.raw_dir.parent.parent))] == [SEED_ID]


def test_a_page_whose_bytes_changed_is_refused(layout):
    sources, pages = layout
    page = _page(pages, "d/one.html", "One")
    [entry] = _add([page], sources)
    page.write_bytes(page.read_bytes().replace(b"One", b"Uno"))
    with pytest.raises(UserError, match=rf"one.html: bytes differ from the manifest's source_sha256 for {entry.doc_id}$"):
        read_document(sources, entry)


def test_remove_takes_out_entry_copy_and_labels(layout, tmp_path):
    sources, pages = layout
    before_raw = tree_hashes(sources.raw_dir)
    copied = _page(tmp_path / "in", "c.html", "Copied")
    [by_copy] = _add([copied], sources)
    [by_ref] = _add([_page(pages, "d/r.html", "Referenced")], sources)
    for folder in (sources.gold_dir, sources.passes_dir / "A", sources.gold_dir.parent / "drafts"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{by_copy.doc_id}.json").write_text("{}")
    removed = remove([by_copy.doc_id, by_ref.doc_id], sources)
    assert [e.doc_id for e, _ in removed] == [by_copy.doc_id, by_ref.doc_id]
    assert tree_hashes(sources.raw_dir) == before_raw  # manifest and copies exactly as before the adds
    assert not any(p.name.startswith(by_copy.doc_id) for p in sources.gold_dir.parent.rglob("*.json"))
    assert (pages / "d/r.html").exists()  # a referenced page is not the project's to delete


def test_remove_refuses_unknown_ids_and_changes_nothing(layout):
    sources, _ = layout
    before = tree_hashes(sources.raw_dir)
    with pytest.raises(UserError, match=r"no document 0000000000000000 in the corpus; nothing was removed$"):
        remove([SEED_ID, "0000000000000000"], sources)
    assert tree_hashes(sources.raw_dir) == before


def test_cli_remove_and_add_round_trip(tmp_path):
    project = copy_sources(tmp_path / "project", code=True)
    root = project.raw_dir.parent.parent
    manifest.write(project.manifest, [e for e in manifest.read(project.manifest) if not e.external])
    page = _page(tmp_path / "in", "p.html", "Round trip")
    before = tree_hashes(project.raw_dir)
    done = cli("corpus.add", str(page), "--publisher", "Example Daily", cwd=root)
    assert done.returncode == 0, done.stderr
    doc_id = done.stdout.split()[1]
    done = cli("corpus.remove", doc_id, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"removed {doc_id} (p.html): manifest entry, raw/{doc_id}.html"
    assert tree_hashes(project.raw_dir) == before
    done = cli("corpus.remove", doc_id, cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.endswith(f"no document {doc_id} in the corpus; nothing was removed\n")


@pytest.mark.skipif(not (SHARED / "pages").is_dir(), reason="the development corpus pages are not beside the project")
def test_every_page_of_the_development_corpus_renders_as_recorded():
    """The committed manifest names all 40 pages by sha256; each renders to the text its id was made
    from, with one XPath per line, publishers never straddle splits and the seed stays in test."""
    sources = Sources.at(ROOT).full(pages_dir=SHARED / "pages")
    listed = {r["sha256"]: r for r in json.loads((SHARED / "sources.json").read_text(encoding="utf-8"))}
    entries = manifest.read(sources.manifest)
    external = [e for e in entries if e.external]
    assert {e.source_sha256 for e in external} == set(listed)
    splits_of: dict[str, set[str]] = {}
    for e in entries:
        splits_of.setdefault(e.publisher, set()).add(e.split)
    assert all(len(s) == 1 for s in splits_of.values())
    assert sum(e.split == "test" for e in entries) == 20 and {e.split for e in entries if e.doc_id == SEED_ID} == {"test"}
    for doc in iter_documents(sources):
        if doc.entry.external:
            assert len(doc.xpaths) == len(doc.text.splitlines()) and all(x.startswith("/html[1]/") for x in doc.xpaths)
            assert "<" not in "".join(line[:1] for line in doc.text.splitlines())  # no markup left at line starts


def test_show_prints_each_line_with_offsets_and_xpath(tmp_path):
    project = copy_sources(tmp_path / "project", code=True)
    root = project.raw_dir.parent.parent
    manifest.write(project.manifest, [e for e in manifest.read(project.manifest) if not e.external])
    page = _page(tmp_path / "in", "p.html", "Shown")
    doc_id = cli("corpus.add", str(page), "--publisher", "Example Daily", cwd=root).stdout.split()[1]
    done = cli("corpus.show", doc_id, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "0\t0\t4\t/html[1]/body[1]/nav[1]\tHome",
        "1\t5\t10\t/html[1]/body[1]/h1[1]\tShown",
        "2\t11\t42\t/html[1]/body[1]/p[1]\tCaf\u00e9 owners said the rent rose.",
    ]
    assert cli("corpus.show", doc_id, "--text", cwd=root).stdout == "Home\nShown\nCaf\u00e9 owners said the rent rose.\n"
    done = cli("corpus.show", "0000000000000000", cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.endswith("no document 0000000000000000\n")


@pytest.mark.skipif(not (SHARED / "pages").is_dir(), reason="the development corpus pages are not beside the project")
def test_the_full_build_from_the_pages_folder_is_the_recorded_release(tmp_path):
    """Every one of the 41 documents has reviewed-up gold and enters the full build, whose content
    fingerprint is the one recorded for this version's full build: the same sources, the same dataset."""
    from corpus import releases
    from corpus.build import write_dataset

    sources = Sources.at(ROOT).full(pages_dir=SHARED / "pages")
    summary = write_dataset(sources, tmp_path / "full")
    assert sum(summary.documents.values()) == 41 and summary.withheld == []
    assert dict(summary.documents) == {"train": 18, "validation": 3, "test": 20}
    assert summary.statuses["adjudicated"] == 11 and summary.statuses["reviewed"] == 30
    recorded = releases.read(sources.releases)[(summary.version, releases.FULL)]
    assert summary.fingerprint == recorded
