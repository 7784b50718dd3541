"""The storage root: batches, the raw WARC archive and dead letters live under it.

A plain folder by default; any fsspec URL (``s3://bucket/prefix``, ``memory://x``) works too, so the same code runs
on a laptop and on a cluster of Airflow workers sharing an object store. Only paths relative to the root travel
between tasks (through XCom), never contents.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
import posixpath
from contextlib import contextmanager
from typing import IO, Any, Iterable, Iterator

from fsspec.core import url_to_fs


class Storage:
    def __init__(self, root: str | os.PathLike):
        root = str(root)
        if "://" not in root:
            root = os.path.abspath(root)
        self.root = root.rstrip("/")
        self.fs, self._base = url_to_fs(self.root)
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        self.is_local = "file" in protocols

    def __repr__(self) -> str:
        return f"Storage({self.root!r})"

    def full(self, rel: str) -> str:
        """The fs path (no protocol) of ``rel`` under the root."""
        rel = rel.lstrip("/")
        return posixpath.join(self._base, rel) if rel else self._base

    def url(self, rel: str) -> str:
        """A URL/path for ``rel`` that fsspec.open understands."""
        rel = rel.lstrip("/")
        return f"{self.root}/{rel}" if rel else self.root

    def local_path(self, rel: str) -> str | None:
        """The local filesystem path of ``rel`` when the root is a folder, else None."""
        return self.full(rel) if self.is_local else None

    def makedirs(self, rel: str) -> None:
        self.fs.makedirs(self.full(rel), exist_ok=True)

    def exists(self, rel: str) -> bool:
        return self.fs.exists(self.full(rel))

    @contextmanager
    def open(self, rel: str, mode: str = "rb", **kw) -> Iterator[IO]:
        if "w" in mode or "a" in mode:
            parent = posixpath.dirname(rel.lstrip("/"))
            if parent:
                self.makedirs(parent)
        if self.is_local:  # plain open: streams (pipes, FIFOs) work and nothing seeks behind our back
            with open(self.full(rel), mode, **kw) as f:
                yield f
        else:
            with self.fs.open(self.full(rel), mode, **kw) as f:
                yield f

    @contextmanager
    def atomic_write(self, rel: str, mode: str = "wb") -> Iterator[IO]:
        """Write to a temporary name, then rename: readers never see half a file."""
        tmp = f"{rel}.tmp-{os.getpid()}"
        with self.open(tmp, mode) as f:
            yield f
        self.fs.mv(self.full(tmp), self.full(rel))

    def write_jsonl(self, rel: str, rows: Iterable[dict]) -> int:
        """Write ``rows`` as JSON lines, atomically (readers never see half a batch). Returns the count."""
        n = 0
        with self.atomic_write(rel, "w") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                n += 1
        return n

    def write_json(self, rel: str, value: Any, **dump: Any) -> None:
        """Write ``value`` as one JSON document, atomically (``dump``: json.dump's options)."""
        with self.atomic_write(rel, "w") as f:
            json.dump(value, f, **dump)

    def read_jsonl(self, rel: str) -> Iterator[dict]:
        with self.open(rel, "r", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)

    def read_json_object(self, rel: str) -> dict | None:
        """A file holding one JSON object, or None when it is missing, unreadable or holds something else."""
        try:
            with self.open(rel, "r", encoding="utf-8") as f:
                value = json.load(f)
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def listdir(self, rel: str = "", pattern: str | None = None) -> list[str]:
        """Relative paths of the files directly under ``rel`` (sorted); optional glob pattern on the name."""
        base = self.full(rel)
        if not self.fs.exists(base):
            return []
        out = []
        for p in self.fs.ls(base, detail=False):
            name = posixpath.basename(p.rstrip("/"))
            if pattern and not fnmatch.fnmatch(name, pattern):
                continue
            out.append(posixpath.join(rel.strip("/"), name) if rel.strip("/") else name)
        return sorted(out)

    def glob(self, pattern: str) -> list[str]:
        """Relative paths matching a glob below the root (sorted)."""
        base = self._base.rstrip("/") + "/"
        return sorted(p[len(base):] if p.startswith(base) else p for p in self.fs.glob(self.full(pattern)))

    def find(self, rel: str = "") -> dict[str, int]:
        """Every file below ``rel``, recursively: relative path -> size in bytes (on an object store, one flat
        listing of the prefix, not one request per folder)."""
        return {path: info.get("size") or 0 for path, _, info in self._files_below(rel)}

    def find_modified(self, rel: str = "") -> dict[str, tuple[int, dt.datetime]]:
        """Every file below ``rel`` as ``find`` lists it, with its modification time (UTC) beside its size, from the
        same one listing (a folder's ``mtime``, an object's ``LastModified``)."""
        out = {}
        for path, full, info in self._files_below(rel):
            when = (info.get("mtime") or info.get("LastModified") or info.get("last_modified") or info.get("created")
                    or self.fs.modified(full))
            if isinstance(when, (int, float)):
                when = dt.datetime.fromtimestamp(when, dt.timezone.utc)
            out[path] = (info.get("size") or 0, when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc))
        return out

    def _files_below(self, rel: str) -> Iterator[tuple[str, str, dict]]:
        """(relative path, full path, listing details) of every file below ``rel``, sorted."""
        full = self.full(rel)
        if not self.fs.exists(full):
            return
        base = self._base.rstrip("/") + "/"
        for p, info in sorted(self.fs.find(full, detail=True).items()):
            if info.get("type") != "directory":
                yield (p[len(base):] if p.startswith(base) else p), p, info

    def versions(self, rel: str = "") -> dict[str, str | None]:
        """Every file below ``rel``, recursively: relative path -> its version, a tag that changes whenever the file
        is written again, even with the same size and at once (a folder: size, modification time in ns and inode;
        a rename keeps them. An object store: the ETag, the content's MD5 for an object written in one piece, and the
        size), or None where the store gives none. One listing, read afresh (not from fsspec's listing cache), so a
        file's version here is what its next ``open`` reads."""
        full = self.full(rel)
        if self.is_local:
            out = {}
            for folder, _, names in os.walk(full):
                for name in names:
                    path = os.path.join(folder, name)
                    try:
                        out[os.path.relpath(path, self._base).replace(os.sep, "/")] = _stat_version(os.stat(path))
                    except FileNotFoundError:       # removed or renamed since the folder was read
                        continue
            return dict(sorted(out.items()))
        self.fs.invalidate_cache(full)
        if not self.fs.exists(full):
            return {}
        base = self._base.rstrip("/") + "/"
        return {(p[len(base):] if p.startswith(base) else p): _info_version(info)
                for p, info in sorted(self.fs.find(full, detail=True).items()) if info.get("type") != "directory"}

    def file_version(self, f: IO) -> str | None:
        """The version (as ``versions`` gives it) of what the open file ``f`` reads: on a folder the file it opened,
        whatever was renamed over its path since; on an object store the ETag its reads are pinned to (s3fs reads
        with If-Match, so a file written again meanwhile fails the read rather than mixing two versions)."""
        if self.is_local:
            return _stat_version(os.fstat(f.fileno()))
        details = getattr(f, "details", None)
        return _info_version(details) if isinstance(details, dict) else None

    def remove(self, rel: str) -> None:
        if self.exists(rel):
            self.fs.rm(self.full(rel), recursive=True)


def file_stem(name: str) -> str:
    """``name`` (a run id) as a file name: the characters a file name cannot hold, such as ":" and "+" of a
    scheduled run's id, as "_"."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _stat_version(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _info_version(info: dict) -> str | None:
    etag = str(info.get("ETag") or info.get("etag") or "").strip('"')
    return f"{etag}:{info.get('size')}" if etag else None
