"""The canonical fingerprint: rows in natural-key order, per-document digests combined by doc_id,
the schema from the project's own description; checked against a re-implementation that reads
the committed Parquet files."""
from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from conftest import COMMITTED, SEED_ID, edit_gold
from corpus.build import write_dataset
from corpus.features import CONFIGS, FEATURES, KEYS
from corpus.fingerprint import Fingerprint, canonical, schema_description
from corpus.parquet_sink import data_path, read_metadata


def _reference(root) -> str:
    """The fingerprint's definition, written out from the built files alone."""
    def enc(x) -> bytes:
        return json.dumps(x, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    docs = pq.read_table(data_path(root, "documents", "test")).to_pylist()
    rows = {c: defaultdict(list) for c in CONFIGS}
    for config in CONFIGS:
        for row in pq.read_table(data_path(root, config, "test")).to_pylist():
            rows[config][row["doc_id"]].append(row)
    whole = hashlib.sha256(enc({"schema": schema_description()}) + b"\n")
    for doc in sorted(docs, key=lambda d: d["doc_id"]):
        h = hashlib.sha256(enc({"doc_id": doc["doc_id"], "split": "test"}) + b"\n")
        for config in CONFIGS:
            h.update(config.encode() + b"\n")
            for row in sorted(rows[config][doc["doc_id"]], key=lambda r: tuple(r[k] for k in KEYS[config])):
                h.update(enc(row) + b"\n")
        whole.update(f"{doc['doc_id']}\t{h.hexdigest()}\n".encode())
    return whole.hexdigest()[:16]


def test_committed_fingerprint_matches_the_reference_definition():
    assert read_metadata(data_path(COMMITTED, "documents", "test"))["fingerprint"] == _reference(COMMITTED)


@pytest.mark.parametrize("records", ["stance", "entities", "lines"])
def test_reordering_records_in_a_gold_file_keeps_the_fingerprint(sources, tmp_path, records):
    before = write_dataset(sources, tmp_path / "a").fingerprint
    edit_gold(sources.gold_dir / f"{SEED_ID}.json", lambda d: random.Random(3).shuffle(d[records]))
    after = write_dataset(sources, tmp_path / "b")
    assert after.fingerprint == before
    if records == "stance":  # the rows really were written in another order
        order = [pq.read_table(data_path(tmp_path / x, "stance", "test")).column("id").to_pylist() for x in "ab"]
        assert order[0] != order[1] and sorted(order[0]) == sorted(order[1])


def test_a_label_change_changes_the_fingerprint(sources, tmp_path):
    before = write_dataset(sources, tmp_path / "a").fingerprint
    edit_gold(sources.gold_dir / f"{SEED_ID}.json",
              lambda d: d["stance"][0].update(label="agree" if d["stance"][0]["label"] != "agree" else "discuss"))
    assert write_dataset(sources, tmp_path / "b").fingerprint != before


def test_documents_in_any_order_give_one_fingerprint():
    docs = [(f"{i:016x}", "train" if i % 2 else "test",
             {"documents": [{"doc_id": f"{i:016x}", "text": f"page {i}"}]}) for i in range(6)]
    digests = set()
    for seed in range(4):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        fp = Fingerprint()
        for doc in shuffled:
            fp.add_document(*doc)
        digests.add(fp.hexdigest())
    assert len(digests) == 1
    moved = Fingerprint()
    for doc_id, split, rows in docs:
        moved.add_document(doc_id, "validation" if doc_id.endswith("3") else split, rows)
    assert moved.hexdigest() not in digests  # the split is content


def test_spilled_runs_give_the_fingerprint_of_digests_held_in_memory():
    digests = [(f"{i:016x}", hashlib.sha256(str(i).encode()).hexdigest()) for i in range(50)]
    random.Random(7).shuffle(digests)
    whole, spilled = Fingerprint(), Fingerprint(run=7)
    for doc_id, digest in digests:
        whole.add_digest(doc_id, digest)
        spilled.add_digest(doc_id, digest)
        assert len(spilled._held) < 7  # bounded: the rest are in sorted runs on disk
    assert len(spilled._runs) == 7 and not whole._runs
    assert spilled.hexdigest() == whole.hexdigest() == spilled.hexdigest()  # read again from the start
    expected = hashlib.sha256(canonical({"schema": schema_description()}) + b"\n")
    for doc_id, digest in sorted(digests):
        expected.update(f"{doc_id}\t{digest}\n".encode())
    assert whole.hexdigest() == expected.hexdigest()[:16]


def test_a_document_added_twice_or_an_id_with_a_line_break_is_refused():
    fp = Fingerprint(run=2)
    fp.add_digest("a", "1")
    with pytest.raises(ValueError, match="document id 'a': added twice"):
        fp.add_digest("a", "2")
    fp.add_digest("b", "3")  # a and b spilled as one run
    fp.add_digest("a", "4")  # held again: only the merge can see it
    with pytest.raises(ValueError, match="document id 'a': added twice"):
        fp.hexdigest()
    with pytest.raises(ValueError, match=r"document id 'x\\ty': holds a tab or a line break"):
        Fingerprint().add_digest("x\ty", "5")


def test_the_schema_is_hashed_from_the_projects_description(monkeypatch):
    columns = {config: dict(map(tuple, cols)) for config, cols in schema_description().items()}
    assert columns["stance"]["evidence"] == {"list": {"struct": [
        ["start", "int32"], ["end", "int32"], ["text", "string"]]}}
    assert columns["boilerplate"]["role"]["class_label"][:3] == ["headline", "subheadline", "body"]
    fp = Fingerprint()
    fp.add_document("a", "test", {})
    expected = fp.hexdigest()

    def no_serialisation(*args, **kwargs):
        raise AssertionError("the fingerprint must not depend on datasets' serialisation")

    for config in CONFIGS:
        monkeypatch.setattr(type(FEATURES[config]), "to_dict", no_serialisation)
    assert fp.hexdigest() == expected
