"""FNC-1: the loader and its errors, the official split and folds, the official features' quirks,
the hold-out protocol, the cached model and the two systems, all on a fixture the tests make."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import fnc1_fixture
from conftest import ROOT
from labels.cli import UserError, run as run_cli
from baselines import fnc1, fnc1_model, run
from baselines.features.fnc1 import NAMES, OFFICIAL_REFUTING, clean, features, lemmas, matrix
from baselines.fnc1_holdout import fnc_scores, reproduce
from baselines.system import SystemUnavailable
from baselines.systems.fnc1 import Fnc1Gbdt, Fnc1GbdtFinetuned
from baselines.tasks import TaskInput


@pytest.fixture
def folder(tmp_path):
    return fnc1_fixture.write(tmp_path / "fnc1")


@pytest.fixture
def fnc1_env(folder, tmp_path, monkeypatch):
    """The systems pointed at the fixture, with an empty cache and nothing loaded in this process."""
    monkeypatch.setenv(fnc1.ENV_VAR, str(folder))
    monkeypatch.setenv(fnc1_model.CACHE_ENV_VAR, str(tmp_path / "cache"))
    monkeypatch.setattr(fnc1_model, "_LOADED", {})
    return folder


# --- loader ---------------------------------------------------------------------------------

def test_load_reads_pairs_bodies_and_hashes(folder):
    data = fnc1.load(folder)
    assert len(data.pairs) == 40
    assert data.pairs[1] == fnc1.Pair("The mayor opened a new bridge over the river is a hoax, critics deny it",
                                      11, "disagree")
    assert list(data.bodies) == [b for b, _, _ in fnc1_fixture.TOPICS]  # file order, kept
    assert data.bodies[4] == fnc1_fixture.bodies()[4] and "\n" in data.bodies[4] and '"' in data.bodies[4]
    assert data.sha256 == {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
                           for name in ("train_bodies.csv", "train_stances.csv")}


def test_load_parses_once_per_content_and_again_when_a_file_changes(folder):
    first = fnc1.load(folder)
    assert fnc1.load(folder) is first  # parsed once; only the digests are computed again
    stances = folder / "train_stances.csv"
    text = stances.read_text(encoding="utf-8")
    assert ",11,disagree" in text
    stances.write_text(text.replace(",11,disagree", ",11,discuss", 1), encoding="utf-8")
    again = fnc1.load(folder)
    assert again is not first and again.pairs[1].stance == "discuss" and first.pairs[1].stance == "disagree"
    assert again.sha256["train_stances.csv"] == hashlib.sha256(stances.read_bytes()).hexdigest()


def test_folder_is_the_one_given_then_the_environment_then_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv(fnc1.ENV_VAR, str(tmp_path / "env"))
    assert fnc1.folder(tmp_path / "given") == tmp_path / "given"
    assert fnc1.folder() == tmp_path / "env"
    monkeypatch.delenv(fnc1.ENV_VAR)
    assert fnc1.folder() == ROOT / ".." / "shared" / "external" / "fnc1"


STANCES = ["Headline", "Body ID", "Stance"]
BODIES = ["Body ID", "articleBody"]
BAD = [
    # (stance rows, body rows, file, message after "<file>: ")
    ([["Headline", "Body", "Stance"], ["h", "1", "agree"]], None, "train_stances.csv",
     "header Headline,Body,Stance is not Headline,Body ID,Stance"),
    ([STANCES, ["h", "11", "agree"], ["h", "99", "agree"]], None, "train_stances.csv",
     "record 2: Body ID: 99 has no body in train_bodies.csv"),
    ([STANCES, ["h", "11", "agrees"]], None, "train_stances.csv",
     "record 1: Stance: 'agrees' is not one of agree, disagree, discuss, unrelated"),
    ([STANCES, ["h", "11"]], None, "train_stances.csv", "record 1: has 2 fields, expected 3"),
    (None, [BODIES, ["x1", "text"]], "train_bodies.csv", "record 1: Body ID: 'x1' is not an integer"),
    (None, [BODIES, ["11", "a"], ["11", "b"]], "train_bodies.csv", "record 2: Body ID: 11 appears twice"),
    (None, [["Body ID"]], "train_bodies.csv", "header Body ID is not Body ID,articleBody"),
]


@pytest.mark.parametrize("stances, bodies, name, message", BAD)
def test_bad_files_are_refused_naming_file_record_and_field(tmp_path, stances, bodies, name, message):
    where = fnc1_fixture.write(tmp_path / "fnc1", stances, bodies)
    with pytest.raises(UserError) as err:
        fnc1.load(where)
    assert str(err.value) == f"{where / name}: {message}"


def test_missing_folder_and_missing_file_are_refused(tmp_path, folder):
    with pytest.raises(UserError, match=r"absent: no FNC-1 folder there \(set NEWSBENCH_FNC1"):
        fnc1.load(tmp_path / "absent")
    (folder / "train_bodies.csv").unlink()
    with pytest.raises(UserError) as err:
        fnc1.load(folder)
    assert str(err.value) == (f"{folder / 'train_bodies.csv'}: missing "
                              "(an FNC-1 folder holds train_stances.csv and train_bodies.csv)")


# --- the official split ---------------------------------------------------------------------

def test_hold_out_split_is_the_official_seeded_shuffle_of_ids_in_file_order():
    assert fnc1.hold_out_split(list(range(10))) == ([3, 8, 1, 0, 4, 2, 9, 5], [6, 7])
    assert fnc1.hold_out_split(list(range(9, -1, -1))) == ([6, 1, 8, 9, 5, 7, 0, 4], [3, 2])
    train, hold = fnc1.hold_out_split(list(range(1683)))  # FNC-1's number of bodies
    assert (len(train), len(hold)) == (1346, 337) and sorted(train + hold) == list(range(1683))


def test_folds_are_contiguous_slices_of_the_training_ids():
    ids = list(range(1346))
    parts = fnc1.folds(ids)
    assert [len(p) for p in parts] == [134, 135, 134, 135, 135, 134, 135, 134, 135, 135]
    assert sum(parts, []) == ids


# --- the official features --------------------------------------------------------------------

def _f(headline: str, body: str) -> dict[str, float]:
    return dict(zip(NAMES, features(headline, body)))


def test_clean_and_lemmas_follow_the_original_tokenisation():
    assert clean("U.S.-led, don't cannot!") == "u s led don t cannot"
    # word_tokenize splits "cannot"; WordNet's noun lemmatiser keeps "denies" but singularises "doubts"
    assert lemmas("cats cannot denies doubts") == ["cat", "can", "not", "denies", "doubt"]


def test_feature_vector_has_the_original_order():
    assert len(NAMES) == 44 and NAMES[:4] == ("cooc", "cooc_early", "cooc_stops", "cooc_stops_early")
    assert NAMES[26:28] == ("polarity_headline", "polarity_body") and NAMES[-1] == "overlap"
    assert NAMES[28:43] == tuple(f"refuting_{w}" for w in OFFICIAL_REFUTING) and len(OFFICIAL_REFUTING) == 15
    assert matrix(["a", "b"], ["c", "d"]).shape == (2, 44) and matrix([], []).shape == (0, 44)


def test_character_grams_are_looked_for_with_spaces_between_characters():
    spaced = _f("ab", "xa by")        # the gram "ab" is looked for as "a b"
    assert (spaced["char2_hits"], spaced["char2_early"], spaced["char2_first"]) == (1.0, 1.0, 1.0)
    assert _f("ab", "ab")["char2_hits"] == 0.0
    late = _f("ab", "x" * 100 + " a b")  # "a b" starts at character 101 of the cleaned body
    assert (late["char2_hits"], late["char2_early"], late["char2_first"]) == (1.0, 1.0, 0.0)


def test_headline_tokens_count_as_substrings_and_the_stopword_count_repeats():
    f = _f("the cat", "concatenate these")   # "the" inside "these", "cat" inside "concatenate"
    assert (f["cooc"], f["cooc_early"]) == (2.0, 2.0)
    assert (f["cooc_stops"], f["cooc_stops_early"]) == (1.0, 1.0)  # "the" is a stopword
    late = _f("cat", "x" * 255 + " cat")
    assert (late["cooc"], late["cooc_early"], late["cooc_stops"], late["cooc_stops_early"]) == (1.0, 0.0, 1.0, 1.0)


def test_word_grams_count_headline_ngrams_in_the_body():
    f = _f("big red dog", "a big red dog barked")
    assert (f["word2_hits"], f["word3_hits"], f["word4_hits"], f["word2_early"]) == (2.0, 1.0, 0.0, 2.0)


def test_polarity_refuting_and_overlap():
    f = _f("Not a hoax, not fake", "It was false.")
    assert (f["polarity_headline"], f["polarity_body"]) == (0.0, 1.0)  # 4 refuting lemmas; 1
    assert [w for w in OFFICIAL_REFUTING if f[f"refuting_{w}"]] == ["fake", "hoax", "not"]
    g = _f("Cats deny the hoax", "A cat denies it")
    assert [w for w in OFFICIAL_REFUTING if g[f"refuting_{w}"]] == ["hoax", "deny"]
    assert g["overlap"] == pytest.approx(1 / 7)  # {cat} of {cat, deny, the, hoax, a, denies, it}


# --- scoring and the hold-out protocol ----------------------------------------------------------

def test_fnc_scores_by_hand():
    s = fnc_scores(["agree", "unrelated", "discuss"], ["discuss", "unrelated", "discuss"])
    assert (s["fnc_score"], s["fnc_max"]) == (1.5, 2.25)  # 0.25 related + 0.25 unrelated + 1 exact
    assert s["fnc_relative"] == pytest.approx(2 / 3)


def test_reproduce_runs_the_official_protocol(folder):
    data = fnc1.load(folder)
    seen = []
    result = reproduce(data, seed=0, n_folds=2, on_fold=lambda k, score: seen.append((k, score)))
    assert seen == list(enumerate(result.fold_relative))
    # 10 bodies: 8 train (two folds of 4), 2 held out, 4 pairs each
    assert (result.n_train_pairs, result.n_hold_out_pairs) == (32, 8)
    assert len(result.fold_relative) == 2 and result.best_fold == int(np.argmax(result.fold_relative))
    assert result.hold_out["fnc_max"] == 6.5  # 6 related * 1 + 2 unrelated * 0.25
    training, held = fnc1.hold_out_split(list(data.bodies))
    other = set(fnc1.folds(training, 2)[1 - result.best_fold])  # the best fold's model trained on the other
    model = fnc1_model.classifier(0).fit(*fnc1_model.design(data, [p for p in data.pairs if p.body_id in other]))
    x, y = fnc1_model.design(data, [p for p in data.pairs if p.body_id in set(held)])
    assert result.hold_out == fnc_scores(list(y), list(model.predict(x)))


def test_benchmark_script_refuses_a_missing_folder_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fnc1_holdout.py"), "--fnc1",
                           str(tmp_path / "absent")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'absent'}: no FNC-1 folder there (set NEWSBENCH_FNC1 to the folder holding "
        "train_stances.csv and train_bodies.csv)"]


# --- the cached model ---------------------------------------------------------------------------

def test_model_is_trained_once_then_loaded_from_the_cache(fnc1_env, tmp_path, monkeypatch):
    first = fnc1_model.trained(0)
    data = fnc1.load(fnc1_env)
    assert first.provenance["files_sha256"] == data.sha256 and first.provenance["n_pairs"] == 40
    assert first.provenance["seed"] == 0 and first.provenance["feature_version"] == "fnc1-baseline/1"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"fnc1-gbdt-{first.key}.joblib"]
    x, _ = fnc1_model.design(data, list(data.pairs))
    monkeypatch.setattr(fnc1_model, "_LOADED", {})
    monkeypatch.setattr(fnc1_model, "classifier", lambda seed: pytest.fail("trained again"))
    again = fnc1_model.trained(0)
    assert again.key == first.key and again.model is not first.model
    assert np.array_equal(again.model.predict_proba(x), first.model.predict_proba(x))


def test_cache_key_changes_with_seed_and_data(fnc1_env):
    key = fnc1_model.trained(0).key
    assert fnc1_model.trained(1).key != key
    with (fnc1_env / "train_stances.csv").open("a", encoding="utf-8") as f:
        f.write("Another headline,11,discuss\n")
    assert fnc1_model.trained(0).key not in (key, fnc1_model.trained(1).key)


def test_no_fnc1_folder_makes_the_model_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv(fnc1.ENV_VAR, str(tmp_path / "absent"))
    with pytest.raises(SystemUnavailable, match=r"^no FNC-1 folder at .*absent \(set NEWSBENCH_FNC1"):
        fnc1_model.trained(0)


# --- the systems ----------------------------------------------------------------------------------

def _units(level: str) -> TaskInput:
    """The fixture's pairs as stance units of one level, target as headline and body as context."""
    texts = fnc1_fixture.bodies()
    units = pd.DataFrame([{"doc_id": "d", "id": f"u{i}", "level": level, "target": h, "context": texts[b]}
                          for i, (h, b, _) in enumerate(fnc1_fixture.pairs())])
    return TaskInput(pd.DataFrame({"doc_id": ["d"], "text": [""]}), units)


def test_fnc1_gbdt_reproduces_its_training_labels_and_never_says_unrelated_at_source(fnc1_env):
    gold = [s for _, _, s in fnc1_fixture.pairs()]
    system = Fnc1Gbdt(seed=0)
    assert list(system.predict(_units("article")).label) == gold  # 200 trees fit 40 pairs exactly
    source = list(system.predict(_units("source")).label)
    assert "unrelated" not in source
    assert [p for p, g in zip(source, gold) if g != "unrelated"] == [g for g in gold if g != "unrelated"]


def test_describe_records_the_model_key_and_the_data(fnc1_env):
    described = Fnc1GbdtFinetuned(seed=0).describe()
    assert described["name"] == "fnc1-gbdt-finetuned" and described["learned"] is True
    sha = fnc1.load(fnc1_env).sha256
    assert described["versions"] == {
        "fnc1-model": fnc1_model.trained(0).key, "fnc1-features": "fnc1-baseline/1",
        "fnc1/train_bodies.csv": f"sha256:{sha['train_bodies.csv']}",
        "fnc1/train_stances.csv": f"sha256:{sha['train_stances.csv']}"}
    assert Fnc1GbdtFinetuned.trained_on.startswith("FNC-1 training set (the frozen model)")
    assert Fnc1GbdtFinetuned.tuned_on == Fnc1Gbdt.tuned_on == "none" and Fnc1Gbdt.optional


def test_finetuned_head_learns_from_the_training_rows(fnc1_env):
    article, source = _units("article"), _units("source")
    both = TaskInput(article.documents, pd.concat([article.units, source.units.assign(
        id=[f"s{i}" for i in range(len(source.units))])], ignore_index=True))
    labels = ["agree" if lv == "article" else "disagree" for lv in both.units.level]  # a rule of the level
    system = Fnc1GbdtFinetuned(seed=0)
    system.fit(both, pd.DataFrame({"doc_id": both.units.doc_id, "id": both.units.id, "label": labels}))
    assert list(system.predict(both).label) == labels
    one = Fnc1GbdtFinetuned(seed=0)
    one.fit(article, pd.DataFrame({"doc_id": "d", "id": article.units.id, "label": "unrelated"}))
    assert one.head_ is None and set(one.predict(source).label) == {"agree"}  # first allowed at source


def test_run_skips_the_systems_without_fnc1_and_records_the_key_with_it(fnc1_env, tmp_path, monkeypatch, capsys):
    args = ["--task", "stance", "--system", "fnc1-gbdt", "--resamples", "10", "--out"]
    with pytest.raises(SystemExit) as done:
        run_cli(run.main, args + [str(tmp_path / "with")])
    assert done.value.code == 0
    result = json.loads(next((tmp_path / "with").rglob("fnc1-gbdt.json")).read_text())
    assert result["system"]["versions"]["fnc1-model"] == fnc1_model.trained(0).key
    monkeypatch.setenv(fnc1.ENV_VAR, str(tmp_path / "absent"))
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        run_cli(run.main, args + [str(tmp_path / "without")])
    assert done.value.code == 1  # its only requested system could not run: nothing was scored
    assert f"skipped stance/fnc1-gbdt: no FNC-1 folder at {tmp_path / 'absent'}" in capsys.readouterr().err
