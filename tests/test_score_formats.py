"""`baselines.score` on the other submission formats: token-level IOB2 tags (conll2003 shape),
CoNLL-typed spans, and two files compared with the paired bootstrap test.

Prediction files are made from the bundled dataset's own rows, then perturbed.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from conftest import cli
from labels import scheme
from labels.cli import UserError
from baselines.data import load_bench
from baselines.metrics.token_view import CONLLEVAL, IOB2_STRICT, report
from baselines.score import score_file

RESAMPLES = 50


@pytest.fixture(scope="module")
def bench():
    return load_bench()


def token_rows(bench, column: str = "ner_tags", names=scheme.ONTONOTES_TAGS) -> list[dict]:
    t = bench.entities_tokens
    return [{"id": i, "tokens": list(tok), "ner_tags": [names[x] for x in tags]}
            for i, tok, tags in zip(t["id"], t["tokens"], t[column])]


def stray_inside_tags(rows: list[dict]) -> list[dict]:
    """Every third B- tag turned I- (an I- after O or after another type) and every fifth dropped."""
    out, k = [], 0
    for r in rows:
        tags = list(r["ner_tags"])
        for j, tag in enumerate(tags):
            if tag.startswith("B-"):
                k += 1
                tags[j] = "O" if k % 5 == 0 else "I-" + tag[2:] if k % 3 == 0 else tag
        out.append({**r, "ner_tags": tags})
    return out


def write(rows, path):
    frame = pd.DataFrame(rows)
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=True)
    return path


@pytest.mark.parametrize("suffix,as_ids", [(".jsonl", False), (".parquet", True)])
def test_token_submission_scores_equal_the_token_scorer(bench, tmp_path, suffix, as_ids):
    gold = token_rows(bench)
    pred = stray_inside_tags(gold)
    rows = [{"id": r["id"], "ner_tags": [scheme.ONTONOTES_TAGS.index(t) for t in r["ner_tags"]] if as_ids
             else r["ner_tags"]} for r in pred]
    out = score_file("entities_tokens", write(rows, tmp_path / f"p{suffix}"), resamples=RESAMPLES)
    true, guess = [r["ner_tags"] for r in gold], [r["ner_tags"] for r in pred]
    lenient, strict = report(true, guess, CONLLEVAL), report(true, guess, IOB2_STRICT)
    values = out["metrics"]["conlleval"]["values"]
    assert values == lenient.flat() | {"accuracy": lenient.accuracy}
    assert out["metrics"]["iob2_strict"]["values"] == strict.flat() | {"accuracy": strict.accuracy}
    # the two readings really differ here: stray I- tags open chunks only in conlleval's
    assert lenient.found > strict.found and values["f1"] > strict.overall.f1
    assert out["metrics"]["conlleval"]["ci"]["f1"][0] <= values["f1"] <= out["metrics"]["conlleval"]["ci"]["f1"][1]
    assert out["task"] == "entities_tokens" and out["view"] == "ontonotes"


def test_token_submission_in_the_conll_view(bench, tmp_path):
    gold = token_rows(bench, "conll_ner_tags", scheme.CONLL_TAGS)
    assert any(t != "O" for r in gold for t in r["ner_tags"])
    out = score_file("entities_tokens", write(gold, tmp_path / "p.jsonl"), view="conll", resamples=RESAMPLES)
    assert out["metrics"]["conlleval"]["values"]["f1"] == 1.0
    assert {k.split("/")[0] for k in out["metrics"]["conlleval"]["values"] if "/" in k} <= set(scheme.CONLL_TYPES)
    # OntoNotes tags are not tags of the CoNLL view
    with pytest.raises(UserError, match=r"row 2: ner_tags: token 1: unknown tag 'B-GPE'; expected a conll IOB2 tag"):
        score_file("entities_tokens", write(token_rows(bench), tmp_path / "q.jsonl"), view="conll")


def malformed(rows: list[dict], name: str) -> tuple[list[dict], str]:
    """A broken copy of the rows, and the start of the error expected for it."""
    rows = [dict(r) for r in rows]
    if name == "no ner_tags":
        return [{"id": r["id"]} for r in rows], "FILE: missing column(s) ner_tags"
    if name == "unknown id":
        rows[4]["id"] = "nope"
        return rows, "FILE: row 5: id: no row 'nope' in the entities_tokens config"
    if name == "duplicate":
        rows[6] = dict(rows[2])
        return rows, f"FILE: row 7: duplicate prediction for id={rows[2]['id']!r} (also row 3)"
    if name == "missing row":
        return rows[:-1], f"FILE: 1 of {len(rows)} rows have no prediction, e.g. id={rows[-1]['id']!r}"
    if name == "too few tags":
        rows[1]["ner_tags"] = rows[1]["ner_tags"][:-1]
        return rows, f"FILE: row 2: ner_tags: {len(rows[1]['ner_tags'])} tags for a row of"
    if name == "unknown tag":
        rows[0]["ner_tags"] = ["E-PER"] + rows[0]["ner_tags"][1:]
        return rows, "FILE: row 1: ner_tags: token 1: unknown tag 'E-PER'"
    if name == "tag id out of range":
        rows[0]["ner_tags"] = [0] * (len(rows[0]["ner_tags"]) - 1) + [37]
        return rows, f"FILE: row 1: ner_tags: token {len(rows[0]['ner_tags'])}: unknown tag 37"
    if name == "other tokens":
        rows[2]["tokens"] = ["Something"] + rows[2]["tokens"][1:]
        return rows, "FILE: row 3: tokens: token 1 is 'Something' but the dataset has"
    raise AssertionError(name)


MALFORMED = ("no ner_tags", "unknown id", "duplicate", "missing row", "too few tags", "unknown tag",
             "tag id out of range", "other tokens")


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_token_files_are_refused_naming_row_and_field(bench, tmp_path, name):
    rows, message = malformed(token_rows(bench), name)
    path = write(rows, tmp_path / "p.jsonl")
    with pytest.raises(UserError) as err:
        score_file("entities_tokens", path, resamples=RESAMPLES)
    assert str(err.value).startswith(message.replace("FILE", str(path)))


def test_token_file_refused_by_the_command_with_exit_2(bench, tmp_path):
    rows, message = malformed(token_rows(bench), "unknown tag")
    path = write(rows, tmp_path / "p.parquet")
    done = cli("baselines.score", "--task", "entities_tokens", "--predictions", str(path), "--resamples", "10")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: " + message.replace("FILE", str(path)))


def conll_spans(bench) -> pd.DataFrame:
    e = bench.entities
    return (e.assign(type=[scheme.conll_type(t) for t in e["type"]]).dropna(subset=["type"])
            [["doc_id", "start", "end", "type"]].reset_index(drop=True))


def test_conll_typed_spans_are_scored_on_the_conll_view(bench, tmp_path):
    spans = conll_spans(bench)
    assert set(spans.type) - {"LOC"}  # more than one CoNLL type on the page
    out = score_file("entities", write(spans.to_dict("records"), tmp_path / "p.jsonl"), view="conll",
                     resamples=RESAMPLES)
    assert set(out["metrics"]) == {"conll/strict", "conll/boundary", "conll/overlap", "conll/semeval"}
    assert out["metrics"]["conll/strict"]["values"]["f1"] == 1.0
    # one span retyped PER -> MISC, one dropped: strict tp n - 2, fp 1, fn 2
    n = len(spans)
    changed = spans.copy()
    changed.loc[0, "type"] = "MISC" if changed.loc[0, "type"] != "MISC" else "PER"
    changed = changed.drop(index=n - 1)
    values = score_file("entities", write(changed.to_dict("records"), tmp_path / "q.jsonl"), view="conll",
                        resamples=RESAMPLES)["metrics"]
    assert values["conll/strict"]["values"]["precision"] == (n - 2) / (n - 1)
    assert values["conll/strict"]["values"]["recall"] == (n - 2) / n
    semeval = values["conll/semeval"]["values"]
    assert (semeval["strict/incorrect"], semeval["strict/missed"], semeval["type/incorrect"]) == (1, 1, 1)
    assert (semeval["exact/correct"], semeval["partial/correct"]) == (n - 1, n - 1)


def test_conll_view_refuses_ontonotes_types_and_views_of_other_tasks(bench, tmp_path):
    spans = bench.entities[["doc_id", "start", "end", "type"]]
    path = write(spans.to_dict("records"), tmp_path / "p.jsonl")
    with pytest.raises(UserError, match=r"row 1: type: unknown label 'GPE'; expected one of PER, ORG, LOC, MISC"):
        score_file("entities", path, view="conll")
    done = cli("baselines.score", "--task", "stance", "--view", "conll", "--predictions", str(path))
    assert done.returncode == 2 and done.stderr == "error: --view conll applies to entities and entities_tokens only, not to stance\n"


def test_two_files_compared_with_the_paired_test(bench, tmp_path):
    gold = token_rows(bench)
    a = write(stray_inside_tags(gold), tmp_path / "a.jsonl")
    b = write(gold, tmp_path / "b.jsonl")
    done = cli("baselines.score", "--task", "entities_tokens", "--predictions", str(a), "--compare", str(b),
               "--on", "conlleval/f1", "--on", "iob2_strict/recall", "--resamples", "200")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    paired = out["compare"]["paired"]
    assert set(paired) == {"conlleval/f1", "iob2_strict/recall"}
    f1 = paired["conlleval/f1"]
    assert f1["a"] == out["metrics"]["conlleval"]["values"]["f1"] and f1["b"] == 1.0
    assert f1["difference"] == f1["a"] - 1.0 < 0
    # b is perfect on every resample, so a - b is never positive; it is 0 only on the resamples that
    # draw none of a's stray tags (1 in 100 here, seed 0), so p = 2 x 1/100: significant
    assert f1["ci"][1] < 0 and f1["significant"] and f1["p_value"] == 0.02
    # a file against itself: difference 0 on every resample, not significant
    same = score_file("entities_tokens", a, resamples=RESAMPLES, compare=a)["compare"]["paired"]["conlleval/f1"]
    assert (same["difference"], same["ci"], same["significant"], same["p_value"]) == (0.0, [0.0, 0.0], False, 1.0)


def test_compare_defaults_to_the_primary_value_and_refuses_unknown_values(bench, tmp_path):
    path = write(conll_spans(bench).to_dict("records"), tmp_path / "p.jsonl")
    out = score_file("entities", path, view="conll", resamples=RESAMPLES, compare=path)
    assert set(out["compare"]["paired"]) == {"conll/strict/f1"}
    with pytest.raises(UserError, match="--on ontonotes/strict/f1: no metric 'ontonotes/strict'"):
        score_file("entities", path, view="conll", resamples=RESAMPLES, compare=path, on=["ontonotes/strict/f1"])
    done = cli("baselines.score", "--task", "entities", "--predictions", str(path), "--on", "conll/strict/f1")
    assert done.returncode == 2 and done.stderr.startswith("error: --on needs --compare FILE")
    assert np.isfinite(out["compare"]["paired"]["conll/strict/f1"]["p_value"])
