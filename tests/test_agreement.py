"""Inter-annotator agreement: hand-computed figures, kappa against sklearn, the CLI, the real passes."""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from sklearn.metrics import cohen_kappa_score

from conftest import ROOT, SEED_ID, cli
from labels.agreement import (HEADLINE, Agreement, KappaCounts, SpanF1, agreement, cohen_kappa, intervals,
                              load_pairs, per_document, pooled_agreement, pooled_kappa, raw_agreement,
                              stance_pairs)
from labels.cli import UserError
from labels.model import Entity, GoldDocument, LineLabel, Span, StanceInstance, load
from labels.status import Step

PASS_A = ROOT / "labels" / "passes" / "A"
PASS_B = ROOT / "labels" / "passes" / "B"


# ---------------------------------------------------------------------------- hand-built documents

def line(n: int, role: str) -> LineLabel:
    return LineLabel(n, 10 * n, 10 * n + 5, "x" * 5, role)


def ent(eid: str, start: int, end: int, etype: str) -> Entity:
    return Entity(eid, start, end, "x" * (end - start), etype)


def sp(start: int, end: int) -> Span:
    return Span(start, end, "x" * (end - start))


def page(sid: str, start: int, end: int, label: str) -> StanceInstance:
    return StanceInstance(sid, "article", "t", "page", sp(start, end), None, (), label)


def claim(sid: str, label: str) -> StanceInstance:
    return StanceInstance(sid, "article", "a claim", "annotator", None, None, (), label)


def src(sid: str, holder: str, ev: tuple[int, int], label: str) -> StanceInstance:
    return StanceInstance(sid, "source", "a claim", "annotator", None, holder, (sp(*ev),), label)


DOC_A = GoldDocument(
    "d", status="annotated", history=(Step("annotated", "A"),),
    lines=(line(0, "headline"), line(1, "body"), line(2, "body"), line(3, "navigation"),
           line(4, "body")),                                   # line 4: only in A, left out
    entities=(ent("e1", 0, 5, "PERSON"), ent("e2", 10, 15, "ORG"), ent("e3", 20, 25, "GPE"),
              ent("e4", 30, 35, "DATE")),
    stance=(page("a1", 0, 5, "agree"), page("a2", 100, 110, "unrelated"), claim("a3", "discuss"),
            src("a4", "e1", (0, 20), "agree"),
            src("a5", "e1", (50, 60), "disagree"),
            src("a6", "e3", (20, 30), "discuss"),
            src("a7", "e3", (20, 40), "agree")),
)
DOC_B = GoldDocument(
    "d", status="annotated", history=(Step("annotated", "B"),),
    lines=(line(0, "headline"), line(1, "body"), line(2, "caption"), line(3, "navigation")),
    # different ids from A: holders are matched by their mention, never by id
    entities=(ent("x1", 0, 5, "PERSON"), ent("x2", 10, 15, "GPE"), ent("x3", 20, 25, "GPE"),
              ent("x4", 40, 45, "ORG"), ent("x5", 50, 52, "CARDINAL")),
    stance=(page("b1", 100, 110, "unrelated"), page("b2", 0, 5, "disagree"),
            page("b3", 200, 210, "unrelated"),               # no page target in A at [200, 210)
            claim("b4", "agree"), claim("b5", "disagree"),
            src("b6", "x1", (19, 25), "agree"),     # same mention [0,5) as a4, shares char 19 with [0,20)
            src("b7", "x1", (60, 70), "disagree"),  # [60,70) only touches a5's [50,60): no overlap
            src("b8", "x2", (20, 30), "discuss"),   # holder [10,15): no A holder there
            src("b9", "x3", (25, 35), "agree")),    # overlaps a6 and a7; a6 comes first and takes it
)


def test_hand_built_boilerplate():
    # Lines in both: 0..3 (line 4 is in A only).
    # roles A: headline body body navigation; B: headline body caption navigation
    #   p_o = 3/4; marginals A {headline 1, body 2, navigation 1}, B {headline 1, body 1, caption 1,
    #   navigation 1}: p_e = (1*1 + 2*1 + 1*1) / 16 = 1/4; kappa = (3/4 - 1/4) / (3/4) = 2/3
    # is_content A: T T T F; B: T T F F
    #   p_o = 3/4; p_e = (3*2 + 1*2) / 16 = 1/2; kappa = (3/4 - 1/2) / (1/2) = 1/2
    bp = agreement([(DOC_A, DOC_B)]).boilerplate
    assert (bp.lines, bp.lines_a, bp.lines_b) == (4, 5, 4)
    assert bp.role_agreement == 0.75
    assert bp.role_kappa == pytest.approx(2 / 3, abs=1e-15)
    assert bp.content_agreement == 0.75
    assert bp.content_kappa == pytest.approx(1 / 2, abs=1e-15)


def test_hand_built_entities():
    # A: (0,5,PERSON) (10,15,ORG) (20,25,GPE) (30,35,DATE)                        |A| = 4
    # B: (0,5,PERSON) (10,15,GPE) (20,25,GPE) (40,45,ORG) (50,52,CARDINAL)         |B| = 5
    # strict: PERSON [0,5) and GPE [20,25) match: 2; P = 2/5, R = 2/4, F1 = 2*2/9 = 4/9
    # boundary: [0,5) [10,15) [20,25): 3; P = 3/5, R = 3/4, F1 = 2*3/9 = 2/3
    en = agreement([(DOC_A, DOC_B)]).entities
    assert en.strict == SpanF1(4, 5, 2)
    assert (en.strict.precision, en.strict.recall) == (0.4, 0.5)
    assert en.strict.f1 == pytest.approx(4 / 9, abs=1e-15)
    assert en.boundary == SpanF1(4, 5, 3)
    assert (en.boundary.precision, en.boundary.recall) == (0.6, 0.75)
    assert en.boundary.f1 == pytest.approx(2 / 3, abs=1e-15)
    # every type present in either pass, in the scheme's order
    # PERSON 1/1/1; ORG 1/1/0; GPE A 1, B 2, 1 matched: P 1/2, R 1, F1 2/3;
    # DATE A only: P undefined, R 0, F1 0; CARDINAL B only: P 0, R undefined, F1 0
    assert dict(en.by_type) == {"PERSON": SpanF1(1, 1, 1), "ORG": SpanF1(1, 1, 0), "GPE": SpanF1(1, 2, 1),
                                "DATE": SpanF1(1, 0, 0), "CARDINAL": SpanF1(0, 1, 0)}
    assert [t for t, _ in en.by_type] == ["PERSON", "ORG", "GPE", "DATE", "CARDINAL"]
    by = dict(en.by_type)
    assert (by["GPE"].precision, by["GPE"].recall) == (0.5, 1.0)
    assert by["GPE"].f1 == pytest.approx(2 / 3, abs=1e-15)
    assert by["DATE"].to_dict() == {"a": 1, "b": 0, "matched": 0, "precision": None, "recall": 0.0, "f1": 0.0}
    assert by["CARDINAL"].to_dict() == {"a": 0, "b": 1, "matched": 0, "precision": 0.0, "recall": None,
                                        "f1": 0.0}


def test_hand_built_stance():
    # article (page targets): a1[0,5) <-> b2[0,5), a2[100,110) <-> b1[100,110); b3 unmatched
    #   labels (agree, disagree), (unrelated, unrelated): p_o = 1/2
    #   A {agree 1, unrelated 1}, B {disagree 1, unrelated 1}: p_e = 1*1/4 = 1/4; kappa = (1/4)/(3/4) = 1/3
    # source: a4 <-> b6 (holder [0,5), evidence share char 19); a5 x b7 (touching, no overlap);
    #   a6 <-> b9 (holder [20,25), [20,30) & [25,35)); a7 would match b9 but a6 took it (targets equally alike: file order)
    #   b8's holder is [10,15): no match. labels (agree, agree), (discuss, agree): p_o = 1/2
    #   A {agree 1, discuss 1}, B {agree 2}: p_e = 1*2/4 = 1/2; kappa = 0 / (1/2) = 0
    # overall: 4 pairs, p_o = 2/4; A {agree 2, unrelated 1, discuss 1}, B {agree 2, disagree 1,
    #   unrelated 1}: p_e = (2*2 + 1*1) / 16 = 5/16; kappa = (8/16 - 5/16) / (11/16) = 3/11
    pairs = stance_pairs(DOC_A, DOC_B)
    assert [(x.id, y.id) for x, y in pairs["article"]] == [("a1", "b2"), ("a2", "b1")]
    assert [(x.id, y.id) for x, y in pairs["source"]] == [("a4", "b6"), ("a6", "b9")]
    st = agreement([(DOC_A, DOC_B)]).stance
    assert (st.article.a, st.article.b, st.article.matched, st.article.agreement) == (2, 3, 2, 0.5)
    assert st.article.kappa == pytest.approx(1 / 3, abs=1e-15)
    assert (st.source.a, st.source.b, st.source.matched, st.source.agreement) == (4, 4, 2, 0.5)
    assert st.source.kappa == pytest.approx(0.0, abs=1e-15)
    assert st.source.f1 == 2 * 1 / (4 + 4)  # holder and label: one of the two matched pairs agrees
    assert (st.overall.a, st.overall.b, st.overall.matched, st.overall.agreement) == (6, 7, 4, 0.5)
    assert st.overall.kappa == pytest.approx(3 / 11, abs=1e-15)
    assert (st.claims_a, st.claims_b) == (1, 2)


def test_documents_are_pooled_not_averaged():
    # The same pair twice under two ids: every count doubles, every ratio and kappa is unchanged
    # (kappa of a sequence concatenated with itself has the same p_o and marginals).
    a2, b2 = (GoldDocument("e", d.lines, d.entities, d.stance, d.status, d.history) for d in (DOC_A, DOC_B))
    one, two = agreement([(DOC_A, DOC_B)]), agreement([(DOC_A, DOC_B), (a2, b2)])
    assert two.documents == ("d", "e")
    assert two.boilerplate.lines == 8 and two.entities.strict == SpanF1(8, 10, 4)
    assert two.stance.overall.matched == 8 and two.stance.claims_b == 4
    assert two.boilerplate.role_kappa == pytest.approx(one.boilerplate.role_kappa, abs=1e-12)
    assert two.stance.overall.kappa == pytest.approx(one.stance.overall.kappa, abs=1e-12)


def test_kappa_edge_cases():
    assert cohen_kappa([], []) is None and raw_agreement([], []) is None
    assert cohen_kappa(["body"] * 3, ["body"] * 3) == 1.0   # p_e = 1 = p_o: defined as 1.0
    assert cohen_kappa(["a", "b"], ["b", "a"]) == -1.0      # p_o = 0, p_e = 1/2: -1/2 / 1/2
    with pytest.raises(ValueError):
        cohen_kappa(["a"], ["a", "b"])
    empty = GoldDocument("d", (), (), (), "annotated")
    ag = agreement([(empty, empty)])
    assert ag.boilerplate.role_kappa is None and ag.entities.strict.f1 is None
    assert ag.stance.overall.to_dict() == {"a": 0, "b": 0, "matched": 0, "agreement": None, "kappa": None,
                                           "f1": None}


def test_user_errors_in_the_pairs():
    with pytest.raises(UserError, match="different documents: d and e"):
        agreement([(DOC_A, GoldDocument("e", (), (), (), "annotated"))])
    with pytest.raises(UserError, match="given more than once"):
        agreement([(DOC_A, DOC_B), (DOC_A, DOC_B)])
    dangling = GoldDocument("d", (), (), (src("s1", "e9", (0, 5), "agree"),), "annotated")
    with pytest.raises(UserError, match="pass B: stance s1: holder 'e9' is not an entity id"):
        agreement([(DOC_A, dangling)])


# ---------------------------------------------------------------------------- kappa against sklearn

def _sk(a, b) -> float:
    return float(cohen_kappa_score(a, b))


def test_kappa_matches_sklearn_on_random_pairs():
    rng = random.Random(0)
    checked = 0
    for _ in range(500):
        k = rng.randint(2, 6)
        cats = [f"c{i}" for i in range(k)]
        weights = [rng.random() ** 2 for _ in cats]
        n = rng.randint(1, 80)
        agree = rng.random()
        a = rng.choices(cats, weights, k=n)
        b = [x if rng.random() < agree else rng.choice(cats) for x in a]
        if len(set(a) | set(b)) == 1:   # sklearn: 0/0 = nan there; ours is 1.0 by definition
            assert cohen_kappa(a, b) == 1.0
            continue
        assert abs(cohen_kappa(a, b) - _sk(a, b)) <= 1e-12, (a, b)
        # booleans, as is_content is compared
        ab, bb = [x == "c0" for x in a], [x == "c0" for x in b]
        if len(set(ab) | set(bb)) > 1:
            assert abs(cohen_kappa(ab, bb) - _sk(ab, bb)) <= 1e-12
        checked += 1
    assert checked > 450


def _real() -> tuple[GoldDocument, GoldDocument]:
    a, pa = load(PASS_A / f"{SEED_ID}.json")
    b, pb = load(PASS_B / f"{SEED_ID}.json")
    assert not pa and not pb
    return a, b


def test_kappa_matches_sklearn_on_the_real_passes():
    a, b = _real()
    roles_b = {x.line: x.role for x in b.lines}
    ra = [x.role for x in a.lines if x.line in roles_b]
    rb = [roles_b[x.line] for x in a.lines if x.line in roles_b]
    assert abs(cohen_kappa(ra, rb) - _sk(ra, rb)) <= 1e-12
    ca, cb = [r in ("headline", "subheadline", "body") for r in ra], [r in ("headline", "subheadline", "body")
                                                                        for r in rb]
    assert abs(cohen_kappa(ca, cb) - _sk(ca, cb)) <= 1e-12
    pairs = stance_pairs(a, b)
    for matched in (pairs["article"], pairs["source"], pairs["article"] + pairs["source"]):
        la, lb = [x.label for x, _ in matched], [y.label for _, y in matched]
        assert abs(cohen_kappa(la, lb) - _sk(la, lb)) <= 1e-12
    # the real roles agree perfectly; a perturbed copy checks a kappa below 1 on the real marginals
    rb2 = list(rb)
    rb2[3], rb2[5], rb2[12] = "caption", "media", "navigation"
    assert cohen_kappa(ra, rb2) < 1
    assert abs(cohen_kappa(ra, rb2) - _sk(ra, rb2)) <= 1e-12


# ---------------------------------------------------------------------------- the real passes, pinned

def test_real_passes_pinned():
    # Checked by hand against the two files:
    # lines: both passes label the same 23 lines with the same roles -> agreement 1, kappa 1.
    # entities (scheme 2: content lines only; the 37 mentions on boilerplate lines are gone from both):
    #   B = A minus EVENT "Russia-Ukraine war" [1475,1493), plus GPE "Russia" [1475,1481),
    #   GPE "Ukraine" [1482,1489) and ORG "coalition of the willing" at [723,747) and [1214,1238).
    #   |A| 29, |B| 32, matched 28 (strict and boundary alike): P 28/32, R 28/29, F1 56/61.
    # stance, article: s1 [11,81), s2 [1849,1909), s3 [2601,2721) in both, same labels: 3/3, kappa 1.
    # stance, source: A s8 (holder "China" [11,16) in the headline) has no counterpart in B; the other
    #   nine pair up. Trump's two positions ([1292,1304), same evidence) are listed in opposite orders;
    #   the targets tell them apart: A s13 "The United States should take a direct part ..." ~ B s13
    #   "The United States may take a direct part ..." (both disagree), A s14 "A ceasefire should be
    #   brokered in Ukraine." ~ B s12 "A ceasefire in Ukraine should be brokered." (both agree): 9/9
    #   agree, kappa 1.
    # overall: 12 pairs, 12 agree: agreement 1, kappa 1.
    a, b = _real()
    ag = agreement([(a, b)])
    assert ag.documents == (SEED_ID,)
    bp = ag.boilerplate
    assert (bp.lines, bp.lines_a, bp.lines_b) == (23, 23, 23)
    assert (bp.role_agreement, bp.role_kappa, bp.content_agreement, bp.content_kappa) == (1.0, 1.0, 1.0, 1.0)
    en = ag.entities
    assert en.strict == SpanF1(29, 32, 28) and en.boundary == SpanF1(29, 32, 28)
    assert en.strict.f1 == pytest.approx(56 / 61, abs=1e-15)
    assert dict(en.by_type) == {
        "PERSON": SpanF1(2, 2, 2), "NORP": SpanF1(4, 4, 4), "ORG": SpanF1(4, 6, 4),
        "GPE": SpanF1(16, 18, 16), "EVENT": SpanF1(1, 0, 0), "DATE": SpanF1(2, 2, 2),
    }
    pairs = stance_pairs(a, b)
    assert [(x.id, y.id) for x, y in pairs["article"]] == [("s1", "s1"), ("s2", "s2"), ("s3", "s3")]
    assert [(x.id, y.id) for x, y in pairs["source"]] == [
        ("s9", "s8"), ("s10", "s9"), ("s11", "s10"), ("s12", "s11"), ("s13", "s13"), ("s14", "s12"),
        ("s15", "s14"), ("s16", "s15"), ("s17", "s16")]
    st = ag.stance
    assert st.article.to_dict() == {"a": 3, "b": 3, "matched": 3, "agreement": 1.0, "kappa": 1.0,
                                    "f1": 1.0}  # 2 x 3 agreeing / (3 + 3)
    assert (st.source.a, st.source.b, st.source.matched) == (10, 9, 9)
    assert (st.source.agreement, st.source.kappa) == (1.0, 1.0)
    assert (st.overall.a, st.overall.b, st.overall.matched) == (13, 12, 12)
    assert (st.overall.agreement, st.overall.kappa) == (1.0, 1.0)
    assert (st.claims_a, st.claims_b) == (4, 4)


def test_to_dict_key_order_and_rounding():
    a, b = _real()
    d = agreement([(a, b)]).to_dict(ndigits=4)
    assert list(d) == ["documents", "boilerplate", "entities", "stance"]
    assert list(d["boilerplate"]) == ["lines", "lines_a", "lines_b", "role_agreement", "role_kappa",
                                      "content_agreement", "content_kappa"]
    assert list(d["entities"]) == ["strict", "boundary", "by_type"]
    assert list(d["stance"]) == ["article", "source", "overall", "claims_a", "claims_b"]
    assert d["entities"]["strict"] == {"a": 29, "b": 32, "matched": 28, "precision": 0.875,
                                       "recall": 0.9655, "f1": 0.918}
    assert d["stance"]["source"] == {"a": 10, "b": 9, "matched": 9, "agreement": 1.0, "kappa": 1.0,
                                     "f1": 0.9474}  # holder and label: 2 x 9 / (10 + 9)
    assert d["stance"]["overall"]["kappa"] == 1.0


# ---------------------------------------------------------------------------- CLI

TABLE = """\
Inter-annotator agreement, pass A (reference) vs pass B: 1 document(s)

Boilerplate: 23 line(s) labelled in both passes (A 23, B 23)
  label        agreement    kappa
  role            1.0000   1.0000
  is_content      1.0000   1.0000

Entities: strict span match (start, end, type); boundary: start, end only
                 |A|  |B|  matched  precision  recall      F1
  strict          29   32       28     0.8750  0.9655  0.9180
  boundary        29   32       28     0.8750  0.9655  0.9180
  PERSON           2    2        2     1.0000  1.0000  1.0000
  NORP             4    4        4     1.0000  1.0000  1.0000
  ORG              4    6        4     0.6667  1.0000  0.8000
  GPE             16   18       16     0.8889  1.0000  0.9412
  EVENT            1    0        0        n/a  0.0000  0.0000
  DATE             2    2        2     1.0000  1.0000  1.0000

Stance: matched instances (article: same page target span; source: same holder mention,
overlapping evidence; one-to-one, most alike targets first)
  level       |A|  |B|  matched  agreement    kappa       F1
  article       3    3        3     1.0000   1.0000   1.0000
  source       10    9        9     1.0000   1.0000   0.9474
  overall      13   12       12     1.0000   1.0000   0.9600
  annotator claims (article level, not matchable): A 4, B 4
"""


def test_cli_folders_table(tmp_path: Path):
    """The seed's two passes, as folders (F1 = 2 x agreeing / (|A| + |B|): 6/6, 18/19, 24/25)."""
    for name, folder in (("A", PASS_A), ("B", PASS_B)):
        (tmp_path / name).mkdir()
        shutil.copy2(folder / f"{SEED_ID}.json", tmp_path / name)
    r = cli("labels.agreement", str(tmp_path / "A"), str(tmp_path / "B"))
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == TABLE


def test_cli_files_json():
    r = cli("labels.agreement", f"labels/passes/A/{SEED_ID}.json", f"labels/passes/B/{SEED_ID}.json", "--json")
    assert (r.returncode, r.stderr) == (0, "")
    assert json.loads(r.stdout) == agreement([_real()]).to_dict(ndigits=4)
    assert list(json.loads(r.stdout)) == ["documents", "boilerplate", "entities", "stance"]


def _fails(*args: str, cwd: Path = ROOT) -> str:
    r = cli("labels.agreement", *args, cwd=cwd)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1
    return r.stderr


def test_cli_missing_file():
    assert "nope.json: no such file or folder" in _fails("labels/passes/A/nope.json", f"labels/passes/B/{SEED_ID}.json")


def test_cli_file_and_folder():
    assert "give two pass files or two folders" in _fails(f"labels/passes/A/{SEED_ID}.json", "labels/passes/B")


def test_cli_mismatched_folders(tmp_path: Path):
    a, b = tmp_path / "A", tmp_path / "B"
    a.mkdir(), b.mkdir()
    shutil.copy2(PASS_A / f"{SEED_ID}.json", a)
    shutil.copy2(PASS_B / f"{SEED_ID}.json", b)
    (b / "0123456789abcdef.json").write_text((PASS_B / f"{SEED_ID}.json").read_text(encoding="utf-8")
                                             .replace(SEED_ID, "0123456789abcdef"), encoding="utf-8")
    err = _fails(str(a), str(b))
    assert f"document 0123456789abcdef is in {b} but not in {a}" in err
    with pytest.raises(UserError, match="0123456789abcdef"):
        load_pairs(a, b)


def test_cli_empty_folders_and_bad_json(tmp_path: Path):
    a, b = tmp_path / "A", tmp_path / "B"
    a.mkdir(), b.mkdir()
    assert "no pass files" in _fails(str(a), str(b))
    (a / "x.json").write_text("{not json", encoding="utf-8")
    shutil.copy2(a / "x.json", b / "x.json")
    assert "not valid JSON" in _fails(str(a), str(b))


def test_cli_different_documents(tmp_path: Path):
    other = tmp_path / "other.json"
    other.write_text((PASS_B / f"{SEED_ID}.json").read_text(encoding="utf-8")
                     .replace(SEED_ID, "0123456789abcdef"), encoding="utf-8")
    assert "different documents" in _fails(f"labels/passes/A/{SEED_ID}.json", str(other))


def test_agreement_is_a_frozen_dataclass():
    ag = agreement([(DOC_A, DOC_B)])
    assert isinstance(ag, Agreement)
    with pytest.raises(AttributeError):
        ag.documents = ()  # type: ignore[misc]


# ---------------------------------------------------------------------------- over documents

def _copy(doc: GoldDocument, doc_id: str, **changes) -> GoldDocument:
    from dataclasses import replace
    return replace(doc, doc_id=doc_id, **changes)


def test_per_document_figures_and_bootstrap_intervals_over_documents():
    # Document d: the DOC_A/DOC_B pair above. Document e: pass B equals pass A, so every figure is 1.
    pairs = [(DOC_A, DOC_B), (_copy(DOC_A, "e"), _copy(DOC_A, "e"))]
    per = per_document(pairs)
    assert list(per) == ["d", "e"]
    assert per["d"] == agreement([(DOC_A, DOC_B)])
    # e alone: 5 lines, 4 mentions, 7 instances (6 matchable pairs + 1 claim), all agreeing.
    assert per["e"].entities.strict == SpanF1(4, 4, 4)
    assert (per["e"].boilerplate.role_kappa, per["e"].stance.overall.agreement) == (1.0, 1.0)
    cis = intervals(pairs, resamples=200, seed=1)
    # Every resample pools some mix of d and e: each bound lies between d's figure and e's (1.0).
    for name, figure in HEADLINE.items():
        low, high = cis[name]
        assert min(figure(per["d"]), 1.0) <= low <= high <= 1.0
    # A resample of e twice is all agreement: the upper bound of strict F1 is exactly 1.
    assert cis["entities/strict_f1"][1] == 1.0
    assert intervals(pairs, resamples=200, seed=1) == cis  # seeded
    same = [(_copy(DOC_A, x), _copy(DOC_B, x)) for x in "dxy"]
    assert intervals(same, resamples=50)["entities/strict_f1"] == (per["d"].entities.strict.f1,) * 2


def test_a_resample_pools_the_documents_as_drawn_each_draw_counting():
    """Each document is matched once (its share) and a resample pools the shares of its draws: the same
    figures as the drawn documents' labels pooled from scratch."""
    import numpy as np

    from labels import agreement as module

    pairs = [(DOC_A, DOC_B), (_copy(DOC_A, "e"), _copy(DOC_A, "e")), (_copy(DOC_A, "f"), _copy(DOC_B, "f"))]
    drawn = [pairs[0], pairs[0], pairs[2], pairs[1]]
    pooled, per = module._pooled(drawn), per_document(pairs)
    assert pooled.documents == ("d", "d", "f", "e")
    assert pooled.entities.strict == SpanF1(*(sum(getattr(per[a.doc_id].entities.strict, k) for a, _ in drawn)
                                              for k in ("a", "b", "matched")))
    assert pooled.stance.overall.matched == sum(per[a.doc_id].stance.overall.matched for a, _ in drawn)

    def roles(a, b):
        by_line = {(x.line, x.start, x.end): x.role for x in b.lines}
        return [(x.role, by_line[k]) for x in a.lines if (k := (x.line, x.start, x.end)) in by_line]

    both = [r for a, b in drawn for r in roles(a, b)]
    assert pooled.boilerplate.lines == len(both) and pooled.boilerplate.lines_a == 4 * len(DOC_A.lines)
    assert pooled.boilerplate.role_kappa == pytest.approx(cohen_kappa_score(*zip(*both)), abs=1e-12)
    rng, draws = np.random.default_rng(4), {name: [] for name in HEADLINE}
    for _ in range(30):
        ag = module._pooled([pairs[i] for i in rng.integers(0, 3, 3)])
        for name, figure in HEADLINE.items():
            draws[name].append(figure(ag))
    assert intervals(pairs, resamples=30, seed=4) == {
        name: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) for name, v in draws.items()}


_PARTS = st.lists(st.integers(0, 12).flatmap(lambda n: st.tuples(
    st.lists(st.sampled_from("abcd"), min_size=n, max_size=n), st.lists(st.sampled_from("abce"), min_size=n, max_size=n))),
    max_size=5)


@settings(max_examples=300, deadline=None)
@given(_PARTS)
def test_kappa_pooled_from_counts_is_the_kappa_of_the_joined_sequences_bit_for_bit(parts):
    joined_a, joined_b = [x for a, _ in parts for x in a], [y for _, b in parts for y in b]
    assert pooled_kappa([KappaCounts.of(a, b) for a, b in parts]) == cohen_kappa(joined_a, joined_b)
    assert pooled_agreement([KappaCounts.of(a, b) for a, b in parts]) == raw_agreement(joined_a, joined_b)


def test_intervals_on_the_real_passes_are_those_of_each_resample_pooled_from_scratch():
    """Resamples take their figures from the drawn documents' counts; pooling every drawn document's
    labels again gives the same intervals, exactly (every pair of passes whose page is at hand)."""
    import numpy as np

    from labels import agreement as module

    pairs = load_pairs(PASS_A, PASS_B)
    assert len(pairs) >= 10
    rng, draws = np.random.default_rng(3), {name: [] for name in HEADLINE}
    for _ in range(200):
        ag = module._pooled([pairs[i] for i in rng.integers(0, len(pairs), len(pairs))])
        for name, figure in HEADLINE.items():
            if figure(ag) is not None:
                draws[name].append(figure(ag))
    assert intervals(pairs, resamples=200, seed=3) == {
        name: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) for name, v in draws.items()}


def test_a_draft_is_refused():
    draft = _copy(DOC_B, "d", status="draft", history=(Step("drafted", "capitalised"),))
    with pytest.raises(UserError, match="^d: pass B is a draft: agreement is measured between people's "
                                        "independent passes, never against the draft a pass was made from$"):
        agreement([(DOC_A, draft)])


def test_cli_over_two_documents_prints_the_spread(tmp_path):
    for side in "AB":
        (tmp_path / side).mkdir()
        for doc_id in (SEED_ID, "0000000000000000"):
            data = json.loads((ROOT / "labels" / "passes" / side / f"{SEED_ID}.json").read_text(encoding="utf-8"))
            data["doc_id"] = doc_id
            (tmp_path / side / f"{doc_id}.json").write_text(json.dumps(data), encoding="utf-8")
    r = cli("labels.agreement", str(tmp_path / "A"), str(tmp_path / "B"), "--json")
    assert (r.returncode, r.stderr) == (0, "")
    out = json.loads(r.stdout)
    assert list(out["per_document"]) == ["0000000000000000", SEED_ID]
    # both documents are the same pair: every resample gives the same figures, a zero-width interval
    assert out["intervals"]["entities/strict_f1"] == [0.918, 0.918]
    assert out["intervals"]["boilerplate/role_kappa"] == [1.0, 1.0]
    table = cli("labels.agreement", str(tmp_path / "A"), str(tmp_path / "B")).stdout
    assert "Per document and 95% bootstrap interval over documents" in table
    assert f"  {SEED_ID}" in table
