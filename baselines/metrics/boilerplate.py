"""Boilerplate metrics: content detection by line, by character and by the extracted text's tokens,
and role classification."""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

from labels import scheme
from baselines.metrics import Metric, confusion_scores, one_hot_confusion, prf, register


def _counts(aligned, weight) -> np.ndarray:
    """Per line: [tp, fp, fn] of is_content, times the line's weight."""
    g = aligned["gold_content"].to_numpy(bool)
    p = aligned["pred_content"].to_numpy(bool)
    return np.stack([g & p, ~g & p, g & ~p], axis=1) * np.asarray(weight, dtype=np.int64)[:, None]


_NON_WORD = re.compile(r"[\W_]+")


def text_tokens(text: str) -> list[str]:
    """Tokens as Dragnet's scorer cuts them (`simple_tokenizer` in dragnet/blocks.pyx: split at
    every run of non-word characters): each run of punctuation, underscores and white space
    becomes one space, then the text is split at white space. Case is kept, as there."""
    return _NON_WORD.sub(" ", text).split()


def bag_of_tokens(gold: list[str], pred: list[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) of two token bags with multiplicity: a token predicted three times and
    present twice in gold counts two hits and one false positive (Dragnet's
    `evaluation_metrics(predicted, actual, bow=False)` in dragnet/util.py)."""
    tp = sum((Counter(gold) & Counter(pred)).values())
    return tp, len(pred) - tp, len(gold) - tp


def _text_counts(aligned) -> np.ndarray:
    """Per line: its share of [tp, fp, fn] of the document's extracted text against the gold
    content text, summing over the document's lines to exactly `bag_of_tokens` of the two texts.

    The bag is the document's (a token of a wrongly kept line may match one of a wrongly
    dropped line), so a line's share is assigned the way Dragnet's loop counts: the predicted
    lines, in order, take the gold tokens they match (tp) or find none left (fp); the gold
    tokens nobody took are missed (fn) on their lines, the lines dropped by the prediction first.
    """
    out = np.zeros((len(aligned), 3), dtype=np.int64)
    tokens = [text_tokens(t) for t in aligned["text"]]
    gold, pred = aligned["gold_content"].to_numpy(bool), aligned["pred_content"].to_numpy(bool)
    for rows in aligned.groupby("doc_id", sort=False).indices.values():
        left = Counter(tok for i in rows if gold[i] for tok in tokens[i])
        for i in rows[pred[rows]]:
            for tok in tokens[i]:
                hit = left[tok] > 0
                left[tok] -= hit
                out[i, 0 if hit else 1] += 1
        for i in np.concatenate([rows[gold[rows] & ~pred[rows]], rows[gold[rows] & pred[rows]]]):
            for tok in tokens[i]:
                if left[tok] > 0:
                    left[tok] -= 1
                    out[i, 2] += 1
    return out


def _roles(aligned) -> np.ndarray:
    return one_hot_confusion(list(aligned.gold_role), list(aligned.pred_role), scheme.ROLES)


def _role_scores(s: np.ndarray) -> dict[str, float]:
    k = len(scheme.ROLES)
    return confusion_scores(s.reshape(k, k), scheme.ROLES)


register(Metric(
    "boilerplate", "content_lines", "precision, recall and F1 of is_content, one count per line",
    stats=lambda a: _counts(a, np.ones(len(a))), aggregate=lambda s: prf(*s), headline=("f1",)))
register(Metric(
    "boilerplate", "content_chars",
    "precision, recall and F1 of is_content weighted by each line's characters (CleanEval style: "
    "recall is the share of content characters kept)",
    stats=lambda a: _counts(a, a["n_chars"]), aggregate=lambda s: prf(*s), headline=("f1",)))
register(Metric(
    "boilerplate", "content_text",
    "token precision, recall and F1 of the extracted text (the lines predicted content) against the "
    "gold content text, as article-extraction benchmarks score it (Dragnet, Peters and Lecocq, WWW 2013): "
    "per document a bag of tokens with multiplicity, tokens cut at runs of non-word characters; "
    "counts pooled over documents (each count kept on the line whose token it is, for resampling)",
    stats=_text_counts, aggregate=lambda s: prf(*s), headline=("f1",)))
register(Metric(
    "boilerplate", "roles", "accuracy and macro-F1 over the ten line roles, for systems that predict roles",
    stats=_roles, aggregate=_role_scores, headline=("accuracy", "macro_f1"),
    applies=lambda a: "pred_role" in a and a["pred_role"].notna().all()))
