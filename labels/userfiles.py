"""The one way user-supplied files are read: a regular file, under a size cap, decoded or refused
with one line naming the file. A device (/dev/zero), a pipe or a folder would otherwise hang,
exhaust memory or end in a traceback."""
from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from labels.cli import UserError

MIB = 1 << 20
DEFAULT_LIMIT = 256 * MIB


def read_bytes(path: Path, what: str = "file", limit: int = DEFAULT_LIMIT) -> bytes:
    """The bytes of a regular file of at most limit bytes, or a UserError saying why not."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise UserError(f"{path}: is a folder, expected a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{path}: not a regular file (a device or pipe?), expected a {what}")
        if info.st_size > limit:
            raise UserError(f"{path}: {info.st_size} bytes, larger than the {limit} bytes allowed for a {what}")
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as err:
        raise UserError(f"{path}: cannot read: {err.strerror or type(err).__name__}") from None
    if len(raw) > limit:  # grew while being read
        raise UserError(f"{path}: larger than the {limit} bytes allowed for a {what}")
    return raw


def decode_utf8(raw: bytes, path: Path, what: str = "file") -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UserError(f"{path}: the {what} is not UTF-8 (byte {err.start})") from None


def read_text(path: Path, what: str = "file", limit: int = DEFAULT_LIMIT) -> str:
    """A UTF-8 text file (an initial BOM dropped) read with read_bytes' checks."""
    return decode_utf8(read_bytes(path, what, limit), path, what).removeprefix("\ufeff")


def read_json(path: Path, what: str = "file", limit: int = DEFAULT_LIMIT) -> Any:
    """A JSON file read with read_text's checks; bad JSON (or JSON nested too deeply) is one line."""
    text = read_text(path, what, limit)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise UserError(f"{path}: the {what} is not valid JSON ({err.msg} at line {err.lineno})") from None
    except RecursionError:
        raise UserError(f"{path}: the {what} is nested too deeply to be read") from None
