"""Where the sources of a build live; one object so tests and benchmarks can point elsewhere."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from labels.userfiles import read_text

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Sources:
    """The inputs of a build (documents, manifest, gold labels, version) and its output folder."""

    raw_dir: Path
    gold_dir: Path
    version_file: Path
    changelog: Path
    dataset_dir: Path
    passes_dir: Path | None = None     # annotation passes, for the card's agreement table
    results_dir: Path | None = None    # leaderboard snapshots, for the card's leaderboard
    releases: Path | None = None       # version -> fingerprint of each release, for the bump guard
    pages_dir: Path | None = None      # where pages kept outside the repository are found
    external: bool = False             # build those pages too (the full dataset) or only the repository's

    @property
    def manifest(self) -> Path:
        return self.raw_dir / "manifest.jsonl"

    @property
    def lock_file(self) -> Path:
        """Held by every command that changes the corpus or the dataset built from it."""
        return self.raw_dir.parent / f".{self.raw_dir.name}.lock"

    @classmethod
    def at(cls, root: Path) -> "Sources":
        """The standard layout below a project root."""
        return cls(
            raw_dir=root / "corpus" / "raw",
            gold_dir=root / "labels" / "gold",
            version_file=root / "corpus" / "VERSION",
            changelog=root / "CHANGELOG.md",
            dataset_dir=root / "dataset",
            passes_dir=root / "labels" / "passes",
            results_dir=root / "results",
            releases=root / "corpus" / "releases.jsonl",
            pages_dir=root.parent / "shared" / "corpus" / "pages",
        )

    def at_hand(self) -> "Sources":
        """The same sources reading every document whose page is at hand: the pages folder's too
        when it exists (for validating, drafting and exporting; the builds choose explicitly)."""
        return self.full() if self.pages_dir is not None and self.pages_dir.is_dir() else self

    def outside(self) -> frozenset[str]:
        """Documents kept in the pages folder: their label files carry no page text."""
        from corpus import manifest

        return frozenset(e.doc_id for e in manifest.read(self.manifest) if e.external)

    def full(self, pages_dir: Path | None = None, dataset_dir: Path | None = None) -> "Sources":
        """The same sources with the pages kept outside the repository, built into their own folder."""
        return replace(self, external=True, pages_dir=pages_dir or self.pages_dir,
                       dataset_dir=dataset_dir or self.dataset_dir.with_name(self.dataset_dir.name + "-full"))

    def version(self) -> str:
        return read_text(self.version_file, "version file", limit=1024).strip()


DEFAULT = Sources.at(ROOT)
