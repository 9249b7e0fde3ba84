"""Predictions sharded by document, scored on a dask LocalCluster, give the numbers of the shards
concatenated and scored as one file: counts, values and bootstrap intervals, to the last digit."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from benchmarks.synthetic import generate
from baselines.data import load_bench
from baselines.score import main as score_main, score_file
from corpus.build import write_dataset
from labels import scheme
from labels.cli import UserError, run as run_cli

RESAMPLES = 200


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """40 SYNTHETIC pages built into a dataset: its test split has 6 documents."""
    root = tmp_path_factory.mktemp("synthetic")
    write_dataset(generate(root / "corpus", 40, seed=0), root / "dataset", workers=1)
    return root / "dataset"


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def bench(dataset):
    return load_bench(dataset, "test")


def _predictions(bench, task: str) -> pd.DataFrame:
    """Gold answers with some of them made wrong, so every count is exercised."""
    if task == "boilerplate":
        pred = bench.boilerplate[["doc_id", "line", "is_content", "role"]].copy()
        pred.loc[::3, "is_content"] = ~pred.loc[::3, "is_content"]
        pred.loc[::4, "role"] = "body"
        return pred
    if task in ("entities", "entities_conll"):
        pred = bench.entities[["doc_id", "start", "end", "type" if task == "entities" else "conll_type"]]
        pred = pred.rename(columns={"conll_type": "type"}).dropna().copy()
        pred.loc[pred.index[::5], "type"] = "ORG"
        pred = pred.drop(index=pred.index[::4])
        return pred[pred.doc_id != sorted(pred.doc_id.unique())[1]]  # a document with nothing predicted
    if task == "entities_tokens":
        tags = [[scheme.ONTONOTES_TAGS[t] for t in ts] for ts in bench.entities_tokens.ner_tags]
        return pd.DataFrame({"id": bench.entities_tokens.id,  # every fourth token tagged O
                             "ner_tags": [["O" if (i + j) % 4 == 0 else t for j, t in enumerate(ts)]
                                          for i, ts in enumerate(tags)]})
    pred = bench.stance[["doc_id", "id", "label"]].copy()
    pred.loc[::2, "label"] = "discuss"
    return pred


def _shard(pred: pd.DataFrame, folder, doc_of=None, per_shard: int = 2, suffixes=(".parquet", ".jsonl")):
    """Files of `per_shard` documents each, alternating Parquet and JSONL."""
    folder.mkdir()
    docs = pred.doc_id if doc_of is None else pred.id.map(doc_of)
    order = sorted(docs.unique())
    for n, i in enumerate(range(0, len(order), per_shard)):
        part = pred[docs.isin(order[i:i + per_shard])]
        path = folder / f"part-{n:03d}{suffixes[n % len(suffixes)]}"
        part.to_parquet(path) if path.suffix == ".parquet" else part.to_json(path, orient="records", lines=True)
    return folder


@pytest.mark.parametrize("task, view", [("boilerplate", None), ("entities", None), ("entities", "conll"),
                                        ("entities_tokens", None), ("stance", None)])
def test_shards_score_as_the_concatenated_file(dataset, bench, client, tmp_path, task, view):
    pred = _predictions(bench, "entities_conll" if view == "conll" else task)
    whole = tmp_path / "all.parquet"
    pred.to_parquet(whole)
    doc_of = dict(zip(bench.entities_tokens.id, bench.entities_tokens.doc_id)) if task == "entities_tokens" else None
    folder = _shard(pred, tmp_path / "shards", doc_of)
    assert len(list(folder.iterdir())) == 3
    local = score_file(task, whole, dataset, resamples=RESAMPLES, view=view)
    sharded = score_file(task, folder, dataset, resamples=RESAMPLES, view=view, client=client)
    assert json.dumps(sharded["metrics"]) == json.dumps(local["metrics"])  # values and intervals, to the digit
    assert sharded["dataset"] == local["dataset"]
    primary = {"boilerplate": "content_lines", "entities": "ontonotes/strict", "entities_tokens": "conlleval",
               "stance": "all"}[task] if view is None else "conll/strict"
    assert 0 < next(iter(local["metrics"][primary]["values"].values())) < 1  # not a trivial score


def test_a_folder_compares_with_a_file_as_the_file_itself_does(dataset, bench, client, tmp_path):
    pred = _predictions(bench, "stance")
    whole = tmp_path / "all.jsonl"
    pred.to_json(whole, orient="records", lines=True)
    other = tmp_path / "majority.parquet"
    pred.assign(label="agree").to_parquet(other)
    folder = _shard(pred, tmp_path / "shards", per_shard=1)
    local = score_file("stance", whole, dataset, resamples=RESAMPLES, compare=other)
    sharded = score_file("stance", folder, dataset, resamples=RESAMPLES, compare=other, client=client)
    assert json.dumps([sharded["metrics"], sharded["compare"]["paired"]]) == json.dumps(
        [local["metrics"], local["compare"]["paired"]])


def test_the_command_scores_a_folder_on_the_scheduler_given(dataset, bench, client, tmp_path, capsys):
    pred = _predictions(bench, "boilerplate")
    pred.to_parquet(tmp_path / "all.parquet")
    folder = _shard(pred, tmp_path / "shards", per_shard=3, suffixes=(".parquet",))
    common = ["--task", "boilerplate", "--dataset", str(dataset), "--resamples", "50"]
    for args in ([*common, "--predictions", str(tmp_path / "all.parquet")],
                 [*common, "--predictions", str(folder), "--scheduler", client.scheduler.address]):
        with pytest.raises(SystemExit) as done:
            run_cli(score_main, args)
        assert done.value.code == 0
    local, sharded = _two_json(capsys.readouterr().out)
    assert json.dumps(sharded["metrics"]) == json.dumps(local["metrics"]) and sharded["predictions"] == str(folder)


def _two_json(text: str) -> tuple[dict, dict]:
    decoder = json.JSONDecoder()
    first, end = decoder.raw_decode(text)
    second, _ = decoder.raw_decode(text[end:].lstrip())
    return first, second


@pytest.mark.parametrize("case, message", [
    ("twice", "{shards}: document {d0!r} is in two shards, {shards}/part-000.parquet and {shards}/part-001.parquet; shard the predictions by document"),
    ("missing", "{shards}: {n5} of 79 units have no prediction in any shard, e.g. doc_id={d5!r}, line=0; "
                "every unit needs one (missing predictions are not scored as anything)"),
    ("empty", "{shards}/part-001.parquet: row 1: is_content: empty value"),
])
def test_a_bad_folder_is_refused_naming_the_shard_record_and_field(dataset, bench, client, tmp_path, case, message):
    pred = _predictions(bench, "boilerplate")
    d = sorted(pred.doc_id.unique())
    n5 = int((pred.doc_id == d[5]).sum())
    if case == "missing":
        pred = pred[pred.doc_id != d[5]]
    if case == "empty":
        pred = pred.assign(is_content=pred.is_content.astype(object).where(pred.doc_id != d[2], None))
    shards = _shard(pred, tmp_path / "shards", suffixes=(".parquet",))
    if case == "twice":  # the first document again in the second shard
        second = shards / "part-001.parquet"
        pd.concat([pd.read_parquet(second), pred[pred.doc_id == d[0]]]).to_parquet(second)
    with pytest.raises(UserError) as refused:
        score_file("boilerplate", shards, dataset, resamples=RESAMPLES, client=client)
    assert str(refused.value) == message.format(shards=shards, d0=d[0], d5=d[5], n5=n5)


def test_shards_with_a_role_column_and_shards_without_are_refused(dataset, bench, client, tmp_path):
    pred = _predictions(bench, "boilerplate")
    docs = sorted(pred.doc_id.unique())
    folder = tmp_path / "shards"
    folder.mkdir()
    pred[pred.doc_id.isin(docs[:3])].to_parquet(folder / "a.parquet")
    pred[~pred.doc_id.isin(docs[:3])].drop(columns="role").to_parquet(folder / "b.parquet")
    with pytest.raises(UserError, match="b.parquet is scored on content_chars, content_lines, content_text but "
                                        ".*a.parquet on content_chars, content_lines, content_text, roles"):
        score_file("boilerplate", folder, dataset, resamples=RESAMPLES, client=client)


def test_a_folder_without_a_cluster_or_files_and_a_scheduler_without_a_folder(dataset, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no predictions files"):
        score_file("boilerplate", tmp_path / "empty", dataset, client=object())
    with pytest.raises(UserError, match="scored on a dask cluster; none was given"):
        score_file("boilerplate", tmp_path / "empty", dataset)
    (tmp_path / "p.jsonl").write_text("")
    with pytest.raises(SystemExit) as done:
        run_cli(score_main, ["--task", "stance", "--predictions", str(tmp_path / "p.jsonl"), "--scheduler", "tcp://x:1"])
    assert done.value.code == 2
    assert "--scheduler scores a folder of shards" in capsys.readouterr().err
