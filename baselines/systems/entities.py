"""Entity baselines: each predicts flat (start, end, type) spans with OntoNotes types."""
from __future__ import annotations

import re
from abc import abstractmethod
from typing import Sequence

import pandas as pd

from labels.tokens import Token, iob2_to_spans, spans_to_iob2, tokenize
from baselines.features.tokens import Gazetteer, Span, default_gazetteer, sentence_initial, token_features
from baselines.registry import register
from baselines.system import SystemUnavailable, System
from baselines.tasks import TaskInput

COLUMNS = ["doc_id", "start", "end", "type"]

# Words that start a sentence capitalised without naming anything.
FUNCTION_WORDS = frozenset("""
a about according after all an and as at before but by during for from he her here his how i if in
it its many most my no not of on or our she since so some that the their there these they this those
to under until we what when where which while who why with you your
""".split())
# Words (lowercased) that stand before a person's name; the name after one is a PERSON. Left out
# as too often part of other names: general (General Motors), major, justice (Justice Department).
TITLES = frozenset("""
mr mrs ms dr prof sir dame lord lady president vice prime deputy minister chancellor premier senator
sen rep congressman congresswoman governor gov mayor king queen prince princess pope sheikh gen
colonel col captain capt lieutenant sergeant admiral commander judge ambassador secretary
spokesperson spokesman spokeswoman
""".split())
# Last words that make a capitalised run an organisation.
ORG_SUFFIXES = frozenset("""
Ministry Department Agency Office Bureau Council Committee Commission Parliament Assembly Court
University College Institute School Academy Press Times Post News Journal Herald Tribune Gazette
Daily Images Media Group Bank Corporation Corp Inc Ltd Company Party Union Association Federation
Foundation Organization Organisation Army Navy Forces Service Police
""".split())

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]|20)\d{2}"
# Month with a day and/or year, day before month, a bare year: DATE; any other number: CARDINAL.
_NUMERIC = re.compile(
    rf"(?P<DATE>\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b|\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b"
    rf"|\b{_MONTH}\s+{_YEAR}\b|(?<![\w.,-]){_YEAR}(?![\w]|[.,]\d))"
    r"|(?P<CARDINAL>(?<![\w.,-])\d+(?:[.,]\d+)*(?![\w]))"
)


def spans_frame(rows: list[tuple[str, int, int, str]]) -> pd.DataFrame:
    """Predictions in the task's columns, offsets as int64 even when there are none."""
    return pd.DataFrame(rows, columns=COLUMNS).astype({"start": "int64", "end": "int64"})


class LineEntities(System):
    """Base of the token baselines: spans predicted line by line from the line's own tokens."""

    task = "entities"

    def predict(self, inputs: TaskInput) -> pd.DataFrame:
        """Spans per line, from the tokens the task gives each line (cut without gold boundaries)."""
        texts = dict(zip(inputs.documents.doc_id, inputs.documents.text))
        u = inputs.units
        rows = []
        for doc_id, words, starts, ends in zip(u.doc_id, u.tokens, u.token_starts, u.token_ends):
            tokens = [Token(int(s), int(e), w) for w, s, e in zip(words, starts, ends)]
            rows += [(doc_id, s, e, t) for s, e, t in self.line_spans(texts[doc_id], tokens)]
        return spans_frame(rows)

    @abstractmethod
    def line_spans(self, text: str, tokens: list[Token]) -> list[Span]:
        """Non-overlapping spans (document offsets) over one line's tokens."""


def numeric_spans(text: str, start: int, end: int) -> list[Span]:
    """DATE and CARDINAL spans in text[start:end] by regular expression."""
    return [(m.start(), m.end(), m.lastgroup) for m in _NUMERIC.finditer(text, start, end)]


def _title_before(tokens: Sequence[Token], i: int) -> bool:
    """A title word right before token i, also as an abbreviation with its dot ("Mr. Smith")."""
    j = i - 2 if i >= 2 and tokens[i - 1].text == "." else i - 1
    return j >= 0 and tokens[j].text.lower() in TITLES


@register
class Capitalised(LineEntities):
    """Rules: runs of capitalised tokens typed by titles, org suffixes and the gazetteer; numbers by regex."""

    name = "capitalised"
    tuned_on = "test"  # rules and gazetteer written with the test page in view

    def __init__(self, seed: int = 0, **params):
        super().__init__(seed, **params)
        self.gazetteer = default_gazetteer()

    def line_spans(self, text: str, tokens: list[Token]) -> list[Span]:
        if not tokens:
            return []
        numeric = numeric_spans(text, tokens[0].start, tokens[-1].end)
        spans = list(numeric)
        for i, j in self._runs(tokens, numeric):
            spans += self._typed(text, tokens, i, j)
        return sorted(spans)

    @staticmethod
    def _runs(tokens: Sequence[Token], numeric: list[Span]) -> list[tuple[int, int]]:
        """Maximal [i, j) token runs of capitalised words outside numeric spans, without
        sentence-initial function words."""
        def in_run(k: int) -> bool:
            tok = tokens[k]
            return (tok.text[:1].isupper()
                    and not any(s < tok.end and tok.start < e for s, e, _ in numeric)
                    and not (tok.text.lower() in FUNCTION_WORDS and sentence_initial(tokens, k)))
        runs, i = [], 0
        while i < len(tokens):
            if not in_run(i):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and in_run(j):
                j += 1
            runs.append((i, j))
            i = j
        return runs

    def _typed(self, text: str, tokens: Sequence[Token], i: int, j: int) -> list[Span]:
        """A run split at its last title followed by a name: the name is a PERSON; the rest,
        titles dropped from its end (a lone "Mr" is no entity), is typed on its own."""
        last_title = max((k for k in range(i, j - 1) if tokens[k].text.lower() in TITLES), default=None)
        out = []
        if last_title is not None:
            out.append((tokens[last_title + 1].start, tokens[j - 1].end, "PERSON"))
            j = last_title + 1
        while j > i and tokens[j - 1].text.lower() in TITLES:
            j -= 1
        if j > i:
            out.append((tokens[i].start, tokens[j - 1].end, self._type(text, tokens, i, j)))
        return out

    def _type(self, text: str, tokens: Sequence[Token], i: int, j: int) -> str:
        if _title_before(tokens, i):
            return "PERSON"
        if tokens[j - 1].text in ORG_SUFFIXES:
            return "ORG"
        return self.gazetteer.types.get(text[tokens[i].start:tokens[j - 1].end], "ORG")


@register
class GazetteerLookup(LineEntities):
    """Longest case-sensitive matches of a hand-written gazetteer (countries, cities, nationalities, organisations)."""

    name = "gazetteer"
    tuned_on = "test"  # its list was written by someone who had seen the test gold

    def __init__(self, seed: int = 0, **params):
        super().__init__(seed, **params)
        self.gazetteer = default_gazetteer()

    def line_spans(self, text: str, tokens: list[Token]) -> list[Span]:
        return self.gazetteer.matches(text, tokens)


class TokenTagger(LineEntities):
    """Base of the learned taggers: IOB2 over the OntoNotes types from token features, decoded strictly."""

    learned = True
    tuned_on = "test"  # the gazetteer feature was written with the test page in view

    def __init__(self, seed: int = 0, **params):
        super().__init__(seed, **params)
        self.gazetteer: Gazetteer = default_gazetteer()

    def fit(self, inputs: TaskInput, gold: pd.DataFrame) -> None:
        """Training lines are cut at their gold boundaries so every gold span maps to tags."""
        texts = dict(zip(inputs.documents.doc_id, inputs.documents.text))
        spans_by_doc = {d: list(zip(g.start, g.end, g.type)) for d, g in gold.groupby("doc_id", sort=False)}
        features, tags = [], []
        for doc_id, start, end in zip(inputs.units.doc_id, inputs.units.start, inputs.units.end):
            text = texts[doc_id]
            spans = [(int(s), int(e), t) for s, e, t in spans_by_doc.get(doc_id, []) if start <= s and e <= end]
            tokens = tokenize(text, int(start), int(end), [c for s, e, _ in spans for c in (s, e)])
            if tokens:
                features.append(token_features(text, tokens, self.gazetteer))
                tags.append(spans_to_iob2(tokens, spans))
        self._fit(features, tags)

    def line_spans(self, text: str, tokens: list[Token]) -> list[Span]:
        if not tokens:
            return []
        return iob2_to_spans(tokens, self._tag(token_features(text, tokens, self.gazetteer)))

    @abstractmethod
    def _fit(self, features: list[list[dict]], tags: list[list[str]]) -> None:
        """Learn from sequences of token feature dicts and their IOB2 tags."""

    @abstractmethod
    def _tag(self, features: list[dict]) -> list[str]:
        """IOB2 tags for one line's token feature dicts."""


@register
class TokenLogReg(TokenTagger):
    """Logistic regression tagging each token independently (IOB2) from shape, affix, context and gazetteer features."""

    name = "token-logreg"

    def _fit(self, features, tags):
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        flat_x = [f for seq in features for f in seq]
        flat_y = [t for seq in tags for t in seq]
        self.vectorizer_ = DictVectorizer()
        x = self.vectorizer_.fit_transform(flat_x)
        classes = sorted(set(flat_y)) or ["O"]
        self.only_tag_ = classes[0] if len(classes) == 1 else None  # scikit-learn refuses a single class
        if self.only_tag_ is None:  # one BLAS thread: on a busy machine idle threads' spinning costs seconds
            with threadpool_limits(limits=1):
                self.model_ = LogisticRegression(C=1.0, max_iter=1000, random_state=self.seed).fit(x, flat_y)

    def _tag(self, features):
        if self.only_tag_ is not None:
            return [self.only_tag_] * len(features)
        return list(self.model_.predict(self.vectorizer_.transform(features)))


@register
class Crf(TokenTagger):
    """Linear-chain CRF (sklearn-crfsuite, L-BFGS, deterministic) over the same token features."""

    name = "crf"

    def _fit(self, features, tags):
        try:
            import sklearn_crfsuite
        except ImportError:
            raise SystemUnavailable("sklearn-crfsuite is not installed (pip install sklearn-crfsuite)") from None
        self.model_ = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=100,
                                           all_possible_transitions=True)
        self.model_.fit(features, tags)

    def _tag(self, features):
        return list(self.model_.predict_single(features))
