"""`python -m corpus.publish --repo-id OWNER/NAME`: release the built dataset as a tagged Hub dataset repo.

The dataset folder is copied into a staging folder first; everything after that
(metadata, the comparison with a fresh build, the upload) works on the staged
copy, so what was checked is exactly what is uploaded even if dataset/ is
rebuilt meanwhile. The release is one commit holding exactly the staged files
(remote files it does not hold are deleted in the same commit), tagged
`vX.Y.Z`, so `load_dataset(ID, CONFIG, revision="vX.Y.Z")` gets that release.

When the tag already holds this fingerprint, only the card can differ (a new leaderboard, a
regenerated sentence): then the card alone is uploaded to the main branch, the data and
the tag untouched.

Refuses, uploading nothing, when the dataset is not a fresh build of the
sources, when its Parquet files disagree on version or fingerprint, when the
tag already exists on the Hub with other content, or when no token is found.
The token is never printed or logged.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import huggingface_hub
from huggingface_hub import errors as hf_errors

from labels.cli import CheckFailed, UserError, run
from labels.problems import InvalidLabels
from corpus.atomic import new_stage, swap_in, writing
from corpus.parquet_sink import read_metadata
from corpus.sources import DEFAULT, Sources

REPO_TYPE = "dataset"
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
_CARD_FINGERPRINT = re.compile(r"^- Content fingerprint: `([0-9a-f]+)`", re.MULTILINE)
_TOKEN_LIKE = re.compile(r"hf_[A-Za-z0-9_]+")


class PublishFailed(CheckFailed):
    """The Hub refused or failed a step of the release; exit 1."""


@dataclass
class Release:
    """What a publish did (or, for a dry run, would do)."""

    repo_id: str
    version: str
    fingerprint: str
    files: list[str]
    status: str = ""                 # "dry-run", "published", "card updated" or "already published"
    commit: str | None = None        # the tagged commit (remote), when known
    staged: Path | None = None       # the dry run's folder

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def commit_message(self) -> str:
        return f"Release {self.tag} (fingerprint {self.fingerprint})"


# --- local side ------------------------------------------------------------------------------

def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def stage(dataset: Path, into: Path) -> list[str]:
    """Copy every file of the dataset folder into `into` (new or empty); returns the relative paths."""
    files = _files(dataset)
    for name in files:
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(dataset / name, target)
    return files


def release_metadata(folder: Path) -> tuple[str, str]:
    """(version, fingerprint) from the Parquet key-value metadata, which every file must agree on."""
    parquet = sorted(folder.rglob("*.parquet"))
    if not parquet:
        raise CheckFailed("refusing to publish: no Parquet files in the dataset folder")
    seen: dict[tuple[str | None, str | None], list[str]] = {}
    for path in parquet:
        try:
            meta = read_metadata(path)
        except Exception as err:  # a truncated or foreign file
            raise CheckFailed(f"refusing to publish: {path.relative_to(folder).as_posix()} is not a readable "
                              f"Parquet file ({type(err).__name__})") from None
        key = (meta.get("version"), meta.get("fingerprint"))
        seen.setdefault(key, []).append(path.relative_to(folder).as_posix())
    if len(seen) > 1 or None in next(iter(seen)):
        detail = "; ".join(f"{', '.join(names)}: version {v}, fingerprint {f}" for (v, f), names in seen.items())
        raise CheckFailed("refusing to publish: the Parquet files do not agree on one version and fingerprint "
                          f"(rebuild with python -m corpus.build): {detail}")
    (version, fingerprint), = seen
    return version, fingerprint


def check_fresh(sources: Sources, staged: Path, shown_as: Path) -> None:
    """Compare the staged copy with a fresh build of the sources (corpus.check), refusing on any difference."""
    from corpus import check

    quiet = io.StringIO()
    try:
        with contextlib.redirect_stdout(quiet):
            check.main_check(sources, staged)
    except InvalidLabels as err:
        raise CheckFailed("refusing to publish: the gold labels do not validate (fix them, then rebuild):\n  "
                          + str(err).replace("\n", "\n  ")) from None
    except CheckFailed as err:
        lines = str(err).replace(str(staged), str(shown_as)).splitlines()
        raise CheckFailed(f"refusing to publish: {shown_as} is not a fresh build of the sources "
                          "(run python -m corpus.build):\n" + "\n".join(lines[1:])) from None
    except UserError as err:
        raise UserError(f"refusing to publish: {err}") from None


def _usable_dry_run_dir(path: Path, dataset: Path) -> None:
    if path.exists() and not path.is_dir():
        raise UserError(f"--dry-run {path}: exists and is not a folder")
    if path.is_dir() and any(path.iterdir()):
        raise UserError(f"--dry-run {path}: folder is not empty; give a new or empty folder")
    resolved, data = path.resolve(), dataset.resolve()
    if resolved == data or data in resolved.parents:
        raise UserError(f"--dry-run {path}: must not be inside the dataset folder {dataset}")


# --- Hub side --------------------------------------------------------------------------------

def _redact(text: str, token: str | None) -> str:
    if token:
        text = text.replace(token, "***")
    return _TOKEN_LIKE.sub("hf_***", text)


def _refuse(step: str, token: str | None, err: Exception) -> None:
    """Turn a failed Hub call into a one-line, token-free refusal (exit 2 for offline or a rejected token)."""
    if isinstance(err, hf_errors.OfflineModeIsEnabled):
        raise UserError(f"cannot {step}: offline mode is enabled (HF_HUB_OFFLINE); unset it to publish, "
                        "or use --dry-run") from None
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    reason = _redact(f"{type(err).__name__}: {lines[0] if lines else 'no message'}", token)
    status = getattr(getattr(err, "response", None), "status_code", None)
    if status in (401, 403):
        raise UserError(f"cannot {step}: the Hub rejected the token ({reason}); "
                        "check HF_TOKEN or run hf auth login with a write token") from None
    raise PublishFailed(f"cannot {step}: {reason}") from None


def _hub(step: str, token: str | None, call: Callable[..., Any], *args, **kwargs) -> Any:
    try:
        return call(*args, **kwargs)
    except Exception as err:
        _refuse(step, token, err)


def _existing_tag(api: Any, repo_id: str, tag: str, token: str | None) -> str | None:
    """The commit the tag points at on the Hub, or None (also when the repo does not exist yet)."""
    try:
        refs = api.list_repo_refs(repo_id, repo_type=REPO_TYPE)
    except hf_errors.RepositoryNotFoundError:
        return None
    except Exception as err:
        _refuse(f"list the tags of {repo_id}", token, err)
    for ref in refs.tags:
        if ref.name == tag:
            return ref.target_commit
    return None


def remote_fingerprint(api: Any, repo_id: str, tag: str, files: list[str], token: str | None) -> str | None:
    """The fingerprint recorded at the tag: from the remote card, else from a remote Parquet file's metadata."""
    with tempfile.TemporaryDirectory(prefix="publish-remote-") as cache:
        try:
            card = Path(api.hf_hub_download(repo_id, "README.md", repo_type=REPO_TYPE, revision=tag,
                                            cache_dir=cache))
            found = _CARD_FINGERPRINT.search(card.read_text(encoding="utf-8"))
            if found:
                return found.group(1)
        except hf_errors.OfflineModeIsEnabled as err:
            _refuse(f"read the existing release {tag}", token, err)
        except Exception:
            pass  # no card or no fingerprint line: try a Parquet file
        for name in [f for f in files if f.endswith(".parquet")][:1]:
            try:
                path = Path(api.hf_hub_download(repo_id, name, repo_type=REPO_TYPE, revision=tag, cache_dir=cache))
                return read_metadata(path).get("fingerprint")
            except Exception:
                pass
    return None


def remote_card(api: Any, repo_id: str, token: str | None) -> str | None:
    """The card on the main branch, or None when there is none to read."""
    with tempfile.TemporaryDirectory(prefix="publish-card-") as cache:
        try:
            path = api.hf_hub_download(repo_id, "README.md", repo_type=REPO_TYPE, revision="main", cache_dir=cache)
            return Path(path).read_text(encoding="utf-8")
        except hf_errors.OfflineModeIsEnabled as err:
            _refuse(f"read the card of {repo_id}", token, err)
        except Exception:
            return None


def _upload_card(api: Any, release: Release, folder: Path, token: str | None) -> str | None:
    commit = _hub(f"upload the card to {release.repo_id}", token, api.upload_file,
                  path_or_fileobj=str(folder / "README.md"), path_in_repo="README.md", repo_id=release.repo_id,
                  repo_type=REPO_TYPE,
                  commit_message=f"Card of {release.tag} (data unchanged, fingerprint {release.fingerprint})")
    return getattr(commit, "oid", None)


def _upload(api: Any, release: Release, folder: Path, private: bool, token: str | None) -> str:
    repo_id = release.repo_id
    _hub(f"create the dataset repo {repo_id}", token, api.create_repo, repo_id, repo_type=REPO_TYPE,
         private=private, exist_ok=True)
    if private:
        info = _hub(f"read the settings of {repo_id}", token, api.repo_info, repo_id, repo_type=REPO_TYPE)
        if getattr(info, "private", None) is False:
            raise UserError(f"refusing to publish: --private was given but {repo_id} already exists and is public")
    commit = _hub(f"upload {len(release.files)} files to {repo_id}", token, api.upload_folder,
                  repo_id=repo_id, folder_path=str(folder), repo_type=REPO_TYPE,
                  commit_message=release.commit_message, delete_patterns=["*"])
    oid = getattr(commit, "oid", None)
    if not oid:
        raise PublishFailed(f"uploaded to {repo_id} but the Hub returned no commit id: tag {release.tag} "
                            "was not created; run the command again")
    try:
        _hub(f"create tag {release.tag}", token, api.create_tag, repo_id, tag=release.tag, revision=oid,
             repo_type=REPO_TYPE)
    except (UserError, CheckFailed) as err:
        raise PublishFailed(f"uploaded commit {oid} to {repo_id} but {err}; run the command again to tag it") \
            from None
    return oid


# --- the command -------------------------------------------------------------------------------

def _token() -> str | None:
    try:
        return huggingface_hub.get_token()
    except Exception as err:
        raise UserError(f"cannot read the Hugging Face token ({type(err).__name__})") from None


def publish(repo_id: str, dataset: Path | None = None, *, private: bool = False, dry_run: Path | None = None,
            api: Any = None, sources: Sources = DEFAULT, out: Callable[[str], None] = print) -> Release:
    """Check the dataset folder, then upload it as one commit and tag it (or, with dry_run, stage it there)."""
    dataset = Path(dataset) if dataset is not None else sources.dataset_dir
    if not _REPO_ID.match(repo_id):
        raise UserError(f"--repo-id {repo_id!r}: expected OWNER/NAME (letters, digits, '.', '_', '-')")
    if not dataset.is_dir():
        raise UserError(f"{dataset}: no such dataset folder (build it with python -m corpus.build)")
    if dry_run is not None:
        _usable_dry_run_dir(dry_run, dataset)
        token = None
    else:
        token = _token()
        if not token:
            raise UserError("no Hugging Face token found: set HF_TOKEN or run hf auth login "
                            "(use --dry-run to stage without one)")

    with tempfile.TemporaryDirectory(prefix="publish-staging-") as tmp:
        staged = Path(tmp) / "release"
        files = stage(dataset, staged)
        version, fingerprint = release_metadata(staged)
        check_fresh(sources, staged, dataset)
        release = Release(repo_id, version, fingerprint, files)

        if dry_run is not None:
            with writing(dry_run):  # staged whole beside it, then swapped in: never half a copy
                folder = new_stage(dry_run, "staging")
                try:
                    stage(staged, folder)
                    swap_in(folder, dry_run)
                finally:
                    shutil.rmtree(folder, ignore_errors=True)
            release.status, release.staged = "dry-run", dry_run
            out(f"dry run: staged {len(files)} files for {repo_id} into {dry_run} (nothing uploaded):")
            for name in files:
                out(f"  {name}")
            out(f"would upload them as one commit ({release.commit_message!r}) to dataset repo {repo_id}"
                f"{' (private)' if private else ''} and create tag {release.tag} on it")
            return release

        if api is None:
            api = huggingface_hub.HfApi(token=token)
        tagged = _existing_tag(api, repo_id, release.tag, token)
        if tagged is not None:
            remote = remote_fingerprint(api, repo_id, release.tag, files, token)
            if remote == fingerprint:
                if remote_card(api, repo_id, token) != (staged / "README.md").read_text(encoding="utf-8"):
                    release.status, release.commit = "card updated", _upload_card(api, release, staged, token)
                    out(f"card updated: {repo_id} main has this build's card (commit {release.commit}); the data "
                        f"at tag {release.tag} is unchanged (fingerprint {fingerprint})")
                    return release
                release.status, release.commit = "already published", tagged
                out(f"already published: {repo_id} tag {release.tag} (commit {tagged}) has fingerprint "
                    f"{fingerprint} and the same card; nothing uploaded")
                return release
            what = f"fingerprint {remote}" if remote else "content whose fingerprint cannot be read"
            raise CheckFailed(f"refusing to publish: tag {release.tag} already exists on {repo_id} with {what}, "
                              f"but the local dataset has fingerprint {fingerprint}; bump "
                              f"{sources.version_file.parent.name}/{sources.version_file.name}, add a CHANGELOG.md entry and rebuild")

        release.commit = _upload(api, release, staged, private, token)
        release.status = "published"
    out(f"published {repo_id} {release.tag} (fingerprint {fingerprint}, {len(files)} files) as commit "
        f"{release.commit}; load it with load_dataset({repo_id!r}, CONFIG, revision={release.tag!r})")
    return release


def main(argv: list[str] | None = None, *, api: Any = None, sources: Sources = DEFAULT) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.publish", description=__doc__.splitlines()[0])
    parser.add_argument("--repo-id", required=True, metavar="OWNER/NAME", help="the Hub dataset repo")
    parser.add_argument("--private", action="store_true", help="create the repo private (if it is new)")
    parser.add_argument("--dry-run", type=Path, metavar="DIR",
                        help="stage the files that would be uploaded into DIR (new or empty); upload nothing")
    parser.add_argument("--dataset", type=Path, metavar="DIR",
                        help=f"the built dataset folder (default: {sources.dataset_dir.name}/)")
    args = parser.parse_args(argv)
    publish(args.repo_id, args.dataset, private=args.private, dry_run=args.dry_run, api=api, sources=sources)
    return 0


if __name__ == "__main__":
    run(main)
