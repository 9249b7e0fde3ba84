"""Atomic writes: a file, or a whole folder of files, is replaced completely or not at all.

Every write path of the project goes through here, so a kill, a full disk or an
unwritable folder never leaves half a file, nor a new file beside an old sibling.
A folder is swapped in with one atomic rename exchange (Linux renameat2), so there
is never a moment without it; staging folders left by a killed process are removed
by the next writer. OSError becomes one UserError line naming what could not be written.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import uuid
from pathlib import Path
from typing import Iterator, Mapping

from labels.cli import UserError

_STAGES = ("building", "staging", "old", "tmp")


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn an OSError while writing path into one line naming it."""
    try:
        yield
    except OSError as err:
        where = err.filename if err.filename else path
        why = err.strerror or type(err).__name__
        if isinstance(err, (FileExistsError, NotADirectoryError)):
            why = "a file stands where a folder is needed"
        raise UserError(f"{where}: cannot write ({why}); nothing was changed") from None


def _sibling(target: Path, stage: str) -> Path:
    """A hidden name beside target that says which process made it, so leftovers can be told apart."""
    return target.parent / f".{target.name}.{stage}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(target: Path) -> None:
    """Remove staging siblings of target left by processes that died; restore a target lost
    between the two renames of the fallback swap."""
    if not target.parent.is_dir():
        return
    old = []
    for p in target.parent.iterdir():
        prefix = f".{target.name}."
        if not p.name.startswith(prefix):
            continue
        stage, _, rest = p.name[len(prefix):].partition("-")
        pid = rest.split("-", 1)[0]  # not a number: an older release's random-suffixed name
        if stage not in _STAGES or pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        if stage == "old" and not target.exists():
            old.append(p)
            continue
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() and not p.is_symlink() else p.unlink(missing_ok=True)
    if old:
        os.replace(max(old, key=lambda p: p.stat().st_mtime), target)
        for p in old:
            shutil.rmtree(p, ignore_errors=True)


def write_file(path: Path, data: bytes | str) -> None:
    """Replace path with data atomically, keeping the mode of the file it replaces."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~umask()
        tmp = _sibling(path, "tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, target: Path) -> None:
    """Make the folder new become target, whole; the previous target is removed afterwards."""
    if not target.exists():
        os.replace(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # new now holds the previous target
        return
    old = _sibling(target, "old")  # fallback: two renames, repaired by clean_leftovers after a crash
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def new_stage(target: Path, stage: str = "building") -> Path:
    """An empty staging folder beside target with the mode a new folder would get."""
    with writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(target)
        path = _sibling(target, stage)
        path.mkdir(mode=0o777 & ~umask())
        return path


def replace_set(root: Path, files: Mapping[str, bytes | str]) -> None:
    """Write files (relative path -> content) into root as one set: afterwards root holds all of
    them, or, after any failure or kill, exactly what it held before. Other files in root stay."""
    stage = new_stage(root, "staging")
    try:
        with writing(root):
            if root.is_dir():
                shutil.copytree(root, stage, dirs_exist_ok=True, symlinks=True)
            elif root.exists():
                raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(root))
            for name, content in files.items():
                dst = stage / name
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            swap_in(stage, root)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
