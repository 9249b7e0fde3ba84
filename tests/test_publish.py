"""`corpus.publish`: dry-run staging that loads like dataset/, the Hub call sequence, and every refusal.

Everything runs offline: HF_HUB_OFFLINE=1, a private HF_HOME, and a fake HfApi that records its calls.
Tests that change a dataset or the sources work on copies below tmp_path.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import datasets
import huggingface_hub
import pyarrow.parquet as pq
import pytest
from huggingface_hub.errors import RepositoryNotFoundError
from huggingface_hub.hf_api import CommitInfo, GitRefInfo, GitRefs

from conftest import COMMITTED, SEED_ID, cli, copy_sources, edit_gold, tree_hashes
from corpus import publish as pub
from corpus.build import build
from corpus.features import CONFIGS
from corpus.parquet_sink import META_PREFIX, data_path, read_metadata
from labels.cli import run

REPO = "someone/news-nlp-bench"
FAKE_TOKEN = "hf_FakeTokenDoNotPrintQxZwVyKjUtRsPm"
DOCS_FILE = data_path(COMMITTED, "documents", "test").relative_to(COMMITTED)
BOILERPLATE_FILE = data_path(COMMITTED, "boilerplate", "test").relative_to(COMMITTED)


@pytest.fixture(autouse=True)
def offline_hub(tmp_path, monkeypatch):
    """No network, no real credentials: a private HF_HOME, offline flags, and no token unless a test sets one."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)  # read at import time
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: None)


@pytest.fixture
def token(monkeypatch) -> str:
    """A fake token, visible both where huggingface_hub looks (HF_TOKEN) and through get_token()."""
    monkeypatch.setenv("HF_TOKEN", FAKE_TOKEN)
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: FAKE_TOKEN)
    return FAKE_TOKEN


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The project's inputs copied once per module and built once."""
    sources = copy_sources(tmp_path_factory.mktemp("built") / "project")
    build(sources)
    return sources


@pytest.fixture
def project(tmp_path, built):
    """A private copy of the inputs with a dataset folder freshly built from them."""
    sources = copy_sources(tmp_path / "project")
    shutil.copytree(built.dataset_dir, sources.dataset_dir)
    return sources


class FakeApi:
    """Records every call with its exact arguments; optionally holds one remote tag and its card."""

    OID = "0123456789abcdef0123456789abcdef01234567"

    def __init__(self, *, tag: str | None = None, remote_fingerprint: str | None = None,
                 remote_parquet: Path | None = None, repo_exists: bool = True, private: bool = True,
                 fail: str | None = None, remote_card: str | None = None):
        self.calls: list[tuple[str, tuple, dict]] = []
        self.remote_parquet = remote_parquet  # when set, the remote has no card and serves this Parquet file
        self.tag, self.remote_fingerprint = tag, remote_fingerprint
        self.repo_exists, self.private, self.fail = repo_exists, private, fail
        self.uploaded: dict[str, str] | None = None
        self.remote_card = remote_card  # the card on main, when given

    def _record(self, name: str, args: tuple, kwargs: dict) -> None:
        self.calls.append((name, args, dict(kwargs)))
        if self.fail == name:
            raise RuntimeError(f"simulated failure of {name} (Authorization: Bearer {FAKE_TOKEN})\n"
                               f"token {FAKE_TOKEN} again in a later line")

    def names(self) -> list[str]:
        return [name for name, _, _ in self.calls]

    def list_repo_refs(self, repo_id, **kwargs):
        self._record("list_repo_refs", (repo_id,), kwargs)
        if not self.repo_exists:
            raise RepositoryNotFoundError("404 Repository Not Found",
                                          response=SimpleNamespace(headers={}, request=None, status_code=404))
        tags = [GitRefInfo(name=self.tag, ref=f"refs/tags/{self.tag}", target_commit="f" * 40)] if self.tag else []
        return GitRefs(branches=[], converts=[], tags=tags)

    def hf_hub_download(self, repo_id, filename, **kwargs):
        self._record("hf_hub_download", (repo_id, filename), {k: v for k, v in kwargs.items() if k != "cache_dir"})
        path = Path(kwargs["cache_dir"]) / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.remote_parquet is not None:
            if not filename.endswith(".parquet"):
                raise FileNotFoundError(f"{filename} not found at {kwargs.get('revision')}")
            return str(shutil.copy(self.remote_parquet, path))
        if self.remote_card is not None and kwargs.get("revision") == "main":
            path.write_text(self.remote_card, encoding="utf-8")
            return str(path)
        path.write_text(f"---\n---\n# card\n\n- Content fingerprint: `{self.remote_fingerprint}` (sha256 ...)\n",
                        encoding="utf-8")
        return str(path)

    def create_repo(self, repo_id, **kwargs):
        self._record("create_repo", (repo_id,), kwargs)
        return f"https://huggingface.co/datasets/{repo_id}"

    def repo_info(self, repo_id, **kwargs):
        self._record("repo_info", (repo_id,), kwargs)
        return SimpleNamespace(private=self.private)

    def upload_folder(self, **kwargs):
        self._record("upload_folder", (), kwargs)
        self.uploaded = tree_hashes(Path(kwargs["folder_path"]))  # what the folder held at upload time
        return CommitInfo(commit_url=f"https://huggingface.co/datasets/{kwargs['repo_id']}/commit/{self.OID}",
                          commit_message=kwargs["commit_message"], commit_description="", oid=self.OID)

    def create_tag(self, repo_id, **kwargs):
        self._record("create_tag", (repo_id,), kwargs)

    def upload_file(self, **kwargs):
        self._record("upload_file", (), kwargs)
        self.uploaded = {kwargs["path_in_repo"]: Path(kwargs["path_or_fileobj"]).read_text(encoding="utf-8")}
        return CommitInfo(commit_url=f"https://huggingface.co/datasets/{kwargs['repo_id']}/commit/{self.OID}",
                          commit_message=kwargs["commit_message"], commit_description="", oid=self.OID)


def _cli(argv: list[str], project, api=None) -> int:
    """Run corpus.publish's main through the shared CLI contract; returns the exit code."""
    with pytest.raises(SystemExit) as done:
        run(lambda a: pub.main(a, api=api, sources=project), argv)
    return done.value.code


def _meta(sources) -> dict[str, str]:
    return read_metadata(sources.dataset_dir / DOCS_FILE)


def _load_all(folder: Path, cache: Path) -> dict:
    return {c: datasets.load_dataset(str(folder), c, cache_dir=str(cache)) for c in CONFIGS}


# --- dry run ---------------------------------------------------------------------------------

def test_dry_run_of_the_committed_dataset_loads_like_it(tmp_path):
    staged = tmp_path / "staged"
    done = cli("corpus.publish", "--repo-id", REPO, "--dry-run", str(staged))
    assert done.returncode == 0, done.stderr
    meta = read_metadata(COMMITTED / DOCS_FILE)
    files = sorted(tree_hashes(COMMITTED))
    assert tree_hashes(staged) == tree_hashes(COMMITTED)
    assert done.stdout.splitlines() == [
        f"dry run: staged {len(files)} files for {REPO} into {staged} (nothing uploaded):",
        *(f"  {name}" for name in files),
        f"would upload them as one commit ('Release v{meta['version']} (fingerprint {meta['fingerprint']})') "
        f"to dataset repo {REPO} and create tag v{meta['version']} on it",
    ]
    assert done.stderr == ""

    original, copy = _load_all(COMMITTED, tmp_path / "cache-a"), _load_all(staged, tmp_path / "cache-b")
    for config in CONFIGS:
        assert sorted(copy[config]) == sorted(original[config])
        for split in original[config]:
            a, b = original[config][split], copy[config][split]
            assert b.features == a.features
            assert b.to_pandas().equals(a.to_pandas()), (config, split)


def test_dry_run_needs_no_token_and_calls_nothing(project, tmp_path, monkeypatch, capsys):
    def no_token_lookup():
        pytest.fail("a dry run must not look for a token")

    monkeypatch.setattr(huggingface_hub, "get_token", no_token_lookup)
    api = FakeApi()
    staged = tmp_path / "empty"
    staged.mkdir()
    release = pub.publish(REPO, project.dataset_dir, dry_run=staged, api=api, sources=project)
    assert api.calls == []
    assert release.status == "dry-run" and release.tag == f"v{_meta(project)['version']}"
    assert tree_hashes(staged) == tree_hashes(project.dataset_dir)
    assert f"create tag v{_meta(project)['version']}" in capsys.readouterr().out


def test_dry_run_refuses_a_non_empty_folder(project, tmp_path, capsys):
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "keep.txt").write_text("mine", encoding="utf-8")
    assert _cli(["--repo-id", REPO, "--dry-run", str(staged)], project) == 2
    assert capsys.readouterr().err == f"error: --dry-run {staged}: folder is not empty; give a new or empty folder\n"
    assert sorted(p.name for p in staged.iterdir()) == ["keep.txt"]


def test_dry_run_of_a_stale_dataset_stages_nothing(project, tmp_path, capsys):
    _drop_first_row(project.dataset_dir / BOILERPLATE_FILE)
    staged = tmp_path / "staged"
    assert _cli(["--repo-id", REPO, "--dry-run", str(staged)], project) == 1
    assert not staged.exists()
    assert "is not a fresh build" in capsys.readouterr().err


# --- publishing with a fake HfApi ------------------------------------------------------------

def test_publish_creates_the_repo_uploads_then_tags_the_uploaded_commit(project, token, capsys):
    meta = _meta(project)
    api = FakeApi(repo_exists=False)
    assert _cli(["--repo-id", REPO], project, api=api) == 0
    assert [name for name in api.names()] == ["list_repo_refs", "create_repo", "upload_folder", "create_tag"]
    upload_kwargs = api.calls[2][2]
    folder = Path(upload_kwargs.pop("folder_path"))
    assert api.calls == [
        ("list_repo_refs", (REPO,), {"repo_type": "dataset"}),
        ("create_repo", (REPO,), {"repo_type": "dataset", "private": False, "exist_ok": True}),
        ("upload_folder", (), {"repo_id": REPO, "repo_type": "dataset",
                               "commit_message": f"Release v{meta['version']} (fingerprint {meta['fingerprint']})",
                               "delete_patterns": ["*"]}),
        ("create_tag", (REPO,), {"tag": "v" + meta["version"], "revision": FakeApi.OID, "repo_type": "dataset"}),
    ]
    # the uploaded folder is the staged copy: exactly the dataset's files, byte for byte, cleaned up afterwards
    assert api.uploaded == tree_hashes(project.dataset_dir)
    assert not folder.exists()
    out = capsys.readouterr()
    assert out.out == (f"published {REPO} v{meta['version']} (fingerprint {meta['fingerprint']}, "
                       f"{len(api.uploaded)} files) as commit {FakeApi.OID}; load it with "
                       f"load_dataset('{REPO}', CONFIG, revision='v{meta['version']}')\n")
    assert out.err == ""


def test_publish_private_passes_private_and_refuses_an_existing_public_repo(project, token, capsys):
    api = FakeApi(private=True)
    release = pub.publish(REPO, private=True, api=api, sources=project)
    assert release.status == "published"
    assert api.calls[1] == ("create_repo", (REPO,), {"repo_type": "dataset", "private": True, "exist_ok": True})
    assert api.names() == ["list_repo_refs", "create_repo", "repo_info", "upload_folder", "create_tag"]

    public = FakeApi(private=False)
    assert _cli(["--repo-id", REPO, "--private"], project, api=public) == 2
    assert public.names() == ["list_repo_refs", "create_repo", "repo_info"]
    assert capsys.readouterr().err.endswith(f"--private was given but {REPO} already exists and is public\n")


def test_an_existing_tag_with_the_same_fingerprint_and_card_is_already_published(project, token, capsys):
    meta = _meta(project)
    tag = "v" + meta["version"]
    card = (project.dataset_dir / "README.md").read_text(encoding="utf-8")
    api = FakeApi(tag=tag, remote_fingerprint=meta["fingerprint"], remote_card=card)
    assert _cli(["--repo-id", REPO], project, api=api) == 0
    assert api.calls == [
        ("list_repo_refs", (REPO,), {"repo_type": "dataset"}),
        ("hf_hub_download", (REPO, "README.md"), {"repo_type": "dataset", "revision": tag}),
        ("hf_hub_download", (REPO, "README.md"), {"repo_type": "dataset", "revision": "main"}),
    ]
    assert capsys.readouterr().out.startswith(f"already published: {REPO} tag {tag} ")


def test_a_card_only_change_uploads_the_card_alone(project, token, capsys):
    meta = _meta(project)
    tag = "v" + meta["version"]
    card = (project.dataset_dir / "README.md").read_text(encoding="utf-8")
    api = FakeApi(tag=tag, remote_fingerprint=meta["fingerprint"], remote_card=card + "\nan older sentence\n")
    assert _cli(["--repo-id", REPO], project, api=api) == 0
    assert api.names() == ["list_repo_refs", "hf_hub_download", "hf_hub_download", "upload_file"]
    assert api.uploaded == {"README.md": card}
    upload = api.calls[-1][2]
    assert (upload["repo_type"], upload["repo_id"]) == ("dataset", REPO)
    assert upload["commit_message"] == f"Card of {tag} (data unchanged, fingerprint {meta['fingerprint']})"
    assert capsys.readouterr().out.startswith(f"card updated: {REPO} main has this build's card (commit {api.OID})")


def test_without_a_remote_card_the_fingerprint_comes_from_a_remote_parquet_file(project, token, capsys):
    meta = _meta(project)
    tag = "v" + meta["version"]
    same = FakeApi(tag=tag, remote_parquet=project.dataset_dir / DOCS_FILE)
    assert _cli(["--repo-id", REPO], project, api=same) == 0
    assert [c[1][1] for c in same.calls[1:4]] == ["README.md", BOILERPLATE_FILE.as_posix(), "README.md"]
    assert same.calls[2][2] == {"repo_type": "dataset", "revision": tag}
    # the data is there, the card is not: the card alone is uploaded
    assert same.names()[-1] == "upload_file" and "upload_folder" not in same.names()
    assert capsys.readouterr().out.startswith("card updated: ")

    other = project.dataset_dir.parent / "other.parquet"
    shutil.copy(project.dataset_dir / DOCS_FILE, other)
    _rewrite(other, fingerprint="eeeeeeeeeeeeeeee")
    differs = FakeApi(tag=tag, remote_parquet=other)
    assert _cli(["--repo-id", REPO], project, api=differs) == 1
    assert "upload_folder" not in differs.names()
    assert "with fingerprint eeeeeeeeeeeeeeee" in capsys.readouterr().err


# --- refusals: nothing uploaded --------------------------------------------------------------

def _rewrite(path: Path, *, drop_rows: int = 0, **meta: str) -> None:
    """Rewrite a Parquet file (schema kept) without its first drop_rows rows, with its metadata updated by meta."""
    table = pq.read_table(path)
    assert table.num_rows > drop_rows
    stamped = {**read_metadata(path), **meta}
    with pq.ParquetWriter(path, table.schema, compression="zstd") as writer:
        writer.write_table(table.slice(drop_rows))
        writer.add_key_value_metadata({META_PREFIX + k: v for k, v in stamped.items()})
    assert read_metadata(path) == stamped


def _drop_first_row(path: Path) -> None:
    """Rewrite a Parquet file without its first row; it still claims the same version and fingerprint."""
    _rewrite(path, drop_rows=1)


def test_refuses_a_dataset_with_an_altered_parquet_file(project, token, capsys):
    path = project.dataset_dir / BOILERPLATE_FILE
    before = read_metadata(path)
    _drop_first_row(path)
    assert read_metadata(path) == before
    api = FakeApi()
    assert _cli(["--repo-id", REPO], project, api=api) == 1
    assert api.calls == []
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"refusing to publish: {project.dataset_dir} is not a fresh build of the sources "
                      "(run python -m corpus.build):")
    assert any(line.startswith(f"  {BOILERPLATE_FILE.as_posix()}: config boilerplate: ") and "rows differ" in line
               for line in err[1:])
    assert "publish-staging" not in "\n".join(err)  # the staged copy's path is not shown


def test_refuses_a_dataset_built_before_a_gold_edit(project, token, capsys):
    def change(d):
        line0 = next(x for x in d["lines"] if x["line"] == 0)
        line0["role"] = "other" if line0["role"] != "other" else "navigation"

    edit_gold(project.gold_dir / f"{SEED_ID}.json", change)
    api = FakeApi()
    assert _cli(["--repo-id", REPO], project, api=api) == 1
    assert api.calls == []
    err = capsys.readouterr().err
    assert err.startswith(f"refusing to publish: {project.dataset_dir} is not a fresh build of the sources")
    assert f"content changed since version {project.version()} was recorded" in err


def test_refuses_parquet_files_that_disagree_on_the_fingerprint(project, token, capsys):
    _rewrite(project.dataset_dir / BOILERPLATE_FILE, fingerprint="0000000000000000")
    api = FakeApi()
    assert _cli(["--repo-id", REPO], project, api=api) == 1
    assert api.calls == []
    err = capsys.readouterr().err
    assert err.startswith("refusing to publish: the Parquet files do not agree on one version and fingerprint")
    assert len(err.splitlines()) == 1


def test_refuses_when_the_tag_exists_with_another_fingerprint(project, token, capsys):
    meta = _meta(project)
    tag = "v" + meta["version"]
    api = FakeApi(tag=tag, remote_fingerprint="ffffffffffffffff")
    assert _cli(["--repo-id", REPO], project, api=api) == 1
    assert api.names() == ["list_repo_refs", "hf_hub_download"]
    err = capsys.readouterr().err
    assert err == (f"refusing to publish: tag {tag} already exists on {REPO} with fingerprint ffffffffffffffff, "
                   f"but the local dataset has fingerprint {meta['fingerprint']}; bump corpus/VERSION, "
                   "add a CHANGELOG.md entry and rebuild\n")


def test_refuses_without_a_token(project, capsys):
    assert huggingface_hub.get_token() is None
    api = FakeApi()
    assert _cli(["--repo-id", REPO], project, api=api) == 2
    assert api.calls == []
    assert capsys.readouterr().err == ("error: no Hugging Face token found: set HF_TOKEN or run hf auth login "
                                       "(use --dry-run to stage without one)\n")


@pytest.mark.parametrize("argv, message", [
    (["--repo-id", "no-owner"], "error: --repo-id 'no-owner': expected OWNER/NAME"),
    (["--repo-id", REPO, "--dataset", "/nonexistent/dataset"], "error: /nonexistent/dataset: no such dataset folder"),
])
def test_user_mistakes_are_one_line_errors(project, token, capsys, argv, message):
    api = FakeApi()
    assert _cli(argv, project, api=api) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert api.calls == []


def test_offline_real_hfapi_is_a_user_error_not_a_traceback(project, token, capsys):
    assert _cli(["--repo-id", REPO], project) == 2  # no fake: the real HfApi, blocked by HF_HUB_OFFLINE
    out = capsys.readouterr()
    assert out.err == (f"error: cannot list the tags of {REPO}: offline mode is enabled (HF_HUB_OFFLINE); "
                       "unset it to publish, or use --dry-run\n")
    assert FAKE_TOKEN not in out.out + out.err


# --- the token is never shown ----------------------------------------------------------------

@pytest.mark.parametrize("fail, code", [
    (None, 0), ("list_repo_refs", 1), ("create_repo", 1), ("upload_folder", 1), ("create_tag", 1),
])
def test_the_token_never_appears_in_output_or_logs(project, token, capsys, caplog, fail, code):
    caplog.set_level(logging.DEBUG)
    api = FakeApi(fail=fail)
    assert _cli(["--repo-id", REPO], project, api=api) == code
    out = capsys.readouterr()
    shown = out.out + out.err + caplog.text
    assert FAKE_TOKEN not in shown
    assert FAKE_TOKEN[3:12] not in shown and FAKE_TOKEN[-10:] not in shown  # not even partly
    if fail:
        assert out.err.count("\n") == 1 and f"simulated failure of {fail} (Authorization: Bearer ***)" in out.err
        assert api.names()[-1] == fail  # nothing was attempted after the failed call
    if fail == "create_tag":
        assert out.err.startswith(f"uploaded commit {FakeApi.OID} to {REPO} but cannot create tag "
                                  f"v{_meta(project)['version']}: RuntimeError: ")
        assert out.err.endswith("; run the command again to tag it\n")
    elif fail:
        assert out.err.startswith("cannot ")
