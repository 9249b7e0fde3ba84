"""One validation finding, located so a person can fix it: file, record, field."""
from __future__ import annotations

import re
from dataclasses import dataclass

from labels.cli import CheckFailed


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.message}"

    def sort_key(self) -> tuple:
        """File, then record in document order: numbers compare as numbers (line 2 before line 10,
        e2 before e13), so problems read top to bottom like the file."""
        def natural(s: str) -> tuple:
            return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s))
        return (self.file, natural(self.record), natural(self.field), self.message)


class InvalidLabels(CheckFailed):
    """Raised with every problem found, so a user fixes them all in one round."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))
