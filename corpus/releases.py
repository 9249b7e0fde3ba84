"""The release record: the fingerprint each dataset version was first built with.

One version has two builds: the repository's own (`dataset/`) and the full one with the
pages folder (`dataset-full/`); each is recorded under its name.

The version-bump guard compares a build with this record, not with whatever dataset
folder is on disk: rebuilding after a label edit would otherwise make the folder agree
with the edit and let changed content pass under an old version number.
"""
from __future__ import annotations

import json
from pathlib import Path

from labels.cli import UserError
from labels.userfiles import read_text
from corpus.atomic import write_file
from corpus.sources import Sources


def _semver(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


REPOSITORY, FULL = "repository", "full"


def build_of(sources: Sources) -> str:
    return FULL if sources.external else REPOSITORY


def read(path: Path) -> dict[tuple[str, str], str]:
    """(version, build) -> fingerprint, in file order; a malformed line is a one-line UserError."""
    if not path.exists():
        return {}
    out: dict[tuple[str, str], str] = {}
    for number, line in enumerate(read_text(path, "release record").split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            raise UserError(f"{path}: line {number}: not valid JSON") from None
        if not (isinstance(obj, dict) and isinstance(obj.get("version"), str)
                and isinstance(obj.get("fingerprint"), str) and obj.get("build", REPOSITORY) in (REPOSITORY, FULL)
                and set(obj) <= {"version", "fingerprint", "build"} and {"version", "fingerprint"} <= set(obj)):
            raise UserError(f"{path}: line {number}: expected {{\"version\": ..., \"fingerprint\": ..., "
                            f"\"build\": \"{REPOSITORY}\" or \"{FULL}\"}}")
        if not all(x.isdigit() for x in obj["version"].split(".")) or obj["version"].count(".") != 2:
            raise UserError(f"{path}: line {number}: version: {obj['version']!r} is not semver")
        key = (obj["version"], obj.get("build", REPOSITORY))
        if key in out:
            raise UserError(f"{path}: line {number}: version {key[0]} ({key[1]} build) is recorded twice")
        out[key] = obj["fingerprint"]
    return out


def problem(sources: Sources, version: str, fingerprint: str) -> str | None:
    """Why content with this fingerprint may not carry this version, or None if it may."""
    if sources.releases is None:
        return None
    recorded = read(sources.releases)
    version_file = f"{sources.version_file.parent.name}/{sources.version_file.name}"
    key = (version, build_of(sources))
    if key in recorded:
        if recorded[key] == fingerprint:
            return None
        return (f"content changed since version {version} was recorded (fingerprint {recorded[key]} -> "
                f"{fingerprint}): bump {version_file} and add a {sources.changelog.name} entry")
    latest = max((v for v, _ in recorded), key=_semver, default=None)
    if latest is not None and _semver(version) < _semver(latest):
        return f"version {version} is older than the last recorded release {latest}: bump {version_file}"
    return None


def record(sources: Sources, version: str, fingerprint: str) -> bool:
    """Record the first build of a new version; True if a line was added."""
    build = build_of(sources)
    if sources.releases is None or (version, build) in read(sources.releases):
        return False
    text = sources.releases.read_text(encoding="utf-8") if sources.releases.exists() else ""
    line = json.dumps({"version": version, "fingerprint": fingerprint}
                      | ({"build": build} if build != REPOSITORY else {}))
    write_file(sources.releases, text + ("" if text.endswith("\n") or not text else "\n") + line + "\n")
    return True


def is_recorded(sources: Sources, version: str) -> bool:
    return sources.releases is None or (version, build_of(sources)) in read(sources.releases)
