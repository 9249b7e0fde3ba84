"""Normalisation, content ids, line units and the token view of entity spans (exact values)."""
from __future__ import annotations

import hashlib
import json
import random

import pytest

from conftest import SEED_GOLD, SEED_ID, SEED_RAW
from labels.text import Line, NotPlainText, doc_id_of, normalise, units
from labels.tokens import Token, iob2_to_spans, spans_to_iob2, tokenize


# --- normalisation -------------------------------------------------------------------------

def test_bom_is_dropped():
    assert normalise(b"\xef\xbb\xbfNews") == "News"


def test_only_the_leading_bom_is_dropped():
    # "nothing more": a second BOM is content, not encoding
    assert normalise(b"\xef\xbb\xbf\xef\xbb\xbfNews") == "\ufeffNews"
    assert normalise("a\ufeffb".encode()) == "a\ufeffb"


def test_crlf_and_cr_become_lf():
    assert normalise(b"a\r\nb\rc\nd\r\n\r\ne\r") == "a\nb\nc\nd\n\ne\n"
    assert normalise(b"x\r\r\ny") == "x\n\ny"  # CR then CRLF: two breaks, not one


def test_nfc():
    assert normalise("Ukrai\u0308ner e\u0301".encode()) == "Ukra\u00efner \u00e9"
    assert normalise("\u212b".encode()) == "\u00c5"  # ANGSTROM SIGN -> A WITH RING


def test_nothing_else_changes():
    text = "  tab\there\u00a0nbsp\u2028ls trailing  \n\n\n"
    assert normalise(text.encode()) == text


def test_not_utf8_raises():
    with pytest.raises(NotPlainText, match=r"^not UTF-8 \(byte 3\)"):
        normalise(b"caf\xe9\n")


# --- content ids ---------------------------------------------------------------------------

def test_seed_doc_id_is_stable():
    raw = SEED_RAW.read_bytes()
    assert doc_id_of(normalise(raw)) == SEED_ID == "74c56bf1e5b05a7b"
    assert hashlib.sha256(raw).hexdigest().startswith(SEED_ID)  # stored page is already normal


def test_doc_id_exact_values():
    assert doc_id_of("") == "e3b0c44298fc1c14"
    assert doc_id_of("abc") == "ba7816bf8f01cfea"
    assert doc_id_of("\u00e9") == hashlib.sha256("\u00e9".encode()).hexdigest()[:16] == "4a99557e4033c353"  # sha256sum of C3 A9


def test_doc_id_ignores_encoding_noise():
    text = normalise(SEED_RAW.read_bytes())
    noisy = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    decomposed = "\ufeff".encode() + text.replace("\u00ef", "i\u0308").replace("\n", "\r").encode()
    assert "\u00ef" in text  # "Ukraïner" in the author box
    assert doc_id_of(normalise(noisy)) == SEED_ID
    assert doc_id_of(normalise(decomposed)) == SEED_ID
    assert doc_id_of(text + "\n") != SEED_ID


# --- line units ----------------------------------------------------------------------------

def test_units_exact():
    assert units("a\n\n  \nb c \n\tx") == [
        Line(0, 0, 1, "a"), Line(3, 6, 10, "b c "), Line(4, 11, 13, "\tx"),
    ]
    assert units("") == []
    assert units("\n \n") == []
    assert units("x\n") == [Line(0, 0, 1, "x")]


def test_units_of_seed_match_gold_lines():
    text = normalise(SEED_RAW.read_bytes())
    got = units(text)
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))["lines"]
    assert len(text) == 2862
    assert len(got) == 23
    assert got[0] == Line(0, 0, 9, "News Feed")
    assert got[-1] == Line(37, 2853, 2862, "Show More")
    assert [(u.line, u.start, u.end, u.text) for u in got] == [(g["line"], g["start"], g["end"], g["text"]) for g in gold]
    for u in got:
        assert text[u.start:u.end] == u.text and "\n" not in u.text and u.text.strip()


# --- tokeniser ---------------------------------------------------------------------------

def test_tokenize_exact():
    text = "The U.S. said it's 1,000.5 Ukraine's pre-war Ukraïner: $5. don’t 3rd"
    assert [(t.start, t.end, t.text) for t in tokenize(text)] == [
        (0, 3, "The"), (4, 8, "U.S."), (9, 13, "said"), (14, 16, "it"), (16, 18, "'s"),
        (19, 26, "1,000.5"), (27, 34, "Ukraine"), (34, 36, "'s"), (37, 44, "pre-war"),
        (45, 53, "Ukraïner"), (53, 54, ":"), (55, 56, "$"), (56, 57, "5"), (57, 58, "."),
        (59, 64, "don’t"), (65, 68, "3rd"),
    ]


def test_tokenize_window_and_cuts():
    assert tokenize("ab cd ef gh", 3, 8) == [Token(3, 5, "cd"), Token(6, 8, "ef")]
    assert [t.text for t in tokenize("Russia-Ukraine war", cuts=[7])] == ["Russia-", "Ukraine", "war"]
    assert [t.text for t in tokenize("Russia-Ukraine war", cuts=[0, 7, 14, 18, 99])] == ["Russia-", "Ukraine", "war"]
    # a cut splits a token even where the tokeniser would keep it whole
    assert tokenize("U.S.", cuts=[1, 3]) == [Token(0, 1, "U"), Token(1, 3, ".S"), Token(3, 4, ".")]


def test_spans_to_iob2_exact():
    text = "U.S. President Donald Trump met Guo Jiakun"
    spans = [(0, 4, "GPE"), (15, 27, "PERSON"), (32, 42, "PERSON")]
    tokens = tokenize(text, cuts=[c for s in spans for c in s[:2]])
    tags = spans_to_iob2(tokens, spans)
    assert list(zip([t.text for t in tokens], tags)) == [
        ("U.S.", "B-GPE"), ("President", "O"), ("Donald", "B-PERSON"), ("Trump", "I-PERSON"),
        ("met", "O"), ("Guo", "B-PERSON"), ("Jiakun", "I-PERSON"),
    ]
    assert iob2_to_spans(tokens, tags) == spans


def test_adjacent_same_type_spans_stay_apart():
    text = "US-Russia talks"
    spans = [(0, 2, "GPE"), (3, 9, "GPE")]
    tokens = tokenize(text, cuts=[0, 2, 3, 9])
    assert [t.text for t in tokens] == ["US", "-", "Russia", "talks"]
    assert spans_to_iob2(tokens, spans) == ["B-GPE", "O", "B-GPE", "O"]
    touching = [(0, 2, "GPE"), (2, 9, "GPE")]
    tokens = tokenize(text, cuts=[0, 2, 9])
    tags = spans_to_iob2(tokens, touching)
    assert tags == ["B-GPE", "B-GPE", "O"]
    assert iob2_to_spans(tokens, tags) == touching


def test_spans_off_token_boundaries_are_refused():
    tokens = tokenize("Chinese Foreign Ministry")
    with pytest.raises(ValueError, match=r"\[1, 7\) does not start on a token boundary"):
        spans_to_iob2(tokens, [(1, 7, "NORP")])
    with pytest.raises(ValueError, match=r"\[0, 10\) does not end on a token boundary"):
        spans_to_iob2(tokens, [(0, 10, "ORG")])
    with pytest.raises(ValueError, match=r"\[16, 30\) does not end on a token boundary"):
        spans_to_iob2(tokens, [(16, 30, "ORG")])


def test_iob2_decoding_is_strict():
    toks = [Token(i * 2, i * 2 + 1, "x") for i in range(5)]
    assert iob2_to_spans(toks, ["I-PER", "I-PER", "O", "O", "O"]) == []
    assert iob2_to_spans(toks, ["B-PER", "I-ORG", "I-PER", "O", "B-ORG"]) == [(0, 1, "PER"), (8, 9, "ORG")]
    assert iob2_to_spans(toks, ["B-PER", "I-PER", "I-PER", "B-PER", "I-PER"]) == [(0, 5, "PER"), (6, 9, "PER")]
    assert iob2_to_spans(toks, ["O"] * 5) == []


def test_seed_entities_round_trip_per_line():
    text = normalise(SEED_RAW.read_bytes())
    entities = json.loads(SEED_GOLD.read_text(encoding="utf-8"))["entities"]
    total = 0
    for u in units(text):
        inside = [(e["start"], e["end"], e["type"]) for e in entities if u.start <= e["start"] < u.end]
        tokens = tokenize(text, u.start, u.end, [c for s in inside for c in s[:2]])
        assert iob2_to_spans(tokens, spans_to_iob2(tokens, inside)) == sorted(inside)
        total += len(inside)
    assert total == len(entities) == 29  # scheme 2: mentions in the content lines only


_PIECES = list("abcXYZé019 .,-'’$%:\"()\u00a0") + ["U.S.", "’s", "'s", "3.5", "1,000", "\t", "Ukraïner", "  "]
_TYPES = ["PERSON", "ORG", "GPE", "DATE"]


def _random_case(rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """Text of random pieces and flat spans whose first and last characters are not white space."""
    text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 30)))
    solid = [i for i, c in enumerate(text) if not c.isspace()]
    spans, pos = [], 0
    while rng.random() < 0.8:
        starts = [i for i in solid if i >= pos]
        if not starts:
            break
        a = rng.choice(starts[:6])
        b = rng.choice([i + 1 for i in solid if i >= a][:8])
        spans.append((a, b, rng.choice(_TYPES)))
        pos = b + rng.randint(0, 2)
    return text, spans


def test_round_trip_property():
    rng = random.Random(0)
    checked = spans_seen = 0
    for _ in range(2000):
        text, spans = _random_case(rng)
        tokens = tokenize(text, 0, len(text), [c for s in spans for c in s[:2]])
        for t in tokens:
            assert t.start < t.end and t.text == text[t.start:t.end] and not any(c.isspace() for c in t.text)
        # every non-space character is in exactly one token
        covered = [i for t in tokens for i in range(t.start, t.end)]
        assert covered == [i for i, c in enumerate(text) if not c.isspace()]
        assert iob2_to_spans(tokens, spans_to_iob2(tokens, spans)) == spans, (text, spans)
        checked += 1
        spans_seen += len(spans)
    assert checked == 2000 and spans_seen > 4000


def test_round_trip_property_in_a_window():
    """As rows.py calls it: a line of a larger document, document offsets throughout."""
    rng = random.Random(0)
    for _ in range(300):
        before, _ = _random_case(rng)
        line, spans = _random_case(rng)
        after, _ = _random_case(rng)
        off = len(before) + 1
        doc = before.replace("\n", " ") + "\n" + line + "\n" + after
        shifted = [(a + off, b + off, t) for a, b, t in spans]
        tokens = tokenize(doc, off, off + len(line), [c for s in shifted for c in s[:2]])
        assert all(off <= t.start and t.end <= off + len(line) for t in tokens)
        assert iob2_to_spans(tokens, spans_to_iob2(tokens, shifted)) == shifted
