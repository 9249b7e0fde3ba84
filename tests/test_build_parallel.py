"""The faster build writes what the previous one wrote, byte for byte, in one process or in a pool."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import COMMITTED, cli, tree_hashes
from benchmarks.synthetic import generate
from corpus import manifest, parquet_sink, pool
from corpus.batches import RowRange, to_batch
from corpus.build import write_dataset
from corpus.documents import document_at, build_order
from corpus.fingerprint import canonical, columns_digest, document_digest
from corpus.parquet_sink import ParquetSink
from corpus.rows import rows_for
from labels import model
from labels.cli import UserError
from labels.problems import InvalidLabels
from labels.tokens import _TOKEN, token_spans, token_table, tokenize
from labels.validate import gold_for

# The 40-page SYNTHETIC corpus (seed 0) as the build wrote it before its speed work (pyarrow
# 26.0.1): the fingerprint does not depend on pyarrow, the Parquet bytes do.
PINNED_FINGERPRINT = "acb5fddd6f520f05"
PINNED_FILES = {
    "boilerplate/test": "3488366f973fd25f61e50419408f63a4543b77ea1193072d0503a2a7f88d1d12",
    "boilerplate/train": "627395ad3a82709e4bf571561d58dee3fec76959cb2f0f7b7abe985d50778217",
    "boilerplate/validation": "8c663b7dda6197f4337cd7524af45a7da9af07ea9e3e9986e9b8240f3be91150",
    "documents/test": "6320c2cadd0d8674a20f8f9f38843a10eb5d1fb5de31972187fc64f467e9dda7",
    "documents/train": "eca7c991e83213f09ec25a0ba0c0d7ef750a2616c31632f4bb92844b1580be11",
    "documents/validation": "c316de1f1da52d56122e432e2ad31db939db78b93f53bd5dee1609bd4b4087d7",
    "entities/test": "95a14af2aeeeaabbde6f1fc1d0769314df7dbf5521c9c7d166bb3177756ddc93",
    "entities/train": "0ed7c35522a18e5f8b8a9f14e747e0c08ac8df6e81f40afe7dcc7b195dd521a2",
    "entities/validation": "e6e062c1731d8ebacb8751c5291e7d56fb3865bc19731f5ecea32aa79411d26c",
    "entities_tokens/test": "e568d033e86daf40856557cc4d1991cab4c4eae797807cba5b1a81bacfedbc96",
    "entities_tokens/train": "e13d2d884439ae241cda344a5a30b3ed88a2309f07d331d090c8b51ab3eb58f2",
    "entities_tokens/validation": "64123d597a0ca4322a5d4ed91f079fd7efb6d3fd913451c883246a2421c92bf2",
    "stance/test": "3710bd5a7d4e8913ad78262a0ffd8346203953fa819fc2145072ca3ac8359a37",
    "stance/train": "8e4e8e13a8954e26a41bdd5af5262f944e58bf197f22d31840d8d85a4a4c75f0",
    "stance/validation": "53751e35ee8e27911c32aaf8fe8ddf10164b74af3e1b202ecdae9ddbb853dae2",
}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("synthetic") / "corpus", 40, seed=0)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of three documents, so a small corpus spans many tasks and fills the in-flight window."""
    monkeypatch.setattr(pool, "CHUNK", 3)


def test_the_serial_build_writes_the_pinned_bytes_and_fingerprint(synthetic, tmp_path):
    summary = write_dataset(synthetic, tmp_path / "out", workers=1)
    assert summary.fingerprint == PINNED_FINGERPRINT
    hashes = tree_hashes(tmp_path / "out" / "data")
    assert {re.sub(r"-[0-9a-f]{16}\.parquet$", "", k): v for k, v in hashes.items()} == PINNED_FILES


@pytest.mark.parametrize("workers", [2, 3])
def test_a_pool_writes_the_serial_builds_files_byte_for_byte(synthetic, tmp_path, small_chunks, workers):
    serial = write_dataset(synthetic, tmp_path / "serial", workers=1)
    pooled = write_dataset(synthetic, tmp_path / "pool", workers=workers)
    assert pooled.fingerprint == serial.fingerprint == PINNED_FINGERPRINT
    assert pooled.rows == serial.rows and pooled.attribution == serial.attribution
    assert tree_hashes(tmp_path / "pool") == tree_hashes(tmp_path / "serial")  # data files and card


def test_a_large_build_keeps_neither_every_digest_nor_every_attribution_in_memory(synthetic, tmp_path, monkeypatch):
    """Past RUN documents the digests go to sorted runs on disk, past ATTRIBUTION_ROWS the card points at the
    documents config: the same files and fingerprint, and a card that still attributes every page."""
    from corpus import fingerprint, summary as summary_module

    header = "| document | publisher | date | URL | licence |"
    listed = write_dataset(synthetic, tmp_path / "listed", workers=1)
    card = (tmp_path / "listed" / "README.md").read_text(encoding="utf-8")
    assert len(listed.attribution) == 40 and header in card and "too many to list" not in card
    monkeypatch.setattr(summary_module, "ATTRIBUTION_ROWS", 39)
    monkeypatch.setattr(fingerprint, "RUN", 7)
    spilled: list = []
    monkeypatch.setattr(fingerprint.tempfile, "TemporaryFile",
                        lambda real=fingerprint.tempfile.TemporaryFile: spilled.append(real()) or spilled[-1])
    large = write_dataset(synthetic, tmp_path / "large", workers=1)
    assert len(spilled) == 40 // 7 and large.fingerprint == listed.fingerprint == PINNED_FINGERPRINT
    assert large.attribution == [] and large.publishers == listed.publishers
    assert tree_hashes(tmp_path / "large" / "data") == tree_hashes(tmp_path / "listed" / "data")
    card = (tmp_path / "large" / "README.md").read_text(encoding="utf-8")
    assert header not in card
    assert ("The 40 pages are too many to list here: every row of the `documents` config gives its page's "
            "`publisher`, `date`, `url` and `license`.") in card


def test_the_committed_dataset_rebuilds_identically_in_a_pool():
    done = cli("corpus.build", "--check", "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"ok: {COMMITTED} equals a fresh build")


def test_workers_below_one_is_a_user_error():
    done = cli("corpus.build", "--workers", "0")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: --workers 0: must be at least 1"


def _break_gold(sources, index: int) -> Path:
    path = sorted(sources.gold_dir.glob("*.json"))[index]
    data = json.loads(path.read_text(encoding="utf-8"))
    data["lines"][0]["role"] = "sidebar-ish"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_pool_reports_the_same_label_problems_and_writes_nothing(tmp_path, small_chunks):
    sources = generate(tmp_path / "corpus", 12, seed=1)
    broken = [_break_gold(sources, 2), _break_gold(sources, 9)]
    messages = []
    for workers in (1, 2):
        with pytest.raises(InvalidLabels) as err:
            write_dataset(sources, tmp_path / f"out{workers}", workers=workers)
        messages.append(str(err.value))
        assert not any((tmp_path / f"out{workers}").rglob("*.parquet"))
    assert messages[0] == messages[1]
    assert all(str(path) in messages[0] for path in broken)


def test_a_page_that_changed_stops_a_pool_with_the_serial_builds_error(tmp_path, small_chunks):
    sources = generate(tmp_path / "corpus", 12, seed=2)
    page = sorted(sources.raw_dir.glob("*.txt"))[5]
    page.write_bytes(page.read_bytes() + b"tampered\n")
    messages = []
    for workers in (1, 2):
        with pytest.raises(UserError) as err:
            write_dataset(sources, tmp_path / f"out{workers}", workers=workers)
        messages.append(str(err.value))
    assert messages[0] == messages[1] == f"{page}: bytes differ from the manifest's source_sha256 for {page.stem}"


def test_a_pool_pays_only_for_a_large_corpus():
    assert pool.default_workers(1) == 1
    assert pool.default_workers(pool.MIN_PER_WORKER * 2 - 1) == 1
    cores = pool.default_workers(10**9)
    assert cores >= 1 and pool.default_workers(pool.MIN_PER_WORKER * cores) == cores


def test_ordered_map_keeps_item_order_across_chunks_and_processes():
    items = list(range(101))
    assert list(pool.ordered_map(_squares, items, workers=2, chunk=4)) == [i * i for i in items]
    assert list(pool.ordered_map(_squares, items, workers=1, chunk=4)) == [i * i for i in items]


def _squares(part: list[int]) -> list[int]:
    return [i * i for i in part]


def test_the_sink_cuts_row_groups_at_the_same_rows_however_rows_arrive(tmp_path, monkeypatch):
    monkeypatch.setitem(parquet_sink.BATCH_ROWS, "boilerplate", 4)
    rows = [{"doc_id": f"d{i // 3}", "line": i, "start": 0, "end": 1, "text": "x", "xpath": None,
             "role": 0, "is_content": False} for i in range(11)]
    one, many = ParquetSink(tmp_path / "one"), ParquetSink(tmp_path / "many")
    batch = to_batch("boilerplate", {k: [r[k] for r in rows] for k in rows[0]})
    for i in range(len(rows)):
        one.extend("boilerplate", "test", RowRange(batch, i, 1))
    for i in range(0, len(rows), 3):
        many.extend("boilerplate", "test", RowRange(batch, i, min(3, len(rows) - i)))
    for sink in (one, many):
        sink.close({"version": "0.0.0", "fingerprint": "0" * 16}, {"test"})
    assert tree_hashes(tmp_path / "one") == tree_hashes(tmp_path / "many")
    import pyarrow.parquet as pq
    groups = pq.ParquetFile(next((tmp_path / "one" / "data" / "boilerplate").glob("*.parquet"))).metadata
    assert [groups.row_group(i).num_rows for i in range(groups.num_row_groups)] == [4, 4, 3]


def test_the_sink_joins_only_ranges_that_continue_each_other_in_the_same_batch(tmp_path, monkeypatch):
    monkeypatch.setitem(parquet_sink.BATCH_ROWS, "boilerplate", 4)

    def batch(first: int):
        return to_batch("boilerplate", {"doc_id": ["d"] * 11, "line": list(range(first, first + 11)),
                                        "start": [0] * 11, "end": [1] * 11, "text": ["x"] * 11,
                                        "xpath": [None] * 11, "role": [0] * 11, "is_content": [False] * 11})

    a, b = batch(0), batch(100)   # b's rows 3..5 sit where a's would continue a's rows 0..2
    sink = ParquetSink(tmp_path)
    for part in (RowRange(a, 0, 3), RowRange(b, 3, 3), RowRange(a, 8, 2), RowRange(a, 6, 2), RowRange(a, 10, 1)):
        sink.extend("boilerplate", "test", part)
    sink.close({"version": "0.0.0", "fingerprint": "0" * 16}, {"test"})
    import pyarrow.parquet as pq
    written = pq.ParquetFile(next((tmp_path / "data" / "boilerplate").glob("*.parquet")))
    assert written.read().column("line").to_pylist() == [0, 1, 2, 103, 104, 105, 8, 9, 6, 7, 10]
    assert [written.metadata.row_group(i).num_rows for i in range(written.metadata.num_row_groups)] == [4, 4, 3]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**31, 2**31 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_canonical_bytes_are_json_dumps_sorted_and_compact(value):
    reference = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert canonical(value) == reference


def _reference_tokens(text: str, start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    """The tokeniser as it was written first: every cut tested against every token."""
    cut_set = sorted({c for c in cuts if start < c < end})
    out = []
    for m in _TOKEN.finditer(text, start, end):
        a, b = m.span()
        inner = [c for c in cut_set if a < c < b]
        out += zip([a] + inner, inner + [b])
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1.,-' ’sU.S\n", max_size=40), st.data())
def test_token_spans_equal_the_reference_tokeniser(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    cuts = data.draw(st.lists(st.integers(-1, len(text) + 1), max_size=8))
    spans = token_spans(text, start, end, cuts)
    assert spans == _reference_tokens(text, start, end, cuts)
    assert [(t.start, t.end, t.text) for t in tokenize(text, start, end, cuts)] == \
        [(a, b, text[a:b]) for a, b in spans]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1.,-' ’sU.S\n\t", max_size=60), st.lists(st.integers(-1, 61), max_size=8))
def test_the_whole_text_tokeniser_equals_the_line_by_line_one(text, cuts):
    line_by_line, start = [], 0
    for piece in text.split("\n"):
        line_by_line += token_spans(text, start, start + len(piece), cuts)
        start += len(piece) + 1
    starts, ends, texts = token_table(text, cuts)
    assert list(zip(starts, ends)) == line_by_line
    assert texts == [text[a:b] for a, b in line_by_line]


def _records(columns):
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def test_the_digest_of_columns_is_the_digest_of_rows(synthetic):
    """Rows built as columns hash to the bytes the row-by-row definition hashes, also when rows
    arrive out of key order and when two rows share a key (then ordered by their bytes)."""
    for offset in build_order(synthetic)[:12]:
        doc = document_at(synthetic, offset)
        rows = rows_for(doc, gold_for(doc.text, synthetic.gold_dir / f"{doc.doc_id}.json", doc.doc_id))
        as_records = {config: _records(columns) for config, columns in rows.items()}
        assert columns_digest(doc.doc_id, "test", rows) == document_digest(doc.doc_id, "test", as_records)
        reversed_rows = {config: {k: v[::-1] for k, v in columns.items()} for config, columns in rows.items()}
        assert columns_digest(doc.doc_id, "test", reversed_rows) == document_digest(doc.doc_id, "test", as_records)
    tied = {"stance": {"doc_id": ["d", "d"], "id": ["s1", "s1"], "label": [2, 1]}}
    assert columns_digest("d", "test", tied) == document_digest("d", "test", {"stance": _records(tied["stance"])}) \
        == document_digest("d", "test", {"stance": _records(tied["stance"])[::-1]})


def _mutations(data: dict):
    """The gold file with one field of one record broken in each way the parser words a problem for."""
    yield data
    for key in ("lines", "entities", "stance"):
        for i in (0, len(data[key]) - 1):
            for field in data[key][i]:
                for bad in (None, True, 1.5, [], {"x": 1}, "\ud800", "7"):
                    changed = json.loads(json.dumps(data))
                    changed[key][i][field] = bad
                    yield changed
                changed = json.loads(json.dumps(data))
                del changed[key][i][field]
                yield changed
            changed = json.loads(json.dumps(data))
            changed[key][i]["extra"] = 1
            yield changed
    for field in ("target_span", "evidence"):
        for bad in ({"start": 0, "end": True, "text": "x"}, {"start": 0, "end": 1}, {"start": 0, "end": 1, "text": "x",
                                                                                 "note": 1}, [{"start": "0"}], 5):
            changed = json.loads(json.dumps(data))
            changed["stance"][0][field] = [bad] if field == "evidence" else bad
            yield changed


def test_the_parsers_fast_path_reads_what_the_field_by_field_reading_reads(synthetic, monkeypatch):
    """Well-formed records skip the per-field checks; the result, and every problem of a broken
    record, must be exactly what reading every field one by one gives."""
    path = sorted(synthetic.gold_dir.glob("*.json"))[0]
    data = json.loads(path.read_text(encoding="utf-8"))
    data["lines"][0]["proposed_by"] = "a system"
    data["entities"][-1]["proposed_by"] = None
    cases = list(_mutations(data))
    fast = [model.parse(case, "f.json") for case in cases]
    monkeypatch.setattr(model, "_no_surrogates", lambda data: False)
    slow = [model.parse(case, "f.json") for case in cases]
    assert fast == slow
    assert fast[0][0] is not None and not fast[0][1] and sum(1 for _, problems in fast if problems) > len(cases) // 2


def _outcome(read):
    try:
        return read()
    except UserError as err:
        return str(err)


def test_the_manifests_fast_path_reads_what_the_checked_reading_reads():
    """A manifest line that is a flat object of clean strings skips the field-by-field checks; every
    other line must give the entry, or the error, that the checked reading gives."""
    good = {"doc_id": "0123456789abcdef", "source_file": "a.html", "source_sha256": "0" * 64, "publisher": "Zürich Post",
            "url": None, "language": "en", "license": "CC BY 4.0", "split": "test", "format": "html",
            "encoding": "utf-8", "renderer": "html-1"}
    cases = [good, {k: v for k, v in good.items() if k not in ("format", "encoding")}, {**good, "extra": "x"}]
    for field in good:
        cases += [{k: v for k, v in good.items() if k != field}]
        cases += [{**good, field: bad} for bad in (None, 5, True, ["x"], "a\nb", "\x85", "\ud800", "sideways")]
    lines = [json.dumps(case).encode() for case in cases] + [b"[1]", b"{", b"\xff{}", b"[" * 5000 + b"]" * 5000]
    checked = [_outcome(lambda: manifest.from_dict(json.loads(line), "m: line 1")) if line.startswith(b"{\"")
               else None for line in lines]
    fast = [_outcome(lambda: manifest._parse(line, "m: line 1")) for line in lines]
    assert [f for f, c in zip(fast, checked) if c is not None] == [c for c in checked if c is not None]
    assert fast[0] == manifest.Entry(**{**good, "pages_path": None, "compression": None, "date": None,
                                        "license_evidence": None})
    assert fast[-4:] == ["m: line 1: expected a JSON object", "m: line 1: not valid JSON (Expecting property name "
                         "enclosed in double quotes)", "m: line 1: not UTF-8 (byte 0)",
                         "m: line 1: not a manifest entry (JSON nested too deeply)"]
