"""One validation finding, located so a person can fix it: file, record, field."""
from __future__ import annotations

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


class InvalidLabels(CheckFailed):
    """Raised with every problem found, so a user fixes them all in one round."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
