"""The Dask path (corpus.cluster, corpus.shards) builds the serial build's bytes, from one folder or
from shards however they are named and filled, and fails the way the local build fails."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import COMMITTED, copy_sources, cli, edit_gold, tree_hashes
from test_build_parallel import PINNED_FINGERPRINT, small_chunks  # noqa: F401 (a fixture)
from benchmarks.synthetic import generate, write_layout, write_shard
from corpus import cluster, shards
from corpus.build import write_dataset
from corpus.sources import DEFAULT, Sources
from labels.cli import UserError
from labels.problems import InvalidLabels

PAGES = 40


@pytest.fixture(scope="module")
def client():
    """Two worker processes: everything a worker needs crosses by pickling, as on a real cluster."""
    with cluster.connect(cluster.ClusterSpec(local_workers=2)) as c:
        yield c


@pytest.fixture(scope="module")
def in_process():
    """Workers as threads of this process, for tests that patch what the workers run."""
    with cluster.connect(cluster.ClusterSpec(local_workers=1, processes=False)) as c:
        yield c


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("synthetic") / "corpus", PAGES, seed=0)


def sharded(root: Path, assignment: dict[str, range | list[int]], seed: int = 0) -> Sources:
    """The SYNTHETIC pages of each shard name's numbers, as shards below root."""
    write_layout(root)
    for name, numbers in assignment.items():
        write_shard(root, name, numbers, seed)
    return Sources.at(root)


def test_dask_writes_the_serial_builds_bytes_from_one_folder_and_from_shards(synthetic, client, tmp_path,
                                                                             small_chunks):
    serial = write_dataset(synthetic, tmp_path / "serial", workers=1)
    on_dask = write_dataset(synthetic, tmp_path / "dask", client=client)
    spread = sharded(tmp_path / "sharded", {f"s{k}": range(k, PAGES, 3) for k in range(3)})
    from_shards = write_dataset(spread, tmp_path / "shards", client=client)
    assert serial.fingerprint == on_dask.fingerprint == from_shards.fingerprint == PINNED_FINGERPRINT
    assert tree_hashes(tmp_path / "dask") == tree_hashes(tmp_path / "serial")  # data files and card
    assert tree_hashes(tmp_path / "shards") == tree_hashes(tmp_path / "serial")


@pytest.mark.parametrize("assignment", [
    {"c": range(0, 13), "b": range(13, 27), "a": range(27, PAGES)},             # names against page order
    {"z": list(range(PAGES - 1, -1, -2)), "0": list(range(PAGES - 2, -1, -2))},  # interleaved, reversed
    {f"{k:02d}": [k] for k in range(PAGES)},                                    # one page a shard
])
def test_how_documents_are_spread_over_shards_changes_nothing(synthetic, client, tmp_path, assignment):
    reference = write_dataset(synthetic, tmp_path / "serial", workers=1)
    summary = write_dataset(sharded(tmp_path / "sharded", assignment), tmp_path / "dask", client=client)
    assert summary.fingerprint == reference.fingerprint
    assert tree_hashes(tmp_path / "dask") == tree_hashes(tmp_path / "serial")


def test_a_sharded_corpus_builds_without_a_cluster_too(synthetic, tmp_path, small_chunks):
    write_dataset(synthetic, tmp_path / "serial", workers=1)
    spread = sharded(tmp_path / "sharded", {"a": range(0, PAGES, 2), "b": range(1, PAGES, 2)})
    for workers in (1, 2):
        write_dataset(spread, tmp_path / f"local{workers}", workers=workers)
        assert tree_hashes(tmp_path / f"local{workers}") == tree_hashes(tmp_path / "serial")


def test_corpus_raw_is_a_shard_beside_the_shards_folder(synthetic, client, tmp_path):
    write_dataset(synthetic, tmp_path / "serial", workers=1)
    mixed = generate(tmp_path / "mixed", 20, seed=0)  # pages 0-19 in corpus/raw
    write_shard(tmp_path / "mixed", "rest", range(20, PAGES))
    assert [s.raw_dir for s in shards.shards_of(mixed)] == [mixed.raw_dir, mixed.raw_dir.parent / "shards/rest/raw"]
    write_dataset(mixed, tmp_path / "dask", client=client)
    assert tree_hashes(tmp_path / "dask") == tree_hashes(tmp_path / "serial")


def test_the_committed_dataset_rebuilds_identically_on_dask(client, tmp_path):
    serial = write_dataset(DEFAULT, tmp_path / "serial", workers=1)
    on_dask = write_dataset(DEFAULT, tmp_path / "dask", client=client)
    assert on_dask.fingerprint == serial.fingerprint
    assert tree_hashes(tmp_path / "dask") == tree_hashes(tmp_path / "serial")
    assert tree_hashes(tmp_path / "dask" / "data") == tree_hashes(COMMITTED / "data")


def test_check_on_a_local_cluster_passes_on_the_committed_dataset():
    done = cli("corpus.build", "--check", "--dask-local", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"ok: {COMMITTED} equals a fresh build")


def test_a_changed_page_in_a_shard_stops_dask_with_the_local_error(client, tmp_path):
    spread = sharded(tmp_path / "sharded", {"a": range(0, 12, 2), "b": range(1, 12, 2)}, seed=2)
    page = sorted(shards.shards_of(spread)[1].raw_dir.glob("*.txt"))[2]
    page.write_bytes(page.read_bytes() + b"tampered\n")
    messages = []
    for how in ({"workers": 1}, {"client": client}):
        with pytest.raises(UserError) as err:
            write_dataset(spread, tmp_path / f"out{len(messages)}", **how)
        messages.append(str(err.value))
        assert not any((tmp_path / f"out{len(messages) - 1}").rglob("*.parquet"))
    assert messages[0] == messages[1] == f"{page}: bytes differ from the manifest's source_sha256 for {page.stem}"


def test_a_bad_document_on_a_cluster_is_one_line_from_the_command(tmp_path):
    root = tmp_path / "project"
    sources = copy_sources(root, code=True)
    page = next(sources.raw_dir.glob("*.txt"))
    page.write_bytes(page.read_bytes() + b"tampered\n")
    local = cli("corpus.build", cwd=root)
    on_dask = cli("corpus.build", "--dask-local", "1", cwd=root)
    assert local.returncode == on_dask.returncode == 2
    assert on_dask.stderr == local.stderr == \
        f"error: {page}: bytes differ from the manifest's source_sha256 for {page.stem}\n"
    assert not (root / "dataset").exists()


def test_label_problems_and_orphans_in_shards_are_the_local_builds(client, tmp_path):
    one = generate(tmp_path / "one", 12, seed=1)
    spread = sharded(tmp_path / "sharded", {"a": range(0, 6), "b": range(6, 12)}, seed=1)
    a, b = shards.shards_of(spread)
    stray = {"doc_id": "0000000000000000"}
    for gold_dir in (one.gold_dir, b.gold_dir):
        (gold_dir / "0000000000000000.json").write_text(json.dumps(stray), encoding="utf-8")
    broken = sorted(b.gold_dir.glob("*.json"))[3]
    for path in (broken, one.gold_dir / broken.name):
        edit_gold(path, lambda data: data["lines"][0].update(role="sidebar-ish"))
    with pytest.raises(InvalidLabels) as local:
        write_dataset(one, tmp_path / "local", workers=1)
    with pytest.raises(InvalidLabels) as on_dask:
        write_dataset(spread, tmp_path / "dask", client=client)
    relocated = str(local.value).replace(str(one.gold_dir), str(b.gold_dir))
    assert str(on_dask.value) == relocated
    assert f"{b.gold_dir}/0000000000000000.json: 0000000000000000: doc_id: no such document" in relocated
    assert str(broken) in relocated


def test_a_document_in_two_shards_is_a_user_error(client, tmp_path):
    spread = sharded(tmp_path / "sharded", {"a": range(0, 5), "b": range(4, 8)})
    a, b = shards.shards_of(spread)
    duplicate = next(line for line in a.manifest.read_text(encoding="utf-8").splitlines()
                     if json.loads(line)["source_file"] == "SYNTHETIC-0000004.txt")
    doc_id = json.loads(duplicate)["doc_id"]
    with pytest.raises(UserError) as err:
        write_dataset(spread, tmp_path / "out", client=client)
    assert str(err.value) == f"{b.manifest}: doc_id {doc_id} is also in {a.manifest}"


def test_a_shard_the_workers_cannot_see_is_a_user_error(in_process, tmp_path):
    spread = sharded(tmp_path / "sharded", {"a": range(0, 3), "b": range(3, 6)})
    b = shards.shards_of(spread)[1]
    b.raw_dir.rename(tmp_path / "elsewhere")
    with pytest.raises(UserError) as err:
        write_dataset(spread, tmp_path / "out", client=in_process)
    assert str(err.value).startswith(f"{b.raw_dir}: no such folder on ")
    assert str(err.value).endswith(", where the build's work runs: every worker needs the corpus at the same path")


def test_an_unexpected_failure_names_the_document(in_process, tmp_path, monkeypatch):
    spread = sharded(tmp_path / "sharded", {"a": range(0, 8)})
    [a] = shards.shards_of(spread)
    entries = [json.loads(line) for line in a.manifest.read_text(encoding="utf-8").splitlines()]
    victim = entries[5]["doc_id"]
    real = shards.work_on

    def failing(sources, offset):
        done = real(sources, offset)
        if done[0].doc_id == victim:
            raise KeyError("a bug")
        return done

    monkeypatch.setattr(shards, "work_on", failing)
    with pytest.raises(KeyError) as err:
        write_dataset(spread, tmp_path / "out", client=in_process)
    notes = err.value.__notes__
    assert notes[0].startswith(f"while building document {victim} ({a.manifest}, byte ")
    assert notes[1].startswith("in chunk ")


def _squares(part: list[int]) -> list[int]:
    return [i * i for i in part]


def _scaled(factor: int, part: list[int]) -> list[int]:
    return [i * factor for i in part]


def test_ordered_map_keeps_item_order_with_a_bounded_window(in_process):
    items = list(range(101))
    results = cluster.ordered_map(in_process, _squares, items, chunk=4, in_flight=3)
    first = [next(results) for _ in range(5)]
    assert len([k for k in in_process.futures if k.startswith("_squares-")]) <= 3  # never more than the window
    assert first + list(results) == [i * i for i in items]
    assert list(cluster.ordered_map(in_process, _scaled, items, chunk=7, context=3)) == [3 * i for i in items]


def test_a_failed_chunk_cancels_the_rest(in_process):
    def bad(part: list[int]) -> list[int]:
        if 40 in part:
            raise ValueError("forty")
        return part

    with pytest.raises(ValueError) as err:
        list(cluster.ordered_map(in_process, bad, list(range(200)), chunk=10, in_flight=4))
    assert err.value.__notes__ == ["in chunk 4 (items 40 to 49)"]
    left = [state.status for key, state in in_process.futures.items() if key.startswith("bad-")]
    assert left == ["error"]  # only the failed chunk, which the exception's traceback still holds


def test_the_cluster_is_closed_whatever_happens():
    with pytest.raises(UserError):
        with cluster.connect(cluster.ClusterSpec(local_workers=1, processes=False)) as c:
            made = c
            raise UserError("stop")
    assert made.status == "closed"
    assert made.cluster.status.name == "closed"


def test_an_unreachable_scheduler_is_a_user_error():
    with pytest.raises(UserError) as err:
        with cluster.connect(cluster.ClusterSpec(address="tcp://127.0.0.1:1", timeout="1s")):
            pass
    assert str(err.value).startswith("Dask scheduler tcp://127.0.0.1:1: cannot connect (")
    with pytest.raises(ValueError):
        cluster.ClusterSpec()


@pytest.mark.parametrize("args, message", [
    (["--dask-local", "0"], "--dask-local 0: must be at least 1"),
    (["--dask-local", "2", "--workers", "2"], "--workers is for the process pool: a Dask cluster has its own workers"),
])
def test_cluster_options_are_checked(args, message):
    done = cli("corpus.build", *args)
    assert done.returncode == 2
    assert done.stderr == f"error: {message}\n"


def test_scheduler_and_local_cluster_exclude_each_other():
    done = cli("corpus.build", "--dask-local", "2", "--scheduler", "tcp://127.0.0.1:1")
    assert done.returncode == 2
    assert "not allowed with argument" in done.stderr


def _sharing(part: list[int]) -> list[tuple[list[int], int]]:
    shared = list(range(1000))  # stands for a chunk's one Arrow batch, which every document's rows point into
    return [(shared, i) for i in part]


def test_what_a_chunks_results_share_crosses_once(client):
    """Dask would serialise a list's elements one by one, copying the shared batch per document."""
    out = list(cluster.ordered_map(client, _sharing, list(range(8)), chunk=4))
    assert [i for _, i in out] == list(range(8))
    assert out[0][0] is out[3][0] and out[4][0] is out[7][0]  # one object per chunk, as the worker made it
    assert out[0][0] is not out[4][0]
