"""Quote attribution: who takes a position in a sentence, and which of them holds a given claim.

The rules (nothing is learned) were written from the guidelines' list of positions ("said,
denied, claimed, reported, accused, rejected and the like") and ordinary English reporting
patterns ("X said", "said X", "according to X"), without looking at any test page: a speech
cue's holder is the nearest run of capitalised words in its sentence (titles dropped), found
with the `capitalised` entity system's run finder. Each claim is given the attributed holder
whose line shares the most of its content words; every claim asked about has a holder (the
end-to-end protocol says so), so one is always chosen where the page has any.
"""
from __future__ import annotations

from dataclasses import dataclass

from labels.tokens import Token, tokenize
from baselines.features.stance import STOPWORDS, lemma, tokens
from baselines.features.tokens import SENTENCE_END
from baselines.systems.entities import FUNCTION_WORDS, TITLES, Capitalised, numeric_spans

SPEECH_VERBS = frozenset("""
say says said saying tell tells told add adds added state states stated announce announces announced
deny denies denied claim claims claimed report reports reported accuse accuses accused reject rejects
rejected insist insists insisted stress stresses stressed note notes noted argue argues argued warn
warns warned confirm confirms confirmed explain explains explained declare declares declared dismiss
dismisses dismissed refute refutes refuted urge urges urged write writes wrote emphasize emphasizes
emphasized emphasise emphasises emphasised criticize criticizes criticized criticise criticises
criticised condemn condemns condemned acknowledge acknowledges acknowledged admit admits admitted
believe believes believed maintain maintains maintained think thinks thought suggest suggests suggested
comment comments commented tweet tweets tweeted post posts posted blog blogs blogged advise advises advised
analyze analyzes analyzed analyse analyses analysed predict predicts predicted describe describes described
call calls called praise praises praised welcome welcomes welcomed blame blames blamed complain complains
complained point points pointed observe observes observed conclude concludes concluded respond responds
responded reply replies replied answer answers answered react reacts reacted express expresses expressed
continue continues continued highlight highlights highlighted wonder wonders wondered refuse refuses refused
publish publishes published offer offers offered compare compares compared agree agrees agreed disagree
disagrees disagreed hope hopes hoped question questions questioned ask asks asked
""".split())
MAX_GAP = 12        # tokens between a speech verb and its holder: about one clause
MAX_COLON_GAP = 4   # "Name:" or "Name [Ar]:" introducing what the holder wrote or said
TURN_LINES = 5      # a holder's words: from the attributing sentence up to the next one, at most 5 lines on


@dataclass(frozen=True)
class Attribution:
    start: int          # the holder's span in the page text
    end: int
    line: tuple[int, int]
    sentence: tuple[int, int]
    turn: tuple[int, int]   # the sentence and what follows it up to the next attribution (TURN_LINES at most)


def _sentences(toks: list[Token]) -> list[list[Token]]:
    out, current = [], []
    for t in toks:
        current.append(t)
        if t.text in SENTENCE_END:
            out.append(current)
            current = []
    return out + ([current] if current else [])


def _names(text: str, sentence: list[Token]) -> list[tuple[int, int]]:
    """Token ranges [i, j) of capitalised runs in the sentence, leading titles left out; not a lone
    function word ("We") nor a bracketed tag ("[Ar]", a link's language)."""
    if not sentence:
        return []
    numeric = numeric_spans(text, sentence[0].start, sentence[-1].end)
    out = []
    for i, j in Capitalised._runs(sentence, numeric):
        while i < j and sentence[i].text.lower() in TITLES:
            i += 1
        lone_word = j - i == 1 and sentence[i].text.lower() in FUNCTION_WORDS
        bracketed = (0 < i and j < len(sentence)
                     and sentence[i - 1].text in ("(", "[") and sentence[j].text in (")", "]"))
        if i < j and not lone_word and not bracketed:
            out.append((i, j))
    return out


@dataclass(frozen=True)
class Cue:
    at: int          # token index
    before: bool     # the holder may stand before it
    after: bool      # ... or after it
    max_gap: int


def _cues(sentence: list[Token]) -> list[Cue]:
    """Speech verbs (holder on either side), "according to" (holder after), a colon (holder before)."""
    out = []
    for k, t in enumerate(sentence):
        word = t.text.lower()
        if word == "according" and k + 1 < len(sentence) and sentence[k + 1].text.lower() == "to":
            out.append(Cue(k + 1, False, True, MAX_GAP))
        elif word in SPEECH_VERBS:
            out.append(Cue(k, True, True, MAX_GAP))
        elif word == ":":
            out.append(Cue(k, True, False, MAX_COLON_GAP))
    return out


def _holder(names: list[tuple[int, int]], cue: Cue) -> tuple[int, int] | None:
    """The nearest name within the cue's gap; on a tie the one before it (the subject)."""
    best = None
    for i, j in names:
        if j <= cue.at and cue.before:
            gap, side = cue.at - j, 0
        elif i > cue.at and cue.after:
            gap, side = i - cue.at - 1, 1
        else:
            continue
        if gap <= cue.max_gap and (best is None or (gap, side) < best[0]):
            best = ((gap, side), (i, j))
    return None if best is None else best[1]


def attributions(text: str, lines: list[tuple[int, int]]) -> list[Attribution]:
    """Every (holder, sentence) a speech cue attributes, in page order, once per holder span and sentence."""
    found: dict[tuple[int, int, int], tuple[int, tuple[int, int]]] = {}
    for k, line in enumerate(lines):
        for sentence in _sentences(tokenize(text, *line)):
            names = _names(text, sentence)
            for cue in _cues(sentence):
                hit = _holder(names, cue)
                if hit is not None:
                    found.setdefault((sentence[0].start, sentence[hit[0]].start, sentence[hit[1] - 1].end),
                                     (k, (sentence[0].start, sentence[-1].end)))
    keys = sorted(found)
    out = []
    for n, key in enumerate(keys):
        k, sentence = found[key]
        following = [s for s, *_ in keys[n + 1:] if s > sentence[0]]
        end = min(following[:1] + [lines[min(k + TURN_LINES - 1, len(lines) - 1)][1]])
        out.append(Attribution(key[1], key[2], lines[k], sentence, (sentence[0], max(end, sentence[1]))))
    return sorted(out, key=lambda a: (a.start, a.end, a.sentence))


def _content(text: str) -> set[str]:
    return {lemma(t) for t in tokens(text) if t not in STOPWORDS and len(t) > 1}


def holder_of(claim: str, text: str, found: list[Attribution]) -> Attribution | None:
    """The attribution whose turn, then sentence, holds the largest share of the claim's content
    words; ties go to the first on the page."""
    words = _content(claim) or {""}

    def share(span: tuple[int, int]) -> float:
        return len(words & _content(text[span[0]:span[1]])) / len(words)

    return max(found, key=lambda a: (share(a.turn), share(a.sentence), -a.start), default=None)
