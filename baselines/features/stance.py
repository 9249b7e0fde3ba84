"""Stance features after the FNC-1 baseline (fnc-1-baseline/feature_engineering.py): word overlap,
refuting words, polarity and co-occurrence counts, plus the cue counts the rule system reads.

A pure function of (target, context) with its own tokeniser and crude lemmatiser, so nothing
(no NLTK data) has to be downloaded.
"""
from __future__ import annotations

import re

# FNC-1's refuting words, plus "denied": the original lemmatised with WordNet's noun lemmatiser,
# which leaves verbs alone, so only the listed spellings ever matched; its list lacks the past tense.
REFUTING_WORDS: tuple[str, ...] = (
    "fake", "fraud", "hoax", "false", "deny", "denies", "denied", "not", "despite", "nope",
    "doubt", "doubts", "bogus", "debunk", "pranks", "retract")
# Verbs and adjectives with which a source rejects a claim (source level; also "refuting" near the target).
DENIAL_CUES = frozenset({
    "deny", "denies", "denied", "denying", "reject", "rejects", "rejected", "rejecting",
    "refute", "refutes", "refuted", "refuting", "dismiss", "dismisses", "dismissed", "dismissing",
    "untrue", "false", "debunk", "debunked"})
# Reporting verbs with which a source asserts what it says.
ASSERT_CUES = frozenset({
    "said", "says", "say", "reported", "reports", "confirmed", "confirms", "claims", "claimed",
    "stated", "states", "announced", "stressed", "insisted", "told"})
# Words that report a claim without vouching for it (FNC-1's "discuss").
HEDGE_CUES = frozenset({
    "reportedly", "allegedly", "alleged", "may", "might", "could", "possible", "possibly", "unclear",
    "unconfirmed", "rumor", "rumors", "rumour", "rumours", "speculation", "according"})
_REFUTING = frozenset(REFUTING_WORDS) | DENIAL_CUES

# Function words left out of "content words" (coverage, nearness); single letters are left out too.
STOPWORDS = frozenset("""
a about after again against all also an and any are as at be because been before being between both
but by can did do does during each either for from further had has have he her here hers him his how
i if in into is it its itself me more most my neither no nor not of off on once only or other our out
over own same she should so some such than that the their them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your
""".split())

EARLY_TOKENS = 50    # FNC-1's "early" hits look at the first 255 characters: about 50 tokens
NEAR_WINDOW = 10     # a cue is "near" the target within 10 tokens either side: about one clause
NEAR_MIN = 2         # ... if at least 2 distinct target content words fall in that window
NGRAM_SIZES = (2, 3, 4)

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, possessive 's dropped; hyphens and dots split ("U.S." -> u, s)."""
    return [_POSSESSIVE.sub("", t) for t in _TOKEN.findall(text.lower())]


def lemma(token: str) -> str:
    """A crude plural stripper standing in for WordNet's noun lemmatiser: goods -> good, allies -> ally."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def content(lemmas: list[str]) -> set[str]:
    return {w for w in lemmas if len(w) > 1 and w not in STOPWORDS}


def _ngrams(seq: list[str], n: int) -> list[tuple[str, ...]]:
    return list(zip(*(seq[i:] for i in range(n))))


def _near(cues: frozenset[str], target_words: set[str], context: str) -> int:
    """How many cue tokens in the context have at least NEAR_MIN target content words within
    NEAR_WINDOW tokens of the same line (a paragraph's cue does not speak of the next one)."""
    hits = 0
    for line in context.split("\n"):
        toks = tokens(line)
        lemmas = [lemma(t) for t in toks]
        for i, tok in enumerate(toks):
            if tok in cues:
                window = lemmas[max(0, i - NEAR_WINDOW):i] + lemmas[i + 1:i + 1 + NEAR_WINDOW]
                hits += len(target_words.intersection(window)) >= NEAR_MIN
    return hits


def features(target: str, context: str) -> dict[str, float]:
    """Named features of one (target, context) pair, in a fixed order; the target plays FNC-1's headline."""
    t_tok, c_tok = tokens(target), tokens(context)
    t_lem, c_lem = [lemma(t) for t in t_tok], [lemma(t) for t in c_tok]
    t_set, c_set, early = set(t_lem), set(c_lem), set(c_lem[:EARLY_TOKENS])
    t_content = content(t_lem)
    union = t_set | c_set
    out = {
        "overlap": len(t_set & c_set) / len(union) if union else 0.0,
        "coverage": len(t_content & c_set) / len(t_content) if t_content else 0.0,
    }
    out.update({f"refuting_{w}": float(w in t_tok) for w in REFUTING_WORDS})
    out["polarity_target"] = float(sum(t in REFUTING_WORDS for t in t_tok) % 2)
    out["polarity_context"] = float(sum(t in REFUTING_WORDS for t in c_tok) % 2)
    out["cooc"] = float(sum(w in c_set for w in t_lem))
    out["cooc_early"] = float(sum(w in early for w in t_lem))
    for n in NGRAM_SIZES:
        grams, early_grams = set(_ngrams(c_lem, n)), set(_ngrams(c_lem[:EARLY_TOKENS], n))
        t_grams = _ngrams(t_lem, n)
        out[f"ngram{n}"] = float(sum(g in grams for g in t_grams))
        out[f"ngram{n}_early"] = float(sum(g in early_grams for g in t_grams))
    out["near_refuting"] = float(_near(_REFUTING, t_content, context))
    out["near_hedge"] = float(_near(HEDGE_CUES, t_content, context))
    out["denial_target"] = float(sum(t in DENIAL_CUES for t in t_tok))
    out["denial_context"] = float(sum(t in DENIAL_CUES for t in c_tok))
    out["assert_context"] = float(sum(t in ASSERT_CUES for t in c_tok))
    return out
