"""`python -m labels.redact FILE...`: rewrite label files without the page text they quote.

For pages kept outside the repository (the pages folder): every surface becomes its
digest (labels.redaction), after the file is checked against its page, so only a
valid file is rewritten and the offsets are proved before the text goes.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from labels import model
from labels.cli import UserError, run
from labels.problems import InvalidLabels
from labels.validate import check_file, texts_at_hand


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labels.redact", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="label files (gold, passes or drafts)")
    args = parser.parse_args(argv)
    missing = [p for p in args.files if not p.is_file()]
    if missing:
        raise UserError(f"{missing[0]}: no such file")
    texts = texts_at_hand()
    checked = []
    for path in args.files:
        doc, problems = check_file(path, texts)
        if problems or doc is None:
            raise InvalidLabels(problems)
        checked.append((path, doc))
    for path, doc in checked:
        model.write(path, doc, redact=True)
        print(f"redacted {path}")
    return 0


if __name__ == "__main__":
    run(main)
