"""Typed errors. Every message names the file, the record and the field, and says what to do."""
from __future__ import annotations

from dataclasses import dataclass


class GeoError(Exception):
    """Anything the CLI turns into a message and a non-zero exit code."""


@dataclass(frozen=True)
class Problem:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.message}"


class RegisterError(GeoError):
    """The register has problems; all of them are listed, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the register; nothing was written:\n{lines}")


class GazetteerMiss(GeoError):
    """A place name is not in the gazetteer within the given federal subject."""


class AmbiguousPlace(GeoError):
    """A place name matches more than one gazetteer row in the given federal subject."""


class DataFileMissing(GeoError):
    """A built data file is missing or unreadable; the message says which command makes it."""
