"""Loading the evaluation data: labels decoded, and a user's mistake in --dataset is one line."""
from __future__ import annotations

import pytest

from conftest import cli
from labels import scheme
from labels.cli import UserError
from baselines.data import load_bench
from corpus.sources import DEFAULT


def test_bench_decodes_class_labels_to_names():
    b = load_bench()
    assert (b.version, b.split, b.build) == (DEFAULT.version(), "test", "repository")
    assert set(b.boilerplate.role) <= set(scheme.ROLES) and b.boilerplate.role.tolist()[:3] == [
        "navigation", "headline", "metadata"]
    assert b.boilerplate.is_content.sum() == 8
    assert b.entities.type.value_counts().to_dict()["GPE"] == 16
    assert b.entities.conll_type.isna().sum() == 2  # 2 DATE have no CoNLL type (scheme 2: content lines only)
    assert b.stance.label.value_counts().to_dict() == {"agree": 9, "disagree": 7, "unrelated": 2, "discuss": 1}


@pytest.mark.parametrize("args, message", [
    (["--dataset", "nosuch"], "error: nosuch: no such folder, and not a Hub id of the form OWNER/NAME\n"),
    (["--dataset", "someone/news-bench"],
     "error: someone/news-bench: cannot load from the Hub (OfflineModeIsEnabled: "),
    (["--split", "train"], "error: "),
])
def test_dataset_mistakes_are_one_line_exit_2(args, message):
    done = cli("baselines.run", *args)
    assert done.returncode == 2
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_missing_split_names_what_is_missing():
    with pytest.raises(UserError, match=r"no split 'train' \(.*expected one data/documents/train-\*\.parquet, found 0\)"):
        load_bench(split="train")
