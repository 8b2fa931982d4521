"""A record's details: the rows the app's details panel and the map popups both show, and the
popup HTML made from them (every value escaped)."""
from __future__ import annotations

import math
from collections.abc import Mapping

from geo.evidence.vocabulary import COURT_INSTANCES, COURT_OUTCOMES, GRAPHIC_TYPES, INCIDENT_TYPES, LOCATION_PRECISIONS
from geo.language import N_, Labels, _
from geo.language.curated import marked, translation
from geo.outputs.html_text import esc

# Shown where a description is held back (whole sentences, translated where shown).
SHOW_DESCRIPTION = N_("Show description")
HELD_BACK = N_("This record describes {what}. Its description (the quotes, the outcome and notes) is shown "
               "when you ask for it.")

# The rows' labels, by key (the app's panel picks rows by key); read in the interface's language.
ROW_LABELS = Labels({
    "type": N_("Type"), "date": N_("Date"), "place": N_("Place"), "region": N_("Region"), "court": N_("Court"),
    "instance": N_("Instance"), "court_outcome": N_("Court outcome"), "people": N_("People affected"),
    "actors": N_("Actors"), "outcome": N_("Outcome"), "outcome_translation": N_("Outcome"),
    "related": N_("Same case"), "record": N_("Record"), "kind": N_("Kind"), "active": N_("Active"),
    "here": N_("Records here"), "notes": N_("Notes"),
})


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
    precision = _("{precision} precision").format(precision=LOCATION_PRECISIONS[p["location_precision"]])
    same = not present(written) or written.strip().casefold() == str(name).strip().casefold()
    return f"{name} ({precision})" if same else f"{written} → {name} ({precision})"


def region_text(p: Mapping) -> str | None:
    """The federal subject, when the record has one and the place name is not already it."""
    region = p.get("subject_name")
    return region if present(region) and region != p["place_name"] else None


def date_text(p: Mapping) -> str:
    written = p.get("date_as_written")
    return (p["date_label"] + " — " + _("as written: “{written}”").format(written=written) if present(written)
            else p["date_label"])


def court_facts(p: Mapping) -> list[tuple[str, str]]:
    """What a court decided, as (key, text) rows; empty for records that are not court decisions.
    The app's details panel and the popups both show these rows."""
    instance = p.get("court_instance")
    if not isinstance(instance, str):
        return []
    court = p.get("court_name") if isinstance(p.get("court_name"), str) else None
    outcomes = [COURT_OUTCOMES.get(o, o) for o in (p.get("court_outcome") or [])]
    return [
        ("court", court or _("not named in the source")),
        ("instance", COURT_INSTANCES.get(instance, instance)),
        ("court_outcome", "; ".join(outcomes)),
    ]


def is_graphic(p: Mapping) -> bool:
    """The record describes a killing, a death or ill-treatment (geo.evidence.vocabulary.GRAPHIC_TYPES)."""
    return p.get("type") in GRAPHIC_TYPES


def held_back_text(p: Mapping) -> str:
    return _(HELD_BACK).format(what=INCIDENT_TYPES.get(p["type"], p["type"]).lower())


DESCRIPTION_ROWS = ("outcome", "outcome_translation")   # the rows that describe what happened, beyond what and where


def incident_facts(p: Mapping, titles: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(key, label, text) rows of an incident, leaving out what the record does not have. The
    outcome is the record's own words; a curated translation follows it, marked."""
    titles = titles or {}
    people = p.get("people_affected")
    outcome_translation = translation(p, "outcome") if present(p.get("outcome")) else None
    rows = [
        ("type", p["type_label"]),
        ("date", date_text(p)),
        ("place", place_text(p)),
        ("region", region_text(p)),
        *court_facts(p),
        ("people", _("{n} (lowest figure in the sources)").format(n=int(people)) if present(people) else None),
        ("actors", ", ".join(p.get("actor_labels") or [])),
        ("outcome", p.get("outcome")),
        ("outcome_translation", marked(outcome_translation) if outcome_translation else None),
        ("related", ", ".join(titles.get(r, r) for r in (p.get("related") or []))),
        ("record", p["id"]),
    ]
    return [(key, ROW_LABELS[key], str(value)) for key, value in rows if present(value)]


def incident_rows(p: Mapping, titles: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, text) rows of an incident, in the interface's language."""
    return [(label, text) for _key, label, text in incident_facts(p, titles)]


def site_rows(p: Mapping) -> list[tuple[str, str]]:
    here = list(p.get("incidents") if present(p.get("incidents")) else [])   # the records that took place here
    rows = [
        ("kind", p["kind_label"]),
        ("place", place_text(p)),
        ("region", region_text(p)),
        ("active", p.get("period_label")),
        ("here", f"{len(here)}: {', '.join(here)}" if here else None),
        ("notes", p.get("notes")),
        ("record", p["id"]),
    ]
    return [(ROW_LABELS[key], str(value)) for key, value in rows if present(value)]


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
    notes) behind a "show description" click; the page remembers the click for the session. A
    curated translation of the title is shown under it, marked."""
    facts = incident_facts(p, titles)
    title = translation(p, "title")
    heading = esc(p["title"]) + (f'<br><span class="translated">{esc(marked(title))}</span>' if title else "")
    sources = esc(_("Sources"))
    if not (guard and is_graphic(p)):
        rows = [(label, text) for _key, label, text in facts]
        return (f'<div class="record"><h4>{heading}</h4><table>{_table(rows)}</table>'
                f'<h5>{sources}</h5>{sources_html(p["sources"])}</div>')
    shown = [(label, text) for key, label, text in facts if key not in DESCRIPTION_ROWS]
    described = [(label, text) for key, label, text in facts if key in DESCRIPTION_ROWS]
    if present(p.get("notes")):
        described.append((ROW_LABELS["notes"], str(p["notes"])))
    described_table = f"<table>{_table(described)}</table>" if described else ""
    show, note, quotes = esc(_(SHOW_DESCRIPTION)), esc(held_back_text(p)), esc(_("Quotes"))
    return (f'<div class="record"><h4>{heading}</h4><table>{_table(shown)}</table>'
            f'<h5>{sources}</h5>{sources_html(p["sources"], quotes=False)}'
            f'<details class="graphic" data-record="{esc(p["id"])}"><summary>{show}</summary>'
            f'<p class="graphic-note">{note}</p>{described_table}'
            f'<h5>{quotes}</h5>{sources_html(p["sources"])}</details></div>')


def site_html(p: Mapping) -> str:
    sources = esc(_("Sources"))
    return (f'<div class="record"><h4>{esc(p["name"])}</h4><table>{_table(site_rows(p))}</table>'
            f'<h5>{sources}</h5>{sources_html(p["sources"])}</div>')


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
.record .translated{font-weight:400;color:#444}
"""
