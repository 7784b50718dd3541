"""Counts in the text a person reads: "1 document", "2 documents", "0.5 days".

Used wherever the CLI, the run report, doctor, errors and the like put a number before a noun, so that there is one
way to make the noun agree with its number.
"""
from __future__ import annotations


def counted(n: float, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun`` in the singular when ``n`` is 1 (or 1.0), else in the plural: ``noun`` + "s", or
    ``plural`` for a noun that does not take an s ("entry", "entries"). ``noun`` may be a phrase ("dead-letter
    file"): the s goes on its end. A float is written with ``:g`` as the callers write days (0.5, 2, 1.5); an int
    as it is."""
    number = f"{n:g}" if isinstance(n, float) else str(n)
    if n == 1:
        return f"{number} {noun}"
    return f"{number} {plural if plural is not None else noun + 's'}"
