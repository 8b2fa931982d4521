"""How a register file is written, kept apart from what it says, so a store can give the file back
byte for byte (ruamel.yaml round trip).

A register file is a header (comment and blank lines), the records (a YAML list, one `- id:` item
each, every record preceded by the comment and blank lines above it) and a trailer. Each record is
split into its **document** — plain JSON values exactly as written (dates as ISO text, as the
register loader reads them) — and its **layout**: per node path ("" is the record, "date/start",
"sources/0/quote"), the facts ruamel.yaml needs to write it the same way again: key order, flow or
block style, quoting, where a folded scalar breaks its lines, comments inside the record.

`render_record(doc, layout)` writes a record from the two; an edited document keeps the style of
every node that is still there (a changed folded text is re-folded, new keys are appended in the
order given). A record whose YAML ruamel.yaml cannot reproduce exactly (an unusual hand-wrapped
plain scalar, say) also keeps its original text, used only while its document is unchanged.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import (DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString,
                                      SingleQuotedScalarString)
from ruamel.yaml.tokens import CommentToken

from geo.errors import GeoError

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUOTED = {'"': DoubleQuotedScalarString, "'": SingleQuotedScalarString,
           ">": FoldedScalarString, "|": LiteralScalarString}
_STYLE_OF = {cls: style for style, cls in _QUOTED.items()}


class LayoutError(GeoError):
    """A register file the store cannot take apart (the message names the file and line)."""


@dataclass
class RecordText:
    doc: dict
    layout: dict
    comments_before: str = ""


@dataclass
class RegisterFile:
    name: str
    header: str = ""
    trailer: str = ""
    records: list[RecordText] = field(default_factory=list)
    empty_list: bool = False     # written as `[]` when it holds no record


class _WrittenNull(str):
    """A null to be written as the curator spelled it (`null`, `~`), not left empty."""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.representer.add_representer(
        _WrittenNull, lambda representer, data: representer.represent_scalar("tag:yaml.org,2002:null", str(data)))
    yaml.preserve_quotes = True
    yaml.width = 4096            # never re-wrap a plain scalar; folded ones keep their own breaks
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _is_filler(line: str) -> bool:
    return not line.strip() or line.startswith("#")


# -- reading -------------------------------------------------------------------------------------
def parse_register_file(name: str, text: str) -> RegisterFile:
    """Split a register file into header, records (document + layout + comments above) and trailer."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("- ") or line.rstrip("\n") == "-"]
    if not starts:
        body = [i for i, line in enumerate(lines) if not _is_filler(line)]
        if not body:
            return RegisterFile(name, header=text)
        if len(body) != 1 or lines[body[0]].strip() != "[]":
            raise LayoutError(f"{name}: line {body[0] + 1}: a register file is a YAML list of `- id: ...` records")
        return RegisterFile(name, "".join(lines[:body[0]]), "".join(lines[body[0] + 1:]), empty_list=True)
    stray = [i for i in range(starts[0]) if not _is_filler(lines[i])]
    if stray:
        raise LayoutError(f"{name}: line {stray[0] + 1}: only comments may come before the first record")
    result = RegisterFile(name, header="".join(lines[:starts[0]]))
    yaml = _yaml()
    before = ""
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        stop = end
        while stop > start + 1 and _is_filler(lines[stop - 1]):
            stop -= 1
        chunk = lines[start:stop]
        body = "".join(line[2:] if line.startswith(("- ", "  ")) else line.lstrip("-") for line in chunk)
        try:
            node = yaml.load(body)
        except Exception as exc:   # ruamel raises many error types; the register check names the field
            raise LayoutError(f"{name}: line {start + 1}: not valid YAML: {exc}") from None
        if not isinstance(node, CommentedMap):
            raise LayoutError(f"{name}: line {start + 1}: a record must be a mapping (id: ..., title: ...)")
        layout: dict = {}
        doc = _extract(node, "", layout, body.splitlines())
        original = "".join(chunk)
        if render_record(doc, layout) != original:
            layout["text"] = {"for": _digest(doc), "yaml": original}
        result.records.append(RecordText(doc, layout, before))
        before = "".join(lines[stop:end])
    result.trailer = before
    return result


def _extract(node, path: str, layout: dict, lines: list[str]):
    """Plain JSON value of a ruamel node; its style facts go into layout[path]."""
    facts: dict = {}
    child = (lambda k: f"{path}/{k}" if path else str(k))
    if isinstance(node, CommentedMap):
        value = {str(k): _extract(v, child(k), layout, lines) for k, v in node.items()}
        facts["keys"] = list(value)
        for k, v in node.items():
            _null_as_written(v, node.lc.value(k), child(k), layout, lines)
    elif isinstance(node, CommentedSeq):
        value = [_extract(v, child(i), layout, lines) for i, v in enumerate(node)]
        for i, v in enumerate(node):
            _null_as_written(v, node.lc.item(i), child(i), layout, lines)
    elif isinstance(node, dt.datetime):
        raise LayoutError(f"{path}: a date and time ({node}); the register records dates only")
    elif isinstance(node, dt.date):
        return node.isoformat()   # written plain, as YAML dates are (render writes ISO text back as a date)
    elif isinstance(node, str):
        style = _STYLE_OF.get(type(node))
        if style:
            facts["style"] = style
        if style == ">":   # where the curator broke the lines (none: one long line), for this text
            facts["fold"] = list(getattr(node, "fold_pos", None) or [])
            facts["folded"] = _text_digest(str(node))
        value = str(node)
        if style is None and ISO_DATE.match(value):
            raise LayoutError(f"{path}: {value!r} reads as a date but is not one; quote it")
    elif isinstance(node, bool) or node is None:
        value = node
    elif isinstance(node, int):
        value = int(node)
    elif isinstance(node, float):
        value = float(node)
    else:
        raise LayoutError(f"{path}: a value of type {type(node).__name__} has no place in the register")
    if isinstance(node, (CommentedMap, CommentedSeq)):
        if node.fa.flow_style():
            facts["flow"] = True
        comments = _comments_of(node)
        if comments:
            facts["comments"] = comments
    if facts:
        layout[path] = facts
    return value


def _null_as_written(value, position, path: str, layout: dict, lines: list[str]) -> None:
    """A null written out (`null`, `~`) rather than left empty: keep the spelling."""
    if value is not None or not position:
        return
    line, column = position
    written = lines[line][column:].split(maxsplit=1) if line < len(lines) else []
    if written and written[0].rstrip(",}]") in ("null", "Null", "NULL", "~"):
        layout[path] = {"null": written[0].rstrip(",}]")}


def _comments_of(node) -> dict:
    ca = node.ca
    found = {}
    if ca.comment:
        found["~"] = _tokens(ca.comment)
    for key, slots in ca.items.items():
        found[str(key)] = _tokens(slots)
    if ca.end:
        found["~end"] = _tokens(ca.end)
    return {k: v for k, v in found.items() if v is not None}


def _tokens(value):
    if value is None:
        return None
    if isinstance(value, CommentToken):
        return {"value": value.value, "column": value.column}
    if isinstance(value, list):
        items = [_tokens(v) for v in value]
        return items if any(i is not None for i in items) else None
    return None


# -- writing -------------------------------------------------------------------------------------
def render_record(doc: dict, layout: dict) -> str:
    """The record as a register list item (`- id: ...`), in its layout."""
    kept = layout.get("text")
    if kept and kept.get("for") == _digest(doc):
        return kept["yaml"]
    out = io.StringIO()
    _yaml().dump(_build(doc, "", layout), out)
    lines = out.getvalue().splitlines(keepends=True)
    return "".join(("- " if i == 0 else "  " if line.strip() else "") + line for i, line in enumerate(lines))


# How the curators write a record by hand, for a record that has no layout yet (a new one): lists
# of words and date readings in flow style, what is "as written" and locators in double quotes,
# quotes and long texts folded (`>-`).
_FLOW_LISTS = ("actors", "related", "people_names", "court_decision/outcome")
_QUOTED_TEXTS = ("date/as_written", "place/as_written", "period/as_written")
_LONG_TEXTS = ("title", "outcome", "notes")


def house_layout(doc: dict) -> dict:
    """A layout that writes `doc` the way the register's curators write records by hand."""
    layout: dict = {}
    for path in _FLOW_LISTS:
        layout[path] = {"flow": True}
    for path in _QUOTED_TEXTS:
        layout[path] = {"style": '"'}
    for path in _LONG_TEXTS:
        if len(str(doc.get(path) or "")) > FOLD_WIDTH - len(path) - 4:
            layout[path] = {"style": ">"}
    for i, source in enumerate(doc.get("sources") or []):
        layout[f"sources/{i}/locator"] = {"style": '"'}
        layout[f"sources/{i}/quote"] = {"style": ">"}
    for i, _ in enumerate((doc.get("date") or {}).get("readings") or []):
        layout[f"date/readings/{i}"] = {"flow": True}
        layout[f"date/readings/{i}/as_written"] = {"style": '"'}
    return layout


def render_register_file(register_file: RegisterFile) -> str:
    parts = [register_file.header]
    if not register_file.records:
        if register_file.empty_list:
            parts.append("[]\n")
    for record in register_file.records:
        parts += [record.comments_before, render_record(record.doc, record.layout)]
    parts.append(register_file.trailer)
    return "".join(parts)


def _build(value, path: str, layout: dict):
    facts = layout.get(path, {})
    child = (lambda k: f"{path}/{k}" if path else str(k))
    if isinstance(value, dict):
        order = [k for k in facts.get("keys", []) if k in value] + [k for k in value if k not in facts.get("keys", [])]
        node = CommentedMap((k, _build(value[k], child(k), layout)) for k in order)
    elif isinstance(value, list):
        node = CommentedSeq(_build(v, child(i), layout) for i, v in enumerate(value))
    elif value is None and "null" in facts:
        return _WrittenNull(facts["null"])
    elif isinstance(value, str):
        style = facts.get("style")
        if style is None:
            return dt.date.fromisoformat(value) if ISO_DATE.match(value) and _is_date(value) else value
        node = _QUOTED[style](value)
        if style == ">":   # the curator's line breaks while the text is unchanged; a changed text is folded afresh
            same = facts.get("folded") == _text_digest(value)
            node.fold_pos = facts["fold"] if same and "fold" in facts else _fold_positions(value)
        return node
    else:
        return value
    if facts.get("flow"):
        node.fa.set_flow_style()
    else:
        node.fa.set_block_style()
    for key, slots in facts.get("comments", {}).items():
        restored = _restore(slots)
        if key == "~":
            node.ca.comment = restored
        elif key == "~end":
            node.ca.end = restored
        else:   # a comment after an item that is still there (an edit may have removed it)
            item = int(key) if isinstance(node, CommentedSeq) else key
            if (item < len(node)) if isinstance(node, CommentedSeq) else (item in node):
                node.ca.items[item] = restored
    return node


def _restore(value):
    if value is None:
        return None
    if isinstance(value, dict):
        return CommentToken(value["value"], CommentMark(value["column"]), None)
    return [_restore(v) for v in value]


FOLD_WIDTH = 92


def _fold_positions(text: str, width: int = FOLD_WIDTH) -> list[int]:
    """Spaces at which a folded scalar breaks so that no line is longer than `width` (greedy)."""
    positions, line_start, last_space = [], 0, None
    for i, char in enumerate(text):
        if char == "\n":
            line_start, last_space = i + 1, None
        elif char == " " and 0 < i < len(text) - 1 and text[i - 1] != " " and text[i + 1] != " ":
            if i - line_start > width and last_space is not None:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = i
    if len(text) - line_start > width and last_space is not None and last_space > line_start:
        positions.append(last_space)
    return positions


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _digest(doc: dict) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def document_digest(doc: dict) -> str:
    """A stable hash of a record document: the file store's version of a record."""
    return _digest(doc)
