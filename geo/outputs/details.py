"""A record's details: the rows the app's details panel and the map popups both show, and the
popup HTML made from them (every value escaped)."""
from __future__ import annotations

import math
from collections.abc import Mapping

from geo.outputs.html_text import esc
from geo.evidence.vocabulary import COURT_INSTANCES, COURT_OUTCOMES, GRAPHIC_TYPES, INCIDENT_TYPES, LOCATION_PRECISIONS

# Shown where a description is held back (whole sentences, for translation later).
SHOW_DESCRIPTION = "Show description"
HELD_BACK = ("This record describes {what}. Its description (the quotes, the outcome and notes) is shown "
             "when you ask for it.")


def present(value) -> bool:
    """False for a missing value: None, NaN (pandas fills absent fields with it), "" and []."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return bool(value)
    return True


def place_text(p: Mapping) -> str:
    """'in a village near Yekaterinburg → Sverdlovsk Oblast (region precision)': the place as
    written, once when the resolved name says the same."""
    written, name = p.get("place_as_written"), p["place_name"]
    precision = LOCATION_PRECISIONS[p["location_precision"]]
    same = not present(written) or written.strip().casefold() == str(name).strip().casefold()
    return f"{name} ({precision} precision)" if same else f"{written} → {name} ({precision} precision)"


def region_text(p: Mapping) -> str | None:
    """The federal subject, when the record has one and the place name is not already it."""
    region = p.get("subject_name")
    return region if present(region) and region != p["place_name"] else None


def date_text(p: Mapping) -> str:
    written = p.get("date_as_written")
    return f'{p["date_label"]} — as written: “{written}”' if present(written) else p["date_label"]


def court_facts(p: Mapping) -> list[tuple[str, str]]:
    """What a court decided, as (label, text) rows; empty for records that are not court decisions.
    The app's details panel and the popups both show these rows."""
    instance = p.get("court_instance")
    if not isinstance(instance, str):
        return []
    court = p.get("court_name") if isinstance(p.get("court_name"), str) else None
    outcomes = [COURT_OUTCOMES.get(o, o) for o in (p.get("court_outcome") or [])]
    return [
        ("Court", court or "not named in the source"),
        ("Instance", COURT_INSTANCES.get(instance, instance)),
        ("Court outcome", "; ".join(outcomes)),
    ]


def is_graphic(p: Mapping) -> bool:
    """The record describes a killing, a death or ill-treatment (geo.evidence.vocabulary.GRAPHIC_TYPES)."""
    return p.get("type") in GRAPHIC_TYPES


def held_back_text(p: Mapping) -> str:
    return HELD_BACK.format(what=INCIDENT_TYPES.get(p["type"], p["type"]).lower())


DESCRIPTION_ROWS = ("Outcome",)   # the rows that describe what happened, beyond what and where


def incident_rows(p: Mapping, titles: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, text) rows of an incident, leaving out what the record does not have."""
    titles = titles or {}
    people = p.get("people_affected")
    rows = [
        ("Type", p["type_label"]),
        ("Date", date_text(p)),
        ("Place", place_text(p)),
        ("Region", region_text(p)),
        *court_facts(p),
        ("People affected", f"{int(people)} (lowest figure in the sources)" if present(people) else None),
        ("Actors", ", ".join(p.get("actor_labels") or [])),
        ("Outcome", p.get("outcome")),
        ("Same case", ", ".join(titles.get(r, r) for r in (p.get("related") or []))),
        ("Record", p["id"]),
    ]
    return [(label, str(value)) for label, value in rows if present(value)]


def site_rows(p: Mapping) -> list[tuple[str, str]]:
    here = list(p.get("incidents") if present(p.get("incidents")) else [])   # the records that took place here
    rows = [
        ("Kind", p["kind_label"]),
        ("Place", place_text(p)),
        ("Region", region_text(p)),
        ("Active", p.get("period_label")),
        ("Records here", f"{len(here)}: {', '.join(here)}" if here else None),
        ("Notes", p.get("notes")),
        ("Record", p["id"]),
    ]
    return [(label, str(value)) for label, value in rows if present(value)]


def _table(rows: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>" for label, value in rows)


def sources_html(sources: list[Mapping], quotes: bool = True) -> str:
    items = []
    for s in sources:
        quote = f'<blockquote>{esc(s["quote"])}</blockquote>' if quotes else ""
        items.append(
            f'<li><span class="src-doc">{esc(s.get("doc_title") or s["doc"])}</span> '
            f'<span class="src-id">[{esc(s["doc"])}]</span>, {esc(s["locator"])}{quote}</li>')
    return f'<ol class="sources">{"".join(items)}</ol>'


def incident_html(p: Mapping, titles: Mapping[str, str] | None = None, guard: bool = False) -> str:
    """Popup for an incident: what, when (as written, with precision), where, who, sources. With
    `guard`, a record describing violence or a death keeps its description (outcome, quotes,
    notes) behind a "show description" click; the page remembers the click for the session."""
    rows = incident_rows(p, titles)
    if not (guard and is_graphic(p)):
        return (f'<div class="record"><h4>{esc(p["title"])}</h4><table>{_table(rows)}</table>'
                f'<h5>Sources</h5>{sources_html(p["sources"])}</div>')
    shown = [(label, text) for label, text in rows if label not in DESCRIPTION_ROWS]
    described = [(label, text) for label, text in rows if label in DESCRIPTION_ROWS]
    if present(p.get("notes")):
        described.append(("Notes", str(p["notes"])))
    described_table = f"<table>{_table(described)}</table>" if described else ""
    return (f'<div class="record"><h4>{esc(p["title"])}</h4><table>{_table(shown)}</table>'
            f'<h5>Sources</h5>{sources_html(p["sources"], quotes=False)}'
            f'<details class="graphic" data-record="{esc(p["id"])}"><summary>{esc(SHOW_DESCRIPTION)}</summary>'
            f'<p class="graphic-note">{esc(held_back_text(p))}</p>{described_table}'
            f'<h5>Quotes</h5>{sources_html(p["sources"])}</details></div>')


def site_html(p: Mapping) -> str:
    return (f'<div class="record"><h4>{esc(p["name"])}</h4><table>{_table(site_rows(p))}</table>'
            f'<h5>Sources</h5>{sources_html(p["sources"])}</div>')


POPUP_CSS = """
.record{font:13px/1.35 system-ui,sans-serif;max-width:420px}
.record h4{margin:0 0 6px;font-size:14px}
.record h5{margin:8px 0 2px;font-size:12px;text-transform:uppercase;color:#555}
.record th{text-align:left;vertical-align:top;padding-right:8px;color:#555;font-weight:600;white-space:nowrap}
.record td{vertical-align:top}
.record blockquote{margin:3px 0 6px;padding-left:8px;border-left:3px solid #bbb;color:#222;font-style:italic}
.record .sources{padding-left:18px;margin:0}
.record .src-id{color:#666}
.record details.graphic{margin-top:6px;border-top:1px solid #ddd;padding-top:4px}
.record details.graphic summary{cursor:pointer;font-weight:600;color:#1d4ed8}
.record .graphic-note{margin:3px 0;color:#444;font-size:12px}
"""
