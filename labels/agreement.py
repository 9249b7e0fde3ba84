"""`python -m labels.agreement A B [--json]`: inter-annotator agreement between two annotation passes.

A and B are two pass files of the same document, or two folders of pass files matched by
doc_id (the file stem); a document in one folder only is a user error. Pass A is the
reference wherever a figure is not symmetric. Over several documents every figure is
pooled (micro): lines, mentions and matched stance pairs of all documents are counted
together, never averaged per document; the figures of each document alone are shown beside
them, with 95% percentile bootstrap intervals of the headline figures (role and is_content
kappa, strict entity F1, overall stance agreement) over documents resampled with replacement
(1000 resamples, seed 0). A draft is refused: agreement is between people's passes.

Definitions
-----------
Cohen's kappa of two label sequences a, b of equal length n > 0, over the categories K
used in either: observed agreement p_o = #{i: a_i = b_i} / n; chance agreement
p_e = sum over k in K of (#{i: a_i = k} / n) * (#{i: b_i = k} / n), from the two marginals;
kappa = (p_o - p_e) / (1 - p_e). p_e = 1 exactly when both passes use one and the same
single category, and then p_o = 1 too: kappa is defined as 1.0 there. With n = 0, kappa
and raw agreement are undefined (None; null in JSON, n/a in the table).

boilerplate
    Units are the lines labelled in both passes: the same line number with the same
    start and end. `lines` counts them (`lines_a`, `lines_b`: lines labelled in each
    pass). role_agreement and role_kappa compare the roles; content_agreement and
    content_kappa compare labels.scheme.is_content of the roles. Agreement = p_o.

entities
    A mention is (start, end, type). strict: a mention of B matches one of A when start,
    end and type are equal (one-to-one: matched = size of the multiset intersection).
    With |A|, |B| the mention counts: precision = matched / |B|, recall = matched / |A|,
    F1 = 2 * matched / (|A| + |B|) (the harmonic mean of the two, and symmetric in A
    and B). A ratio with a zero denominator is undefined (None). boundary: the same
    with mentions reduced to (start, end), any type. by_type: strict figures restricted
    to one OntoNotes type, for every type present in either pass, in the scheme's order.

stance
    Instances are split three ways. article: article-level instances with a page target
    (a target_span); an instance of A matches one of B when their target_span start and
    end are equal. source: source-level instances; they match when their holders are
    the same mention (the holder ids, looked up in each pass's own entities, give the
    same start and end) and their evidence spans overlap (some evidence span of one
    and some of the other share at least one character: max(starts) < min(ends)).
    Matching is one-to-one: among the pairs that match, those whose targets are most
    alike (Jaccard of their lowercased word sets) are paired first, ties in file order
    (A, then B); labels are never looked at. One holder often takes several positions
    with the same evidence, and the target is what tells them apart. claims: article-level instances with an annotator-written target (no
    target_span); they cannot be matched and are only counted (claims_a, claims_b).
    For article, source and overall (article and source pooled): a, b = instances in
    each pass, matched = pairs, agreement = p_o of the labels over the pairs, kappa =
    Cohen's kappa of the labels over the pairs.
"""
from __future__ import annotations

import argparse
import re
import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Hashable, Sequence

import numpy as np

from labels import model, scheme
from labels.cli import UserError, run
from labels.model import GoldDocument, StanceInstance


# ---------------------------------------------------------------------------- kappa

def raw_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Share of positions where the two sequences agree; None when they are empty."""
    if len(a) != len(b):
        raise ValueError(f"label sequences differ in length: {len(a)} and {len(b)}")
    if not a:
        return None
    return float(np.mean([x == y for x, y in zip(a, b)]))


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa as defined in the module docstring; None when the sequences are empty."""
    if len(a) != len(b):
        raise ValueError(f"label sequences differ in length: {len(a)} and {len(b)}")
    n = len(a)
    if n == 0:
        return None
    categories = {c: i for i, c in enumerate(dict.fromkeys([*a, *b]))}
    if len(categories) == 1:  # p_e = 1 and p_o = 1
        return 1.0
    ia = np.array([categories[x] for x in a])
    ib = np.array([categories[x] for x in b])
    p_o = float(np.mean(ia == ib))
    pa = np.bincount(ia, minlength=len(categories)) / n
    pb = np.bincount(ib, minlength=len(categories)) / n
    p_e = float(pa @ pb)
    return (p_o - p_e) / (1.0 - p_e)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class KappaCounts:
    """Two label sequences as counts, which add over documents: raw_agreement and cohen_kappa of
    concatenated sequences from their counts alone, with the same bits (the categories are kept in
    first-appearance order, the order cohen_kappa sums p_e in)."""

    first_a: tuple[Hashable, ...]   # a's categories in the order they first appear in a
    first_b: tuple[Hashable, ...]
    count_a: dict[Hashable, int]
    count_b: dict[Hashable, int]
    agree: int
    n: int

    @classmethod
    def of(cls, a: Sequence[Hashable], b: Sequence[Hashable]) -> "KappaCounts":
        count_a, count_b = Counter(a), Counter(b)
        return cls(tuple(count_a), tuple(count_b), dict(count_a), dict(count_b),
                   sum(x == y for x, y in zip(a, b)), len(a))


def pooled_agreement(parts: Sequence[KappaCounts]) -> float | None:
    """raw_agreement of the parts' sequences concatenated in order."""
    return _ratio(sum(p.agree for p in parts), sum(p.n for p in parts))


def pooled_kappa(parts: Sequence[KappaCounts]) -> float | None:
    """cohen_kappa of the parts' sequences concatenated in order (a with a, b with b)."""
    n = sum(p.n for p in parts)
    if n == 0:
        return None
    categories = dict.fromkeys(c for p in parts for c in p.first_a)
    categories.update(dict.fromkeys(c for p in parts for c in p.first_b))
    if len(categories) == 1:
        return 1.0
    pa = np.array([sum(p.count_a.get(c, 0) for p in parts) for c in categories]) / n
    pb = np.array([sum(p.count_b.get(c, 0) for p in parts) for c in categories]) / n
    p_o, p_e = sum(p.agree for p in parts) / n, float(pa @ pb)
    return (p_o - p_e) / (1.0 - p_e)


# ---------------------------------------------------------------------------- figures

@dataclass(frozen=True)
class BoilerplateAgreement:
    lines: int
    lines_a: int
    lines_b: int
    role_agreement: float | None
    role_kappa: float | None
    content_agreement: float | None
    content_kappa: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines, "lines_a": self.lines_a, "lines_b": self.lines_b,
            "role_agreement": self.role_agreement, "role_kappa": self.role_kappa,
            "content_agreement": self.content_agreement, "content_kappa": self.content_kappa,
        }


@dataclass(frozen=True)
class SpanF1:
    a: int
    b: int
    matched: int

    @property
    def precision(self) -> float | None:
        return _ratio(self.matched, self.b)

    @property
    def recall(self) -> float | None:
        return _ratio(self.matched, self.a)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.matched, self.a + self.b)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "matched": self.matched,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class EntityAgreement:
    strict: SpanF1
    boundary: SpanF1
    by_type: tuple[tuple[str, SpanF1], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"strict": self.strict.to_dict(), "boundary": self.boundary.to_dict(),
                "by_type": {t: f.to_dict() for t, f in self.by_type}}


@dataclass(frozen=True)
class StanceLevelAgreement:
    a: int
    b: int
    matched: int
    agreement: float | None
    kappa: float | None
    agreeing: int = 0  # matched instances with the same label

    @property
    def f1(self) -> float | None:
        """Instances both passes have with the same label (holder and label, at source level),
        as an F1 over the two passes' instances: 2 x agreeing / (|A| + |B|)."""
        return None if self.a + self.b == 0 else 2 * self.agreeing / (self.a + self.b)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "matched": self.matched,
                "agreement": self.agreement, "kappa": self.kappa, "f1": self.f1}


@dataclass(frozen=True)
class StanceAgreement:
    article: StanceLevelAgreement
    source: StanceLevelAgreement
    overall: StanceLevelAgreement
    claims_a: int
    claims_b: int

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article.to_dict(), "source": self.source.to_dict(),
                "overall": self.overall.to_dict(),
                "claims_a": self.claims_a, "claims_b": self.claims_b}


@dataclass(frozen=True)
class Agreement:
    documents: tuple[str, ...]
    boilerplate: BoilerplateAgreement
    entities: EntityAgreement
    stance: StanceAgreement

    def to_dict(self, ndigits: int | None = None) -> dict[str, Any]:
        """Plain JSON-ready dict in a fixed key order; floats rounded to ndigits when given."""
        out = {"documents": list(self.documents), "boilerplate": self.boilerplate.to_dict(),
               "entities": self.entities.to_dict(), "stance": self.stance.to_dict()}
        return out if ndigits is None else _round(out, ndigits)


def _round(value: Any, ndigits: int) -> Any:
    if isinstance(value, float):
        return round(value, ndigits)
    if isinstance(value, dict):
        return {k: _round(v, ndigits) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v, ndigits) for v in value]
    return value


# ---------------------------------------------------------------------------- computation

def _line_roles(a: GoldDocument, b: GoldDocument) -> tuple[list[str], list[str]]:
    """The roles both passes give the lines both label, in pass A's order."""
    by_unit = {(x.line, x.start, x.end): x.role for x in b.lines}
    roles_a, roles_b = [], []
    for x in a.lines:
        key = (x.line, x.start, x.end)
        if key in by_unit:
            roles_a.append(x.role)
            roles_b.append(by_unit[key])
    return roles_a, roles_b


def _span_counts(a: Counter, b: Counter) -> tuple[int, int, int]:
    """(|A|, |B|, matched) of two multisets of spans: additive over documents, whose spans never match."""
    return sum(a.values()), sum(b.values()), sum((a & b).values())


def _entity_counts(a: GoldDocument, b: GoldDocument) -> tuple[tuple[int, int, int], tuple[int, int, int],
                                                               dict[str, tuple[int, int, int]]]:
    """One document's span counts: strict, with the type ignored, and per type (of either pass)."""
    strict_a = Counter((e.start, e.end, e.type) for e in a.entities)
    strict_b = Counter((e.start, e.end, e.type) for e in b.entities)
    by_type = {t: _span_counts(Counter({k: n for k, n in strict_a.items() if k[2] == t}),
                               Counter({k: n for k, n in strict_b.items() if k[2] == t}))
               for t in {k[2] for k in strict_a} | {k[2] for k in strict_b}}
    return (_span_counts(strict_a, strict_b),
            _span_counts(Counter(k[:2] for k in strict_a.elements()), Counter(k[:2] for k in strict_b.elements())),
            by_type)


def _holder_span(doc: GoldDocument, s: StanceInstance, which: str) -> tuple[int, int]:
    for e in doc.entities:
        if e.id == s.holder:
            return e.start, e.end
    raise UserError(f"{doc.doc_id}: pass {which}: stance {s.id}: holder {s.holder!r} is not an entity id")


def _overlap(x: tuple, y: tuple) -> bool:
    return any(max(p.start, q.start) < min(p.end, q.end) for p in x for q in y)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _similarity(x: StanceInstance, y: StanceInstance) -> float:
    """Word Jaccard of two targets: which of several candidates speaks of the same claim."""
    wx, wy = _words(x.target), _words(y.target)
    return len(wx & wy) / len(wx | wy) if wx | wy else 0.0


def _match(a: list, b: list, matches, similarity) -> list[tuple[int, int]]:
    """One-to-one pairs (i, j) among the pairs that match: the most similar targets first,
    ties in file order (A, then B). Never looks at labels, so agreement is not inflated."""
    candidates = sorted((-similarity(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b) if matches(x, y))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _level(n_a: int, n_b: int, labels: list[KappaCounts]) -> StanceLevelAgreement:
    return StanceLevelAgreement(n_a, n_b, sum(p.n for p in labels), pooled_agreement(labels), pooled_kappa(labels),
                                sum(p.agree for p in labels))


def _page(d: GoldDocument) -> list[StanceInstance]:
    return [s for s in d.stance if s.level == "article" and s.target_span is not None]


def _claims(d: GoldDocument) -> list[StanceInstance]:
    return [s for s in d.stance if s.level == "article" and s.target_span is None]


def _source(d: GoldDocument, which: str) -> list[tuple[StanceInstance, tuple[int, int]]]:
    return [(s, _holder_span(d, s, which)) for s in d.stance if s.level == "source"]


def stance_pairs(a: GoldDocument, b: GoldDocument) -> dict[str, list[tuple[StanceInstance, StanceInstance]]]:
    """The matched (A, B) stance instances of one document, by level, in pass A's order."""
    pa, pb = _page(a), _page(b)
    article = _match(pa, pb, lambda x, y: (x.target_span.start, x.target_span.end)
                     == (y.target_span.start, y.target_span.end), _similarity)
    sa, sb = _source(a, "A"), _source(b, "B")
    source = _match(sa, sb, lambda x, y: x[1] == y[1] and _overlap(x[0].evidence, y[0].evidence),
                    lambda x, y: _similarity(x[0], y[0]))
    return {"article": [(pa[i], pb[j]) for i, j in article],
            "source": [(sa[i][0], sb[j][0]) for i, j in source]}


@dataclass(frozen=True)
class _Share:
    """One document's share of the pooled figures, computed once however often a resample draws it.
    Every share is counts, which add over documents: a pooled figure is the one computed from every
    document's labels at once (KappaCounts keeps what kappa needs of the label order)."""

    doc_id: str
    roles: KappaCounts                                # roles of the lines both passes label, A and B
    content: KappaCounts                              # ... as is_content
    lines: tuple[int, int]                            # lines each pass labels
    strict: tuple[int, int, int]                      # (|A|, |B|, matched) of the entity spans
    boundary: tuple[int, int, int]                    # ... with the type ignored
    by_type: dict[str, tuple[int, int, int]]          # ... of each type either pass has
    stance: dict[str, KappaCounts]                    # labels of the matched (A, B) instances by level
    stance_counts: Counter


def _share(a: GoldDocument, b: GoldDocument) -> _Share:
    roles_a, roles_b = _line_roles(a, b)
    counts = Counter({"article_a": len(_page(a)), "article_b": len(_page(b)),
                      "source_a": sum(1 for s in a.stance if s.level == "source"),
                      "source_b": sum(1 for s in b.stance if s.level == "source"),
                      "claims_a": len(_claims(a)), "claims_b": len(_claims(b))})
    return _Share(a.doc_id, KappaCounts.of(roles_a, roles_b),
                  KappaCounts.of([scheme.is_content(r) for r in roles_a], [scheme.is_content(r) for r in roles_b]),
                  (len(a.lines), len(b.lines)), *_entity_counts(a, b),
                  {level: KappaCounts.of([x.label for x, _ in matched], [y.label for _, y in matched])
                   for level, matched in stance_pairs(a, b).items()},
                  counts)


def _pool(shares: list[_Share]) -> Agreement:
    """The figures pooled over the documents' shares (a document drawn twice counts twice)."""
    roles, content = [s.roles for s in shares], [s.content for s in shares]
    boilerplate = BoilerplateAgreement(
        lines=sum(p.n for p in roles), lines_a=sum(s.lines[0] for s in shares), lines_b=sum(s.lines[1] for s in shares),
        role_agreement=pooled_agreement(roles), role_kappa=pooled_kappa(roles),
        content_agreement=pooled_agreement(content), content_kappa=pooled_kappa(content))

    def span_f1(counts) -> SpanF1:
        return SpanF1(*map(sum, zip(*counts)))

    present = {t for s in shares for t in s.by_type}
    order = [t for t in scheme.ENTITY_TYPES if t in present] + sorted(present - set(scheme.ENTITY_TYPES))
    entities = EntityAgreement(strict=span_f1(s.strict for s in shares), boundary=span_f1(s.boundary for s in shares),
                               by_type=tuple((t, span_f1(s.by_type.get(t, (0, 0, 0)) for s in shares))
                                             for t in order))
    counts: Counter = sum((s.stance_counts for s in shares), Counter())
    labels = {level: [s.stance[level] for s in shares] for level in ("article", "source")}
    article = _level(counts["article_a"], counts["article_b"], labels["article"])
    source = _level(counts["source_a"], counts["source_b"], labels["source"])
    overall = _level(article.a + source.a, article.b + source.b, labels["article"] + labels["source"])
    stance = StanceAgreement(article, source, overall, counts["claims_a"], counts["claims_b"])
    return Agreement(tuple(s.doc_id for s in shares), boilerplate, entities, stance)


def agreement(pairs: list[tuple[GoldDocument, GoldDocument]]) -> Agreement:
    """Agreement between pass A (first of each pair, the reference) and pass B, pooled over the pairs."""
    for a, b in pairs:
        if a.doc_id != b.doc_id:
            raise UserError(f"the passes are of different documents: {a.doc_id} and {b.doc_id}")
        for name, doc in (("A", a), ("B", b)):
            if doc.status == "draft":
                raise UserError(f"{doc.doc_id}: pass {name} is a draft: agreement is measured between people's "
                                "independent passes, never against the draft a pass was made from")
    ids = [a.doc_id for a, _ in pairs]
    dup = [d for d, n in Counter(ids).items() if n > 1]
    if dup:
        raise UserError(f"document {dup[0]} is given more than once")
    return _pooled(pairs)


def _pooled(pairs: list[tuple[GoldDocument, GoldDocument]]) -> Agreement:
    return _pool([_share(a, b) for a, b in pairs])


# The headline figures that get bootstrap intervals over documents.
HEADLINE: dict[str, Any] = {
    "boilerplate/role_kappa": lambda ag: ag.boilerplate.role_kappa,
    "boilerplate/content_kappa": lambda ag: ag.boilerplate.content_kappa,
    "entities/strict_f1": lambda ag: ag.entities.strict.f1,
    "stance/overall_agreement": lambda ag: ag.stance.overall.agreement,
    "stance/source_f1": lambda ag: ag.stance.source.f1,
}


def per_document(pairs: list[tuple[GoldDocument, GoldDocument]]) -> dict[str, Agreement]:
    """Every figure for each document alone, by doc_id."""
    agreement(pairs)  # the same refusals as the pooled figures
    return {a.doc_id: _pooled([(a, b)]) for a, b in pairs}


def intervals(pairs: list[tuple[GoldDocument, GoldDocument]], resamples: int = 1000,
              seed: int = 0) -> dict[str, tuple[float, float] | None]:
    """95% percentile bootstrap intervals of the headline figures, resampling documents with
    replacement and pooling each resample; None where no resample defines the figure."""
    agreement(pairs)  # the same refusals as the point estimate
    shares = [_share(a, b) for a, b in pairs]  # each document matched once, not once per draw
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {name: [] for name in HEADLINE}
    for _ in range(resamples):
        ag = _pool([shares[i] for i in rng.integers(0, len(pairs), len(pairs))])
        for name, figure in HEADLINE.items():
            value = figure(ag)
            if value is not None:
                draws[name].append(value)
    return {name: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) if v else None
            for name, v in draws.items()}


# ---------------------------------------------------------------------------- CLI

def _load(path: Path) -> GoldDocument:
    doc, problems = model.load(path, _text_of)
    if problems or doc is None:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise UserError(f"{problems[0] if problems else path}{more}")
    return doc


def _text_of(doc_id: str) -> str | None:
    """The page of a digest-only pass file (labels.redaction), read only when one is met."""
    return _texts().get(doc_id)


@lru_cache(maxsize=1)
def _texts() -> dict[str, str]:
    from labels.validate import texts_at_hand

    return texts_at_hand()


def load_pairs(a: Path, b: Path, only: set[str] | None = None) -> list[tuple[GoldDocument, GoldDocument]]:
    """The (pass A, pass B) documents named by two files or two folders of files (of the
    documents in `only`, when given: nothing else is read)."""
    for p in (a, b):
        if not p.exists():
            raise UserError(f"{p}: no such file or folder")
    if a.is_file() and b.is_file():
        return [(_load(a), _load(b))]
    if not (a.is_dir() and b.is_dir()):
        raise UserError(f"{a} and {b}: give two pass files or two folders of pass files")
    files_a = {p.stem: p for p in a.glob("*.json")}
    files_b = {p.stem: p for p in b.glob("*.json")}
    for here, there, files, other in ((a, b, files_a, files_b), (b, a, files_b, files_a)):
        unpaired = sorted(set(files) - set(other))
        if unpaired:
            more = f" (and {len(unpaired) - 1} more)" if len(unpaired) > 1 else ""
            raise UserError(f"document {unpaired[0]} is in {here} but not in {there}{more}")
    if not files_a:
        raise UserError(f"{a} and {b}: no pass files (*.json)")
    return [(_load(files_a[d]), _load(files_b[d])) for d in sorted(files_a) if only is None or d in only]


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


def render(ag: Agreement) -> str:
    """The figures as a plain-text table."""
    bp, en, st = ag.boilerplate, ag.entities, ag.stance
    out = [f"Inter-annotator agreement, pass A (reference) vs pass B: {len(ag.documents)} document(s)", ""]
    out += [f"Boilerplate: {bp.lines} line(s) labelled in both passes (A {bp.lines_a}, B {bp.lines_b})",
            f"  {'label':<12}{'agreement':>10}{'kappa':>9}",
            f"  {'role':<12}{_f(bp.role_agreement):>10}{_f(bp.role_kappa):>9}",
            f"  {'is_content':<12}{_f(bp.content_agreement):>10}{_f(bp.content_kappa):>9}", ""]
    head = f"  {'':<13}{'|A|':>5}{'|B|':>5}{'matched':>9}{'precision':>11}{'recall':>8}{'F1':>8}"

    def row(name: str, f: SpanF1) -> str:
        return (f"  {name:<13}{f.a:>5}{f.b:>5}{f.matched:>9}{_f(f.precision):>11}"
                f"{_f(f.recall):>8}{_f(f.f1):>8}")

    out += ["Entities: strict span match (start, end, type); boundary: start, end only", head,
            row("strict", en.strict), row("boundary", en.boundary)]
    out += [row(t, f) for t, f in en.by_type] + [""]
    out += ["Stance: matched instances (article: same page target span; source: same holder mention,",
            "overlapping evidence; one-to-one, most alike targets first)",
            f"  {'level':<10}{'|A|':>5}{'|B|':>5}{'matched':>9}{'agreement':>11}{'kappa':>9}{'F1':>9}"]
    for name, lv in (("article", st.article), ("source", st.source), ("overall", st.overall)):
        out.append(f"  {name:<10}{lv.a:>5}{lv.b:>5}{lv.matched:>9}{_f(lv.agreement):>11}{_f(lv.kappa):>9}"
                   f"{_f(lv.f1):>9}")
    out.append(f"  annotator claims (article level, not matchable): A {st.claims_a}, B {st.claims_b}")
    return "\n".join(out)


def render_spread(per_doc: dict[str, Agreement], cis: dict[str, tuple[float, float] | None]) -> str:
    """Per-document headline figures and the bootstrap intervals over documents."""
    names = list(HEADLINE)
    out = ["", "Per document and 95% bootstrap interval over documents (1000 resamples, seed 0):",
           f"  {'document':<18}" + "".join(f"{n.split('/')[1]:>18}" for n in names)]
    for doc_id, ag in per_doc.items():
        out.append(f"  {doc_id:<18}" + "".join(f"{_f(HEADLINE[n](ag)):>18}" for n in names))
    out.append(f"  {'interval':<18}" + "".join(
        f"{'n/a' if cis[n] is None else f'[{cis[n][0]:.3f}, {cis[n][1]:.3f}]':>18}" for n in names))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labels.agreement", description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="pass A: a pass file or a folder of pass files (the reference)")
    parser.add_argument("b", type=Path, help="pass B: a pass file or a folder of pass files")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (floats to 4 places)")
    args = parser.parse_args(argv)
    pairs = load_pairs(args.a, args.b)
    result = agreement(pairs)
    spread = len(pairs) > 1  # over one document, per-document figures and intervals say nothing more
    per_doc, cis = (per_document(pairs), intervals(pairs)) if spread else ({}, {})
    if args.json:
        out = result.to_dict(ndigits=4)
        if spread:
            out["per_document"] = {d: ag.to_dict(ndigits=4) for d, ag in per_doc.items()}
            out["intervals"] = {n: None if ci is None else [round(ci[0], 4), round(ci[1], 4)]
                                for n, ci in cis.items()}
        print(json.dumps(out, indent=1))
    else:
        print(render(result) + (render_spread(per_doc, cis) if spread else ""))
    return 0


if __name__ == "__main__":
    run(main)
