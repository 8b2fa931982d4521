"""Register files taken apart into documents + layouts and put together again (geo.store.layout)."""
from __future__ import annotations

import json

import pytest

from geo.evidence.register import load_register
from geo.paths import REGISTER_DIR
from geo.store.documents import document_of, field_changes
from geo.store.layout import FOLD_WIDTH, LayoutError, parse_register_file, render_record, render_register_file


@pytest.mark.parametrize("path", sorted(REGISTER_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_committed_register_file_comes_back_byte_for_byte_from_plain_json(path):
    text = path.read_text(encoding="utf-8")
    parsed = parse_register_file(path.name, text)
    for record in parsed.records:   # what a database keeps: JSON, nothing of ruamel's objects
        record.doc, record.layout = json.loads(json.dumps(record.doc)), json.loads(json.dumps(record.layout))
        assert "text" not in record.layout, f"{record.doc['id']} needed its original text kept"
    assert render_register_file(parsed) == text


def test_documents_hold_what_the_register_loader_reads():
    register = load_register()
    by_id = {r.id: r for r in [*register.incidents, *register.sites]}
    for path in sorted(REGISTER_DIR.glob("*.yaml")):
        for record in parse_register_file(path.name, path.read_text(encoding="utf-8")).records:
            model = by_id[record.doc["id"]]
            assert type(model).model_validate(record.doc) == model
            assert document_of(model, record.doc) == record.doc   # nothing added, nothing lost


SAMPLE = """# header

- id: a-1
  title: T  # a comment after a value
  # a comment line inside the record
  type: death
  sources:
    - doc: x
      quote: >-
        one two three
        four five
- id: b-2
  title: "Quoted"
  date: {start: 2011-01-01, end: null, as_written: '2011'}

# trailer
"""


def test_comments_quoting_flow_style_and_dates_survive():
    parsed = parse_register_file("t.yaml", SAMPLE)
    assert parsed.header == "# header\n\n" and parsed.trailer == "\n# trailer\n"
    assert parsed.records[1].doc["date"] == {"start": "2011-01-01", "end": None, "as_written": "2011"}
    assert render_register_file(parsed) == SAMPLE


def test_an_edited_record_keeps_the_style_of_what_did_not_change_and_new_fields_need_nothing():
    parsed = parse_register_file("t.yaml", SAMPLE)
    record = parsed.records[0]
    record.doc["title"] = "New title"
    record.doc["court"] = {"name": "Khasansky District Court", "decided": "2019-03-04", "case_number": "5-12/2019"}
    text = render_record(record.doc, record.layout)
    assert text.startswith("- id: a-1\n  title: New title # a comment after a value\n  # a comment line inside")
    assert "      quote: >-\n        one two three\n        four five\n" in text        # unchanged text, same breaks
    assert "  court:\n    name: Khasansky District Court\n    decided: 2019-03-04\n" in text
    reparsed = parse_register_file("t.yaml", text)
    assert reparsed.records[0].doc == record.doc


def test_a_changed_folded_quote_is_folded_afresh_within_the_width():
    parsed = parse_register_file("t.yaml", SAMPLE)
    record = parsed.records[0]
    record.doc["sources"][0]["quote"] = " ".join(["word"] * 80)
    text = render_record(record.doc, record.layout)
    lines = [line for line in text.splitlines() if line.startswith("        word")]
    assert len(lines) > 2 and all(len(line.strip()) <= FOLD_WIDTH for line in lines)
    assert parse_register_file("t.yaml", text).records[0].doc == record.doc


def test_empty_files_and_bad_files():
    assert render_register_file(parse_register_file("e.yaml", "[]\n")) == "[]\n"
    with pytest.raises(LayoutError, match="x.yaml: line 1: a register file is a YAML list"):
        parse_register_file("x.yaml", "id: a\n")
    with pytest.raises(LayoutError, match="y.yaml: line 2: not valid YAML"):
        parse_register_file("y.yaml", "- id: a\n- title: [unclosed\n")


def test_field_changes_name_each_field_by_path():
    before = {"id": "a", "date": {"start": "2011-01-01"}, "actors": ["un"], "sources": [{"doc": "x", "quote": "q"}]}
    after = {"id": "a", "date": {"start": "2012-01-01"}, "actors": ["un", "other"],
             "sources": [{"doc": "x", "quote": "q2"}, {"doc": "y", "quote": "r"}], "notes": "n"}
    assert [(c.field, c.before, c.after) for c in field_changes(before, after)] == [
        ("date/start", "2011-01-01", "2012-01-01"), ("actors", ["un"], ["un", "other"]),
        ("sources/0/quote", "q", "q2"), ("sources/1", None, {"doc": "y", "quote": "r"}), ("notes", None, "n")]
