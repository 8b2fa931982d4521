"""A record's details as HTML, for map popups and the standalone export. Every value escaped."""
from __future__ import annotations

from collections.abc import Mapping

from geo.outputs.html_text import esc
from geo.evidence.vocabulary import COURT_INSTANCES, COURT_OUTCOMES, LOCATION_PRECISIONS


def _row(label: str, value) -> str:
    if value in (None, "", [], ()):
        return ""
    return f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"


def sources_html(sources: list[Mapping]) -> str:
    items = []
    for s in sources:
        items.append(
            f'<li><span class="src-doc">{esc(s.get("doc_title") or s["doc"])}</span> '
            f'<span class="src-id">[{esc(s["doc"])}]</span>, {esc(s["locator"])}'
            f'<blockquote>{esc(s["quote"])}</blockquote></li>')
    return f'<ol class="sources">{"".join(items)}</ol>'


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


def incident_html(p: Mapping, titles: Mapping[str, str] | None = None) -> str:
    """Popup for an incident: what, when (as written, with precision), where, who, sources."""
    titles = titles or {}
    related = ", ".join(titles.get(r, r) for r in (p.get("related") or []))
    people = p.get("people_affected")
    rows = "".join([
        _row("Type", p["type_label"]),
        _row("Date", f'{p["date_label"]} — as written: “{p["date_as_written"]}”'),
        _row("Place", f'{p["place_as_written"]} → {p["place_name"]} '
                      f'({LOCATION_PRECISIONS[p["location_precision"]]} precision)'),
        _row("Region", p.get("subject_name") or p.get("country")),
        *(_row(label, text) for label, text in court_facts(p)),
        _row("People affected", f"{int(people)} (lowest figure in the sources)" if people == people and people is not None else None),
        _row("Actors", ", ".join(p.get("actor_labels") or [])),
        _row("Outcome", p.get("outcome")),
        _row("Same case", related),
        _row("Record", p["id"]),
    ])
    return (f'<div class="record"><h4>{esc(p["title"])}</h4><table>{rows}</table>'
            f'<h5>Sources</h5>{sources_html(p["sources"])}</div>')


def site_html(p: Mapping) -> str:
    here = list(p.get("incidents") or [])   # the records that took place at this site
    rows = "".join([
        _row("Kind", p["kind_label"]),
        _row("Place", f'{p["place_as_written"]} ({LOCATION_PRECISIONS[p["location_precision"]]} precision)'),
        _row("Region", p.get("subject_name")),
        _row("Active", p.get("period_label")),
        _row("Records here", f"{len(here)}: {', '.join(here)}" if here else None),
        _row("Notes", p.get("notes")),
        _row("Record", p["id"]),
    ])
    return (f'<div class="record"><h4>{esc(p["name"])}</h4><table>{rows}</table>'
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
"""
