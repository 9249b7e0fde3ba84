"""Is the numpy token-view scorer exact and fast? Score the same generated tags with seqeval and with it.

    python benchmarks/entity_scorer.py [--tokens 1000000] [--seed 0]

Gold tags are generated as runs of O and entities of 1-4 tokens (about a sixth of
tokens in entities, four CoNLL types, sentences of 5-39 tokens cut anywhere, so
some gold sentences open with an I- tag). Predictions copy the gold and perturb it
the way taggers err: type swaps (also inside a chunk), B- turned I- (an I- without
B-), dropped and spurious tokens, split chunks. seqeval's strict IOB2
`classification_report` and `baselines.metrics.token_view.strict_scores` score the
same lists; the script fails unless every micro and per-type value is identical.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

TYPES = ("PER", "ORG", "LOC", "MISC")
NAMES = np.array(["O"] + [f"{p}-{t}" for t in TYPES for p in ("B", "I")], dtype=object)


def _begin_code(t: np.ndarray) -> np.ndarray:
    """Code of B-TYPES[t] in NAMES (I- is the code after it)."""
    return 1 + 2 * t


def generate(n_tokens: int, seed: int) -> tuple[list[list[str]], list[list[str]]]:
    """(gold, predicted) tag sentences of n_tokens tokens in all; a pure function of the seed."""
    rng = np.random.default_rng(seed)
    n_seg = n_tokens // 3 + 10  # alternating O runs (mean 5) and entities (mean 1.6): ~3.3 tokens a segment
    o_len = rng.geometric(1 / 5, n_seg)
    e_len = rng.choice([1, 2, 3, 4], n_seg, p=[0.55, 0.3, 0.1, 0.05])
    e_type = rng.choice(len(TYPES), n_seg, p=[0.35, 0.3, 0.25, 0.1])
    seg_len = np.stack([o_len, e_len], axis=1).ravel()
    seg_code = np.stack([np.zeros(n_seg, np.int64), _begin_code(e_type)], axis=1).ravel()
    seg_first = np.cumsum(seg_len) - seg_len
    gold = np.repeat(seg_code, seg_len)
    inside = (gold > 0) & (np.arange(len(gold)) != np.repeat(seg_first, seg_len))
    gold[inside] += 1  # tokens after an entity's first: B-X -> I-X
    gold = gold[:n_tokens]

    pred = gold.copy()
    u = rng.random(n_tokens)
    ent = pred > 0
    typ = (pred - 1) // 2
    swap = ent & (u < 0.03)
    pred[swap] = pred[swap] - 2 * typ[swap] + 2 * ((typ[swap] + rng.integers(1, len(TYPES), swap.sum())) % len(TYPES))
    pred[ent & (pred % 2 == 1) & (u >= 0.03) & (u < 0.05)] += 1          # B- -> I-: an I- without its B-
    pred[ent & (pred % 2 == 0) & (u >= 0.05) & (u < 0.07)] -= 1          # I- -> B-: a split chunk
    pred[ent & (u >= 0.07) & (u < 0.09)] = 0                              # missed token
    spurious = ~ent & (u < 0.015)
    pred[spurious] = _begin_code(rng.integers(0, len(TYPES), spurious.sum())) + (u[spurious] < 0.003)

    lengths = rng.integers(5, 40, n_tokens // 5 + 1)
    cuts = np.cumsum(lengths)
    cuts = np.append(cuts[cuts < n_tokens], n_tokens)
    bounds = list(zip(np.append(0, cuts[:-1]).tolist(), cuts.tolist()))
    g, p = NAMES[gold], NAMES[pred]
    return [g[a:b].tolist() for a, b in bounds], [p[a:b].tolist() for a, b in bounds]


def seqeval_strict(true_tags: list[list[str]], pred_tags: list[list[str]]) -> dict[str, float]:
    """seqeval's strict IOB2 classification report in strict_scores' keys (micro and per type)."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # UndefinedMetricWarning for types never predicted
        report = classification_report(true_tags, pred_tags, mode="strict", scheme=IOB2, output_dict=True)
    out: dict[str, float] = {}
    for name, row in report.items():
        if name in ("macro avg", "weighted avg"):
            continue
        prefix = "" if name == "micro avg" else f"{name}/"
        out.update({f"{prefix}precision": row["precision"], f"{prefix}recall": row["recall"],
                    f"{prefix}f1": row["f1-score"], f"{prefix}support": float(row["support"])})
    return out


# The harness scores OntoNotes-typed character spans; these stand in for the CoNLL types.
AS_ONTONOTES = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "NORP"}


def harness_aligned(true_tags: list[list[str]], pred_tags: list[list[str]]):
    """The harness's aligned frame (one row per sentence, gold and predicted spans), with
    token i of a sentence at characters [2i, 2i+1): spans decoded by strict IOB2."""
    import pandas as pd

    from labels.tokens import Token, iob2_to_spans

    def spans(tokens, tags):
        return [(s, e, AS_ONTONOTES[t]) for s, e, t in iob2_to_spans(tokens, tags)]

    rows = []
    for i, (g, p) in enumerate(zip(true_tags, pred_tags)):
        tokens = [Token(2 * j, 2 * j + 1, "x") for j in range(len(g))]
        rows.append((f"d{i}", 0, spans(tokens, g), spans(tokens, p)))
    return pd.DataFrame(rows, columns=["doc_id", "line", "gold", "pred"])


def main(argv: list[str] | None = None) -> int:
    from baselines.metrics import for_task
    from baselines.metrics.token_view import strict_scores

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=1_000_000, help="generated tokens (default: 1,000,000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    gold, pred = generate(args.tokens, args.seed)

    t0 = time.perf_counter()
    reference = seqeval_strict(gold, pred)
    t1 = time.perf_counter()
    ours = strict_scores(gold, pred)
    t2 = time.perf_counter()
    if ours != reference:
        diff = sorted(k for k in set(ours) | set(reference) if ours.get(k) != reference.get(k))
        print(f"MISMATCH on {', '.join(diff)}", file=sys.stderr)
        return 1
    aligned = harness_aligned(gold, pred)
    span_metric = next(m for m in for_task("entities") if m.name == "ontonotes/strict")
    t3 = time.perf_counter()
    harness = span_metric.value(aligned)
    t4 = time.perf_counter()
    if any(harness[k] != reference[k] for k in ("precision", "recall", "f1")):
        print("MISMATCH between the harness's span metric and seqeval (micro)", file=sys.stderr)
        return 1
    seqeval_s, ours_s, harness_s = t1 - t0, t2 - t1, t4 - t3
    print(f"tokens: {sum(map(len, gold)):,} in {len(gold):,} sentences; gold chunks: {reference['support']:,.0f}; "
          f"micro F1: {ours['f1']:.6f}")
    print("results identical: micro and per type (" + ", ".join(
        k.split("/")[0] for k in ours if k.endswith("/f1")) + ")")
    print(f"seqeval strict IOB2: {seqeval_s:.3f} s")
    print(f"token_view.strict_scores: {ours_s:.3f} s")
    print(f"speed-up: {seqeval_s / ours_s:.1f}x")
    print(f"harness span metric (ontonotes/strict, spans already decoded): {harness_s:.3f} s, "
          f"{seqeval_s / harness_s:.1f}x faster than seqeval, micro P/R/F1 identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
