"""A small FNC-1-shaped folder made up for the tests (no FNC-1 text): train_stances.csv and
train_bodies.csv with the official headers, quoting, multi-line bodies and all four labels."""
from __future__ import annotations

import csv
from pathlib import Path

TOPICS = [  # (body id, subject, event)
    (11, "The mayor", "opened a new bridge over the river"),
    (4, "A local bakery", "won the national bread prize"),
    (27, "The city zoo", "welcomed twin panda cubs"),
    (8, "Engineers", "found a crack in the old dam"),
    (15, "The football club", "signed a young striker from abroad"),
    (2, "Farmers", "reported a record apple harvest"),
    (30, "The airport", "cancelled all flights because of fog"),
    (19, "A museum", "recovered a stolen painting"),
    (23, "Scientists", "discovered a new species of frog"),
    (6, "The council", "approved a budget for new schools"),
]


def bodies() -> dict[int, str]:
    return {b: f'{s} {e} on Monday, officials said.\n"It is a great day," one resident told reporters.'
            for b, s, e in TOPICS}


def pairs() -> list[tuple[str, int, str]]:
    """(headline, body id, stance): per body one pair of each label, the unrelated one about the next topic."""
    out = []
    for i, (b, s, e) in enumerate(TOPICS):
        other = TOPICS[(i + 1) % len(TOPICS)]
        out += [(f"{s} {e}", b, "agree"),
                (f"{s} {e} is a hoax, critics deny it", b, "disagree"),
                (f"{s} reportedly {e}, unconfirmed", b, "discuss"),
                (f"{other[1]} {other[2]}", b, "unrelated")]
    return out


def write(folder: Path, stance_rows=None, body_rows=None) -> Path:
    """Write both files (rows given as lists, header first, replace the defaults) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    stance_rows = stance_rows or [["Headline", "Body ID", "Stance"]] + [[h, str(b), s] for h, b, s in pairs()]
    body_rows = body_rows or [["Body ID", "articleBody"]] + [[str(b), t] for b, t in bodies().items()]
    for name, rows in (("train_stances.csv", stance_rows), ("train_bodies.csv", body_rows)):
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return folder
