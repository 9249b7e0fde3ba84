"""The committed dataset loads with `datasets.load_dataset` as the card promises, offline."""
from __future__ import annotations

from collections import defaultdict

import datasets
import pyarrow.parquet as pq
import pytest

from conftest import COMMITTED
from corpus.features import CONFIGS, FEATURES
from labels import scheme
from labels.tokens import Token, iob2_to_spans


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Every config loaded once, offline, with a private cache: {config: DatasetDict}."""
    cache = tmp_path_factory.mktemp("hf-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("HF_DATASETS_OFFLINE", "1")
        mp.setattr(datasets.config, "HF_HUB_OFFLINE", True)  # read at import time
        return {c: datasets.load_dataset(str(COMMITTED), c, cache_dir=str(cache)) for c in CONFIGS}


def test_configs_are_the_five_documented_ones():
    assert CONFIGS == ("documents", "boilerplate", "entities", "entities_tokens", "stance")


@pytest.mark.parametrize("config", CONFIGS)
def test_features_and_row_counts(loaded, config):
    dd = loaded[config]
    files = sorted((COMMITTED / "data" / config).glob("*.parquet"))
    assert sorted(dd) == sorted(f.name.split("-")[0] for f in files)
    for f in files:
        split = f.name.split("-")[0]
        assert dd[split].features == FEATURES[config]
        assert dd[split].num_rows == pq.read_table(f).num_rows
        assert dd[split].column_names == list(FEATURES[config])


def test_splits_agree_across_configs(loaded):
    splits = {c: sorted(loaded[c]) for c in CONFIGS}
    assert len({tuple(s) for s in splits.values()}) == 1
    for split in splits["documents"]:
        ids = set(loaded["documents"][split]["doc_id"])
        for config in CONFIGS[1:]:
            assert set(loaded[config][split]["doc_id"]) <= ids


def test_class_label_names(loaded):
    split = next(iter(loaded["documents"]))
    assert loaded["boilerplate"][split].features["role"].names == [
        "headline", "subheadline", "body", "caption", "media", "metadata", "author", "related",
        "navigation", "other"]
    ent = loaded["entities"][split].features
    assert ent["type"].names == [
        "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
        "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"]
    assert ent["conll_type"].names == ["PER", "ORG", "LOC", "MISC"]
    st = loaded["stance"][split].features
    assert st["label"].names == ["agree", "disagree", "discuss", "unrelated"]
    assert st["level"].names == ["article", "source"]
    assert st["target_origin"].names == ["page", "annotator"]
    tok = loaded["entities_tokens"][split].features
    assert tok["ner_tags"].feature.names[:5] == ["O", "B-PERSON", "I-PERSON", "B-NORP", "I-NORP"]
    assert len(tok["ner_tags"].feature.names) == 37
    assert tok["conll_ner_tags"].feature.names == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG",
                                                   "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def test_boilerplate_rows_point_into_the_text(loaded):
    for split, docs in loaded["documents"].items():
        texts = dict(zip(docs["doc_id"], docs["text"]))
        names = loaded["boilerplate"][split].features["role"].names
        for row in loaded["boilerplate"][split]:
            assert texts[row["doc_id"]][row["start"]:row["end"]] == row["text"]
            assert row["is_content"] == scheme.is_content(names[row["role"]])


def test_ner_tags_decode_to_the_entities_config(loaded):
    checked = 0
    for split, docs in loaded["documents"].items():
        texts = dict(zip(docs["doc_id"], docs["text"]))
        ents = loaded["entities"][split]
        type_names, conll_names = ents.features["type"].names, ents.features["conll_type"].names
        want_onto, want_conll = defaultdict(list), defaultdict(list)
        for e in ents:
            assert texts[e["doc_id"]][e["start"]:e["end"]] == e["text"]
            want_onto[(e["doc_id"], e["line"])].append((e["start"], e["end"], type_names[e["type"]]))
            if e["conll_type"] is not None:
                want_conll[(e["doc_id"], e["line"])].append((e["start"], e["end"], conll_names[e["conll_type"]]))
        feats = loaded["entities_tokens"][split].features
        onto_names, coarse_names = feats["ner_tags"].feature.names, feats["conll_ner_tags"].feature.names
        for row in loaded["entities_tokens"][split]:
            text = texts[row["doc_id"]]
            tokens = [Token(a, b, text[a:b]) for a, b in zip(row["token_starts"], row["token_ends"])]
            assert [t.text for t in tokens] == row["tokens"]
            key = (row["doc_id"], row["line"])
            assert row["id"] == f"{row['doc_id']}-{row['line']}"
            got = iob2_to_spans(tokens, [onto_names[i] for i in row["ner_tags"]])
            assert got == sorted(want_onto.pop(key, []))
            got = iob2_to_spans(tokens, [coarse_names[i] for i in row["conll_ner_tags"]])
            assert got == sorted(want_conll.pop(key, []))
            checked += len(got)
        assert not want_onto and not want_conll  # every entity is on some token row
    assert checked > 0


def test_stance_holder_spans_are_entities(loaded):
    for split in loaded["stance"]:
        ents = {(e["doc_id"], e["id"]): e for e in loaded["entities"][split]}
        levels = loaded["stance"][split].features["level"].names
        for row in loaded["stance"][split]:
            if levels[row["level"]] == "article":
                assert row["holder"] is None and row["holder_span"] is None
            else:
                e = ents[(row["doc_id"], row["holder"])]
                assert row["holder_span"] == {"start": e["start"], "end": e["end"], "text": e["text"]}
