"""Boilerplate baselines: each predicts is_content (and, where it can, a role) per line."""
from __future__ import annotations

import pandas as pd

from baselines.registry import register
from baselines.system import System
from baselines.tasks import TaskInput


@register
class AllContent(System):
    """Lower bound: every line is article content."""

    task = "boilerplate"
    name = "all-content"

    def predict(self, inputs: TaskInput) -> pd.DataFrame:
        return pd.DataFrame({"doc_id": inputs.units.doc_id, "line": inputs.units.line, "is_content": True})
