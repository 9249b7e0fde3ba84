"""What produced a result: code version and package versions, recorded in every result file."""
from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version

from corpus.sources import ROOT

# Every installed package whose version can move a number: the data path (datasets, pyarrow,
# pandas), the numerics (numpy, scipy, scikit-learn), the systems' libraries (jusText and the
# lxml it parses with, crfsuite, spaCy, trafilatura). Models a system loads are recorded by the
# system itself (System.versions).
PACKAGES = ("news-nlp-bench", "datasets", "pyarrow", "pandas", "numpy", "scipy", "scikit-learn", "threadpoolctl",
            "huggingface_hub", "justext", "lxml", "lxml_html_clean", "sklearn-crfsuite", "python-crfsuite",
            "spacy", "trafilatura")


def code_version() -> str:
    """The git commit (with -dirty when the tree has changes), or the package version outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True)
        return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "package-" + packages().get("news-nlp-bench", "unknown")


def packages() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out
