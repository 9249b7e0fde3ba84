"""The FNC-1 training data (train_stances.csv, train_bodies.csv) read from a folder the user gives,
and the official baseline's hold-out split and folds.

The data are third-party text under their own terms: they are read where the user keeps them and
never copied into the project. Where they are looked for is configurable (NEWSBENCH_FNC1), with
`../shared/external/fnc1` beside the project root as the default.
"""
from __future__ import annotations

import csv
import hashlib
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from labels.cli import UserError
from labels.scheme import STANCE_LABELS
from corpus.sources import ROOT

ENV_VAR = "NEWSBENCH_FNC1"
DEFAULT_FOLDER = Path("..") / "shared" / "external" / "fnc1"   # relative to the project root
STANCES_FILE, BODIES_FILE = "train_stances.csv", "train_bodies.csv"
STANCES_HEADER = ("Headline", "Body ID", "Stance")
BODIES_HEADER = ("Body ID", "articleBody")

# The official baseline's hold-out split (fnc-1-baseline, utils/generate_test_splits.py):
# body ids in file order, shuffled by random.Random(1489215), the first 80% for training.
HOLD_OUT_SEED = 1489215
TRAINING_SHARE = 0.8
N_FOLDS = 10


@dataclass(frozen=True)
class Pair:
    """One headline-body pair of train_stances.csv."""

    headline: str
    body_id: int
    stance: str


@dataclass(frozen=True)
class Fnc1:
    """The pairs in file order, the bodies by id (in file order), and each file's sha256."""

    pairs: tuple[Pair, ...]
    bodies: dict[int, str] = field(hash=False)
    sha256: dict[str, str] = field(hash=False)


def folder(explicit: str | Path | None = None) -> Path:
    """Where FNC-1 is: the folder given, else $NEWSBENCH_FNC1, else the default beside the project."""
    chosen = explicit or os.environ.get(ENV_VAR)
    return Path(chosen) if chosen else ROOT / DEFAULT_FOLDER


def _rows(path: Path, header: tuple[str, ...]):
    """(record number, row) of a CSV whose header must be exactly `header`; 1 is the first data row."""
    if not path.is_file():
        raise UserError(f"{path}: missing (an FNC-1 folder holds {STANCES_FILE} and {BODIES_FILE})")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        got = tuple(next(reader, ()))
        if got != header:
            raise UserError(f"{path}: header {','.join(got) or '(empty)'} is not {','.join(header)}")
        for n, row in enumerate(reader, start=1):
            if len(row) != len(header):
                raise UserError(f"{path}: record {n}: has {len(row)} fields, expected {len(header)}")
            yield n, dict(zip(header, row))


def _body_id(path: Path, n: int, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise UserError(f"{path}: record {n}: Body ID: {value!r} is not an integer") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Both files parsed, by their sha256: a run asks for FNC-1 once per system and fold, and parsing
# costs a third of a second, hashing a hundredth; a changed file has another digest and is read again.
_PARSED: dict[tuple[str, str], Fnc1] = {}


def load(where: str | Path | None = None) -> Fnc1:
    """Read and check both files; any problem is one UserError naming the file, the record and the field."""
    root = folder(where)
    if not root.is_dir():
        raise UserError(f"{root}: no FNC-1 folder there (set {ENV_VAR} to the folder holding "
                        f"{STANCES_FILE} and {BODIES_FILE})")
    bodies_path, stances_path = root / BODIES_FILE, root / STANCES_FILE
    if not (bodies_path.is_file() and stances_path.is_file()):
        return _parse(bodies_path, stances_path, {})  # names the missing file
    sha256 = {BODIES_FILE: _sha256(bodies_path), STANCES_FILE: _sha256(stances_path)}
    key = (sha256[BODIES_FILE], sha256[STANCES_FILE])
    if key not in _PARSED:
        _PARSED[key] = _parse(bodies_path, stances_path, sha256)
    return _PARSED[key]


def _parse(bodies_path: Path, stances_path: Path, sha256: dict[str, str]) -> Fnc1:
    bodies: dict[int, str] = {}
    for n, row in _rows(bodies_path, BODIES_HEADER):
        body_id = _body_id(bodies_path, n, row["Body ID"])
        if body_id in bodies:
            raise UserError(f"{bodies_path}: record {n}: Body ID: {body_id} appears twice")
        bodies[body_id] = row["articleBody"]
    pairs = []
    for n, row in _rows(stances_path, STANCES_HEADER):
        body_id = _body_id(stances_path, n, row["Body ID"])
        if body_id not in bodies:
            raise UserError(f"{stances_path}: record {n}: Body ID: {body_id} has no body in {BODIES_FILE}")
        if row["Stance"] not in STANCE_LABELS:
            raise UserError(f"{stances_path}: record {n}: Stance: {row['Stance']!r} is not one of "
                            f"{', '.join(STANCE_LABELS)}")
        pairs.append(Pair(row["Headline"], body_id, row["Stance"]))
    return Fnc1(tuple(pairs), bodies, sha256)


def hold_out_split(body_ids: list[int], training: float = TRAINING_SHARE,
                   seed: int = HOLD_OUT_SEED) -> tuple[list[int], list[int]]:
    """Training and hold-out body ids exactly as the official generate_hold_out_split draws them."""
    ids = list(body_ids)
    random.Random(seed).shuffle(ids)
    cut = int(training * len(ids))
    return ids[:cut], ids[cut:]


def folds(training_ids: list[int], n_folds: int = N_FOLDS) -> list[list[int]]:
    """The official kfold_split: contiguous slices of the shuffled training ids."""
    n = len(training_ids)
    return [training_ids[int(k * n / n_folds):int((k + 1) * n / n_folds)] for k in range(n_folds)]
