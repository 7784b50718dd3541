"""Compiled regular expressions kept between processes, for the few patterns that take seconds to compile.

Loading spaCy's French model imports ``spacy.lang.fr.tokenizer_exceptions``, which compiles ``TOKEN_MATCH``: one
case-insensitive pattern of 1.45 million characters (the hyphenated and elided French words, each alternative with
its own copy of a large character class). Python's ``re`` takes about 3 s of CPU to parse and compile it (6 s on a
slow day), and every worker of every processing pool that meets a French page paid it again (docs/processing.md,
"Benchmark"). The compiled program, a list of integers that ``re`` hands to its C engine (``_sre.compile``), is the
same every time for one pattern, flags and Python.

``kept_compiles()`` keeps it: while the context is active, compiling a pattern of ``MIN_LENGTH`` characters or more
(``re.compile``, and whatever compiles through ``re``'s cache) reads its program from
``$NEWSETL_CACHE_DIR/regex/<key>.bin`` (default ``~/.cache/newsetl``), in a few milliseconds. The first compile on
a machine writes the file (~0.8 MB for French). The key hashes the pattern, the flags, Python's version, the byte
order and the engine's magic number, so a Python upgrade compiles again (the old file stays, unused: delete the
folder at will, it is built again). Shorter patterns, and everything outside the context,
compile as usual.

What cannot go wrong silently: the file holds a SHA-256 of its program, checked on reading; the C engine validates
the program again when it builds the pattern; a file that fails either check, or cannot be read or written, is
compiled the usual way (and written again), with a warning for a write that fails. A Python whose ``re`` internals
differ from CPython 3.11's (no ``_compiler._code``) compiles as usual: the context does nothing.
"""
from __future__ import annotations

import array
import contextlib
import hashlib
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from pipeline.cachedir import cache_root

log = logging.getLogger(__name__)

MIN_LENGTH = 100_000        # characters: the French pattern has 1.45 million; spaCy's other patterns a few thousand
_FORMAT = 1                 # of the file: a JSON header line, then the program as native unsigned integers

_lock = threading.Lock()
_depth = 0
_original = None            # re._compiler.compile while the context is active


def cache_dir() -> Path | None:
    """Where the programs are kept: ``$NEWSETL_CACHE_DIR/regex`` (default ``~/.cache/newsetl/regex``), beside the
    places tables (``pipeline.cachedir``); None without a folder (no home directory): patterns compile as usual."""
    root = cache_root()
    return None if root is None else root / "regex"


def _engine():
    """``(re._compiler, re._parser, _sre)`` when this Python's ``re`` is built the way this module reads it."""
    try:
        import _sre
        from re import _compiler, _parser
    except ImportError:
        return None
    needed = (hasattr(_compiler, "_code") and hasattr(_compiler, "compile") and hasattr(_parser, "parse")
              and hasattr(_sre, "compile") and hasattr(_sre, "MAGIC") and hasattr(_sre, "CODESIZE"))
    return (_compiler, _parser, _sre) if needed else None


def _typecode(codesize: int) -> str | None:
    """The ``array`` type of the engine's code units (4 bytes on CPython)."""
    for code in ("I", "L", "H"):
        if array.array(code).itemsize == codesize:
            return code
    return None


def _key(pattern: str, flags: int, sre) -> str:
    digest = hashlib.sha256()
    for part in (sys.version, sys.byteorder, str(sre.MAGIC), str(sre.CODESIZE), str(flags), pattern):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _read(path: Path, pattern: str, sre, typecode: str):
    """The pattern built from the program in ``path``, or None (no file, a damaged one, a program the engine
    refuses)."""
    try:
        with open(path, "rb") as f:
            header = json.loads(f.readline())
            data = f.read()
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        log.warning("regex cache %s unreadable (%s): compiling again", path, e)
        return None
    try:
        if header.get("format") != _FORMAT:
            raise ValueError(f"format {header.get('format')!r}, not {_FORMAT}")
        if hashlib.sha256(data).hexdigest() != header["sha256"]:
            raise ValueError("its checksum does not match")
        code = array.array(typecode)
        code.frombytes(data)
        groupindex = {str(k): int(v) for k, v in header["groupindex"].items()}
        return sre.compile(pattern, int(header["flags"]), code.tolist(), int(header["groups"]), groupindex,
                           tuple(header["indexgroup"]))
    except (KeyError, TypeError, ValueError, RuntimeError, AttributeError) as e:    # RuntimeError: invalid code
        log.warning("regex cache %s not usable (%s): compiling again", path, e)
        return None


def _write(path: Path, header: dict, code: list[int], typecode: str) -> None:
    data = array.array(typecode, code).tobytes()
    header = {**header, "format": _FORMAT, "sha256": hashlib.sha256(data).hexdigest()}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(json.dumps(header).encode() + b"\n")
            f.write(data)
        os.replace(tmp, path)           # two processes writing at once: either whole file wins
    except OSError as e:
        log.warning("regex cache %s not written (%s): set NEWSETL_CACHE_DIR to a writable folder", path, e)
        with contextlib.suppress(OSError):
            tmp.unlink()


def _kept_compile(engine, original, typecode: str):
    _compiler, _parser, sre = engine

    def compile(p, flags=0):
        folder = cache_dir()
        if (folder is None or not isinstance(p, str) or len(p) < MIN_LENGTH or not isinstance(flags, int)
                or flags & re.DEBUG):
            return original(p, flags)
        path = folder / f"{_key(p, flags, sre)}.bin"
        kept = _read(path, p, sre, typecode)
        if kept is not None:
            return kept
        # compiled here as re's own compile does it, keeping the program to write
        parsed = _parser.parse(p, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, number in groupindex.items():
            indexgroup[number] = name
        final_flags = flags | parsed.state.flags
        compiled = sre.compile(p, final_flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        _write(path, {"flags": final_flags, "groups": parsed.state.groups - 1, "groupindex": groupindex,
                      "indexgroup": indexgroup}, code, typecode)
        return compiled

    return compile


@contextlib.contextmanager
def kept_compiles() -> Iterator[None]:
    """While active (in any thread of this process), long patterns compile from ``cache_dir()`` (module docstring).
    Nested and concurrent uses share one hook, removed when the last one ends."""
    global _depth, _original
    engine = _engine()
    typecode = _typecode(engine[2].CODESIZE) if engine else None
    if engine is None or typecode is None:
        yield
        return
    _compiler = engine[0]
    with _lock:
        if _depth == 0:
            _original = _compiler.compile
            _compiler.compile = _kept_compile(engine, _original, typecode)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _compiler.compile = _original
                _original = None
