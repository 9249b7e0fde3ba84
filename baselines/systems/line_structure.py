"""A learned line classifier that reads the page's structure as well as the line's text.

Trained on the train split (fitted by the harness); no setting was chosen on any split: the
regularisation is scikit-learn's default. Features: baselines.features.page_structure.
"""
from __future__ import annotations

from sklearn.feature_extraction import DictVectorizer
from sklearn.preprocessing import MaxAbsScaler

from baselines.features.page_structure import page_line_features
from baselines.registry import register
from baselines.systems.boilerplate import LineLogReg


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
