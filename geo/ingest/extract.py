"""Text out of a PDF, an HTML page saved from a browser, or a plain-text file.

PDF: pypdf (pure Python, reads the text layer page by page; the page labels a PDF declares become
the locators' "p. 12"). HTML: trafilatura (finds the article text, leaves out menus, footers and
scripts). Plain text must be UTF-8. The text is then normalised without changing a word: Unicode
NFC, one kind of line end, no soft hyphens, runs of spaces collapsed, lines of one paragraph joined,
and a word broken across a line end by a hyphen joined again — unless the same document writes
it with the hyphen elsewhere. Pages are separated by a form feed and their start offsets kept.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import GeoError

PAGE_BREAK = "\f"
MIN_TEXT_CHARS_PER_PAGE = 20      # below this on average the PDF is scanned images, not text


class ExtractionError(GeoError):
    """A file that yields no usable text; the message names the file and what to do."""


@dataclass
class ExtractedText:
    text: str
    format: str                                   # pdf | html | text
    pages: list[int] = field(default_factory=list)          # offset where each page starts
    page_labels: list[str] = field(default_factory=list)    # printed page numbers, if declared
    title: str = ""                               # from the file's own metadata, if any


def extract(path: Path) -> ExtractedText:
    """The normalised text of a file, or an ExtractionError with a one-line reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"cannot read {path}: {exc.strerror or exc}") from None
    return extract_bytes(data, path.name)


def detect_format(data: bytes, name: str) -> str:
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if name.lower().endswith((".html", ".htm", ".xhtml", ".mhtml")) or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def declared_title(data: bytes, name: str) -> str:
    """The title a file declares about itself (PDF metadata, HTML <title>), without extracting its
    text: to pre-fill an upload form. Empty when there is none or the file cannot be read."""
    kind = detect_format(data, name)
    try:
        if kind == "pdf":
            from pypdf import PdfReader
            return " ".join(str((PdfReader(io.BytesIO(data)).metadata or {}).get("/Title") or "").split())
        if kind == "html":
            found = re.search(rb"<title[^>]*>(.*?)</title>", data[:200_000], re.I | re.S)
            import html
            return " ".join(html.unescape(found.group(1).decode("utf-8", "replace")).split()) if found else ""
    except Exception:      # a damaged file: add-source says what is wrong with it when it is registered
        return ""
    return ""


def extract_bytes(data: bytes, name: str) -> ExtractedText:
    if not data.strip():
        raise ExtractionError(f"{name} is empty: there is no text to take in")
    kind = detect_format(data, name)
    if kind == "pdf":
        return _pdf(data, name)
    if kind == "html":
        return _html(_decode(data, name), name)
    return ExtractedText(normalise_text(_decode(data, name)), "text")


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("cp1251")
            hint = " (it looks like Windows-1251: iconv -f CP1251 -t UTF-8 converts it)"
        except UnicodeDecodeError:
            pass
        raise ExtractionError(f"{name} is not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}"
                              f"{hint}; save it as UTF-8 and try again") from None


def _pdf(data: bytes, name: str) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(f"{name} is an encrypted PDF: save a copy without the password and try again")
        raw_pages = [page.extract_text() or "" for page in reader.pages]
        labels = list(reader.page_labels) if reader.pages else []
        title = str((reader.metadata or {}).get("/Title") or "")
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        if "decrypt" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ExtractionError(f"{name} is an encrypted PDF: save a copy without the password and try again") from None
        raise ExtractionError(f"{name} is not a readable PDF ({exc})") from None
    if not raw_pages:
        raise ExtractionError(f"{name} is a PDF with no pages")
    if sum(len(p.strip()) for p in raw_pages) < MIN_TEXT_CHARS_PER_PAGE * len(raw_pages):
        raise ExtractionError(f"{name} has no text layer (scanned pages?): run OCR on it first "
                              "(e.g. ocrmypdf), then add the OCR'd PDF")
    # Hyphenation is judged on the whole document: "long-term" written once keeps its hyphen everywhere.
    hyphenated = _hyphenated_words("\n".join(raw_pages))
    pages = [normalise_text(p, hyphenated) for p in raw_pages]
    offsets, text = [], ""
    for i, page in enumerate(pages):
        if i:
            text += PAGE_BREAK + "\n"
        offsets.append(len(text))
        text += page
    numbered = [str(i + 1) for i in range(len(pages))]
    return ExtractedText(text, "pdf", offsets, labels if labels != numbered else [], title)


def _html(markup: str, name: str) -> ExtractedText:
    import trafilatura

    text = trafilatura.extract(markup, include_comments=False, include_tables=True, favor_recall=True,
                               output_format="txt", with_metadata=False)
    if not text or not text.strip():
        raise ExtractionError(f"{name}: no article text found in the HTML (is it the saved page itself, "
                              "not a redirect or a login page?)")
    metadata = trafilatura.extract_metadata(markup)
    return ExtractedText(normalise_text(text, join_lines=False), "html", title=(metadata.title if metadata and metadata.title else ""))


_BROKEN = re.compile(r"([^\W\d_]+)-\n[ \t]*([^\W\d_]+)")


def _hyphenated_words(text: str) -> set[str]:
    """Words the document itself writes with a hyphen inside a line ("long-term", "Rajin-Sonbong")."""
    return {m.group().casefold() for m in re.finditer(r"[^\W\d_]+-[^\W\d_]+", text)}


def normalise_text(text: str, hyphenated: set[str] | None = None, join_lines: bool = True) -> str:
    """Whitespace and hyphenation tidied; every word kept as written. `join_lines=False` keeps each
    line (trafilatura gives one paragraph or heading per line)."""
    hyphenated = _hyphenated_words(text) if hyphenated is None else hyphenated
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = text.replace("\u00a0", " ")

    def rejoin(match: re.Match) -> str:
        left, right = match.group(1), match.group(2)
        if right[:1].isupper() or f"{left}-{right}".casefold() in hyphenated:
            return f"{left}-{right}"
        return left + right

    text = _BROKEN.sub(rejoin, text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    # A single line end inside a paragraph (no sentence end before it) becomes a space.
    if join_lines:
        text = re.sub(r"(?<![.!?:;»\"”)\n])\n(?!\n|[-•*\d]+[.)]? )", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
