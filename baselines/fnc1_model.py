"""The FNC-1 baseline's classifier trained on all of FNC-1, cached so that a run trains it once.

Training on 49,972 pairs takes minutes, so the fitted model is kept in a user cache folder
($NEWSBENCH_CACHE, else $XDG_CACHE_HOME/news-nlp-bench, else ~/.cache/news-nlp-bench) under a
key made of both files' sha256, the feature version, the seed, the model settings and the
scikit-learn version (a pickle is only safe to load with the version that wrote it). The key
goes into every result that uses the model. Without the FNC-1 folder the systems are unavailable.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingClassifier

from baselines import fnc1
from baselines.features.fnc1 import FEATURE_VERSION, matrix
from baselines.system import SystemUnavailable

CACHE_ENV_VAR = "NEWSBENCH_CACHE"
N_ESTIMATORS = 200       # the official baseline's GradientBoostingClassifier(n_estimators=200, ...)
OFFICIAL_SEED = 14128    # ... random_state=14128, used by the hold-out reproduction


def classifier(seed: int) -> GradientBoostingClassifier:
    """The official baseline's model; every other setting is scikit-learn's default."""
    return GradientBoostingClassifier(n_estimators=N_ESTIMATORS, random_state=seed)


def design(data: fnc1.Fnc1, pairs: list[fnc1.Pair]) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of FNC-1 pairs, in the given order."""
    x = matrix([p.headline for p in pairs], [data.bodies[p.body_id] for p in pairs])
    return x, np.array([p.stance for p in pairs])


def cache_dir() -> Path:
    explicit = os.environ.get(CACHE_ENV_VAR)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "news-nlp-bench"


@dataclass(frozen=True)
class Trained:
    """A fitted FNC-1 model and what identifies it (recorded in result provenance)."""

    model: GradientBoostingClassifier = field(repr=False)
    key: str
    provenance: dict[str, Any]


def provenance(sha256: dict[str, str], seed: int) -> dict[str, Any]:
    """What determines the trained model; its hash is the cache key."""
    return {"files_sha256": dict(sorted(sha256.items())), "feature_version": FEATURE_VERSION, "seed": seed,
            "model": f"GradientBoostingClassifier(n_estimators={N_ESTIMATORS})",
            "scikit-learn": sklearn.__version__}


def _key(prov: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(prov, sort_keys=True).encode()).hexdigest()[:16]


_LOADED: dict[str, Trained] = {}   # models already in this process, by key


def trained(seed: int, where: str | Path | None = None) -> Trained:
    """The model trained on every FNC-1 pair with this seed: from this process, the cache, or trained
    now (and cached). SystemUnavailable when there is no FNC-1 folder."""
    root = fnc1.folder(where)
    if not root.is_dir():
        raise SystemUnavailable(f"no FNC-1 folder at {root} (set {fnc1.ENV_VAR} to the folder holding "
                                f"{fnc1.STANCES_FILE} and {fnc1.BODIES_FILE})")
    data = fnc1.load(root)
    prov = provenance(data.sha256, seed) | {"n_pairs": len(data.pairs)}
    key = _key(prov)
    if key in _LOADED:
        return _LOADED[key]
    path = cache_dir() / f"fnc1-gbdt-{key}.joblib"
    if path.is_file():
        model = joblib.load(path)
    else:
        model = classifier(seed).fit(*design(data, list(data.pairs)))
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            joblib.dump(model, tmp.name)
        os.replace(tmp.name, path)   # never a half-written model under the key
    _LOADED[key] = Trained(model, key, prov)
    return _LOADED[key]
