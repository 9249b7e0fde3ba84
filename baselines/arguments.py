"""Command-line values shared by baselines.run and baselines.score, checked the same way in both,
so a bad one is a one-line usage error (exit 2) and never a traceback deep in the bootstrap."""
from __future__ import annotations

import argparse

MIN_RESAMPLES = 10


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None


def seed(text: str) -> int:
    value = _integer(text)
    if not 0 <= value < 2 ** 63:
        raise argparse.ArgumentTypeError(f"{value} is not a seed: give an integer from 0 to 2**63-1")
    return value


def resamples(text: str) -> int:
    value = _integer(text)
    if value < MIN_RESAMPLES:
        raise argparse.ArgumentTypeError(f"{value}: must be at least {MIN_RESAMPLES}")
    return value


def workers(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: must be at least 1")
    return value
