"""`python -m geo add-source FILE --id ID --title ... --published YYYY-MM-DD`: register a document.

Extracts the text (geo.ingest.extract), records the chain of custody (sha256 of the file as
obtained and of the stored text, where it came from, its licence) and writes text, original and
catalogue entry together through geo.evidence.sources.register — all or nothing.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from geo.evidence import sources
from geo.evidence.sources import SourceDocument, SourceError
from geo.ingest.extract import extract_bytes

MAX_KEPT_ORIGINAL = 2_000_000     # larger originals are not committed; their hash still is
LANGUAGES = {"en", "ru", "ko"}


def detect_language(text: str) -> str:
    """ru, ko or en by the script most letters are written in (enough to pick the date parser)."""
    cyrillic = len(re.findall(r"[а-яё]", text, re.I))
    hangul = len(re.findall(r"[\uac00-\ud7a3]", text))
    latin = len(re.findall(r"[a-z]", text, re.I))
    best = max((cyrillic, "ru"), (hangul, "ko"), (latin, "en"))
    return best[1]


def check_published(value: str) -> str:
    if not sources.PUBLISHED_PATTERN.match(value or ""):
        raise SourceError(f"--published {value!r}: give YYYY-MM-DD (or YYYY-MM, YYYY as the document allows)")
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise SourceError(f"--published {value!r}: {exc}") from None
    return value


def add_source(path: Path, doc_id: str, title: str, published: str, language: str | None = None, *,
               short_title: str = "", author: str = "", publisher: str = "", obtained_from: str = "",
               licence: str = "", sources_dir: Path = sources.SOURCES_DIR) -> SourceDocument:
    """Register the document at `path`; raises a GeoError (one line) and writes nothing on bad input."""
    path = Path(path)
    if not sources.ID_PATTERN.match(doc_id or ""):
        raise SourceError(f"--id {doc_id!r}: use lowercase a-z, 0-9 and '-' (e.g. hrw-2024-logging)")
    if not (title or "").strip():
        raise SourceError("--title is empty: give the document's full title")
    check_published(published)
    if language is not None and language not in LANGUAGES:
        raise SourceError(f"--lang {language!r}: use one of {', '.join(sorted(LANGUAGES))}")
    existing = sources.catalogue(sources_dir)
    if doc_id in existing:
        raise SourceError(f"a document with id {doc_id!r} is already registered; choose another --id")
    try:
        original = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    original_hash = sources.sha256_hex(original)
    for other in existing.values():
        if original_hash in (other.original_sha256, other.text_sha256):
            raise SourceError(f"{path.name} is already registered as {other.id!r} (same sha256); nothing was written")
    extracted = extract_bytes(original, path.name)
    suffix = {"pdf": ".pdf", "html": ".html"}.get(extracted.format, path.suffix.lower() or ".txt")
    keep_original = len(original) <= MAX_KEPT_ORIGINAL
    original_name = f"originals/{doc_id}{suffix}" if keep_original else ""
    doc = SourceDocument(
        id=doc_id, title=" ".join(title.split()), published=published,
        language=language or detect_language(extracted.text),
        text_file=f"{doc_id}.txt", text_sha256=sources.sha256_hex(extracted.text.encode("utf-8")),
        original_sha256=original_hash, short_title=short_title or _short(title, published),
        author=author, publisher=publisher, published_as_written=published,
        format={"pdf": "PDF", "html": "HTML page saved from a browser", "text": "plain text (UTF-8)"}[extracted.format],
        obtained_from=obtained_from or f"file {path.name} added with python -m geo add-source",
        licence=licence or "not stated; check before publishing any part beyond quotations",
        original_file=original_name, pages=tuple(extracted.pages), page_labels=tuple(extracted.page_labels),
        added=dt.date.today().isoformat())
    return sources.register(doc, extracted.text, original if keep_original else None, original_name or None,
                            sources_dir)


def _short(title: str, published: str) -> str:
    words = " ".join(title.split()[:6])
    return f"{words}{'…' if len(title.split()) > 6 else ''} ({published[:4]})"


def add_uploaded(content: bytes, filename: str, doc_id: str, title: str, published: str,
                 language: str | None = None, **metadata) -> SourceDocument:
    """add_source for a file uploaded in the app: the same checks, extraction and catalogue entry
    (the upload is written to a temporary folder under its own name, which picks the format)."""
    import tempfile

    name = Path(filename or "upload").name or "upload"
    with tempfile.TemporaryDirectory(prefix="incident-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        return add_source(path, doc_id, title, published, language, **metadata)
