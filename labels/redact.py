"""`python -m labels.redact FILE...`: rewrite label files without the page text they quote.

For pages kept outside the repository (the pages folder): every surface becomes its
digest (labels.redaction); files of the repository's own pages are left as they are. A file is rewritten only when every surface it holds is the
page's text at its offsets, so the digests prove the same spans the surfaces did; a file
already redacted is left as it is. Nothing is rewritten unless every file passes.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from labels import redaction
from labels.cli import UserError, run
from labels.problems import InvalidLabels, Problem
from labels.userfiles import read_text
from labels.validate import texts_at_hand
from corpus.sources import DEFAULT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labels.redact", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="label files (gold, passes or drafts)")
    args = parser.parse_args(argv)
    texts, outside = texts_at_hand(), DEFAULT.outside()
    planned, problems = [], []
    for path in args.files:
        try:
            data = json.loads(read_text(path, "label file"))
        except (json.JSONDecodeError, RecursionError) as err:
            raise UserError(f"{path}: not a label file ({err})") from None
        if redaction.is_redacted(data) or not isinstance(data, dict) or data.get("doc_id") not in outside:
            continue  # already without text, or a page the repository holds: its labels may quote it
        text = texts.get(data["doc_id"])
        if text is None:
            raise UserError(f"{path}: the page of {data['doc_id']} is not at hand: redact with the pages folder present")
        hidden = redaction.redact(data)
        _, wrong = redaction.restore(hidden, text)
        problems += [Problem(str(path), r, f, m.replace("text_sha256", "surface")) for r, f, m in wrong]
        planned.append((path, hidden))
    if problems:
        raise InvalidLabels(problems)
    for path, hidden in planned:
        path.write_text(redaction.dumps(hidden), encoding="utf-8")
        print(f"redacted {path}")
    return 0


if __name__ == "__main__":
    run(main)
