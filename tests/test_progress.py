"""A long build says how far it is; a short one says nothing more."""
from __future__ import annotations

import io

import pytest

from benchmarks.synthetic import generate
from conftest import cli, tree_hashes
from corpus import progress
from corpus.build import write_dataset
from corpus.progress import Progress, duration


class Clock:
    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        now, self.now = self.now, self.now + self.step
        return now


def test_a_line_every_ten_seconds_with_the_rate_and_the_time_left():
    out = io.StringIO()
    counter = Progress(1000, out, clock=Clock(3.0))   # each document takes 3 s by this clock
    for _ in range(9):
        counter.advance()
    # the clock reads 0 at the start, then 3, 6, ...: lines at documents 4 (12 s) and 8 (24 s)
    assert out.getvalue().splitlines() == [
        "corpus.build: 4 of 1,000 documents read (0%), 0.3 a second, about 50 min left",
        "corpus.build: 8 of 1,000 documents read (1%), 0.3 a second, about 50 min left",
    ]


def test_the_last_line_has_no_time_left_and_durations_read_as_a_person_reads_them():
    out = io.StringIO()
    counter = Progress(2, out, every=0, clock=Clock(0.5))
    counter.advance()
    counter.advance()
    assert out.getvalue().splitlines() == ["corpus.build: 1 of 2 documents read (50%), 2.0 a second, about 0 s left",
                                           "corpus.build: 2 of 2 documents read (100%), 2.0 a second"]
    fast = Progress(10**6, io.StringIO(), every=0, clock=Clock(0.0001))
    assert fast.line(0.5).startswith("corpus.build: 0 of 1,000,000 documents read (0%), 0.0 a second")
    fast.done = 25_000
    assert fast.line(2.0) == "corpus.build: 25,000 of 1,000,000 documents read (2%), 12,500 a second, about 1 min left"
    assert [duration(s) for s in (0.4, 59, 61, 3569, 3599, 7500)] == ["0 s", "59 s", "1 min", "59 min", "1 h 0 min",
                                                                       "2 h 5 min"]


def test_a_reported_build_writes_the_same_files_and_counts_every_document(tmp_path, monkeypatch):
    sources = generate(tmp_path / "corpus", 12, seed=3)
    write_dataset(sources, tmp_path / "quiet", workers=1)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    out = io.StringIO()
    write_dataset(sources, tmp_path / "reported", workers=1, report=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 12 and lines[-1].startswith("corpus.build: 12 of 12 documents read (100%), ")
    assert tree_hashes(tmp_path / "quiet") == tree_hashes(tmp_path / "reported")


@pytest.mark.parametrize("args", [(), ("--check",)])
def test_the_bundled_build_is_too_short_to_report(args, tmp_path):
    done = cli("corpus.build", *args, *(() if args else ("--out", str(tmp_path / "out"))))
    assert done.returncode == 0 and done.stderr == ""
