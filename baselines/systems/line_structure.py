"""A learned line classifier that reads the page's structure as well as the line's text.

Trained on the train split (fitted by the harness); no setting was chosen on any split: the
regularisation is scikit-learn's default. Features: baselines.features.page_structure, and
in `line-structure+votes` the verdicts of two extractors that read the HTML.
"""
from __future__ import annotations

import pandas as pd
from sklearn.feature_extraction import DictVectorizer
from sklearn.preprocessing import MaxAbsScaler

from labels.text import units as document_lines
from baselines.features.page_structure import page_line_features
from baselines.registry import register
from baselines.systems.boilerplate import LineLogReg
from baselines.systems.extractors import JusTextHtml, Trafilatura
from baselines.tasks import TaskInput


def all_lines(documents) -> TaskInput:
    """Every line of these documents as units: what an extractor reads to vote on any of them."""
    rows = [(d, u.line, u.start, u.end, u.text) for d, t in zip(documents.doc_id, documents.text)
            for u in document_lines(t)]
    return TaskInput(documents, pd.DataFrame(rows, columns=["doc_id", "line", "start", "end", "text"]))


@register
class LineStructure(LineLogReg):
    """line-logreg reading also each line's place in the page's HTML (tags, class/id words, links) and its neighbours.

    The features are sparse (tag and class-name indicators beside the numbers): vectorised and
    scaled to [-1, 1] by their largest magnitude instead of standardised."""

    name = "line-structure"
    tuned_on = "none"

    def features(self, units, documents):
        return page_line_features(units, documents)

    def steps(self):
        return DictVectorizer(), MaxAbsScaler()


@register
class LineStructureVotes(LineStructure):
    """line-structure reading also whether trafilatura and jusText (on the HTML) keep the line."""

    name = "line-structure+votes"
    voters = (Trafilatura, JusTextHtml)

    def features(self, units, documents):
        everything = all_lines(documents[documents.doc_id.isin(set(units.doc_id))])
        out = super().features(units, documents)
        for voter in self.voters:
            kept = voter(seed=self.seed).predict(everything)
            vote = dict(zip(zip(kept.doc_id, kept.line), kept.is_content))
            for f, key in zip(out, zip(units.doc_id, units.line)):
                f["vote=" + voter.name] = float(vote[key])
        return out
