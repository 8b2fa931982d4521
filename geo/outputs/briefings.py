"""Guided briefings: ordered steps, each a view (filters, map centre/zoom, records to highlight)
with a heading and a short text. Files live in data/briefings/*.yaml."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from geo.errors import GeoError
from geo.view.filters import FilterError, IncidentFilter
from geo.paths import DATA_DIR

BRIEFINGS_DIR = DATA_DIR / "briefings"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class BriefingError(GeoError):
    """A briefing file that cannot be used; the message names the file, step and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _View(_Strict):
    center: Annotated[list[float], Field(min_length=2, max_length=2)]
    zoom: Annotated[float, Field(ge=2, le=13, multiple_of=0.5)]   # the app's map zooms in half steps


class _Step(_Strict):
    heading: Text
    text: Text
    filters: dict[str, str] = {}
    view: _View
    highlight: list[str] = []


class _Briefing(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    title: Text
    summary: Text
    steps: Annotated[list[_Step], Field(min_length=1)]


@dataclass(frozen=True)
class Step:
    heading: str
    text: str
    params: dict[str, str]
    filter: IncidentFilter
    center: tuple[float, float]
    zoom: float
    highlight: tuple[str, ...]


@dataclass(frozen=True)
class Briefing:
    id: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    path: Path


def load_briefing(path: Path, bundle) -> Briefing:
    """Read and check one briefing against the data: filters known, highlighted records exist
    and are kept by their step's filters."""
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        model = _Briefing.model_validate(raw)
    except OSError as exc:
        raise BriefingError(f"{name}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise BriefingError(f"{name}: not valid YAML ({str(exc).splitlines()[0]})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BriefingError(f"{name}: {where}: {first['msg']}") from None
    steps = []
    renamed = getattr(bundle, "public_ids", None) or {}   # a public release renames ids that spell a withheld place
    for number, step in enumerate(model.steps, start=1):
        try:
            view_filter = IncidentFilter.from_params(step.filters, bundle.subject_names, bundle.doc_titles, strict=True)
        except FilterError as exc:
            raise BriefingError(f"{name}: step {number}: filters: {exc}") from None
        kept = set(view_filter.apply(bundle.incidents)["id"])
        highlight = [renamed.get(i, i) for i in step.highlight]
        for record_id in highlight:
            if record_id not in bundle.titles:
                raise BriefingError(f"{name}: step {number}: highlight: no record {record_id!r}")
            if record_id not in kept:
                raise BriefingError(f"{name}: step {number}: highlight: {record_id!r} is not kept by the step's filters")
        steps.append(Step(step.heading, step.text, dict(step.filters), view_filter,
                          (step.view.center[0], step.view.center[1]), step.view.zoom, tuple(highlight)))
    return Briefing(model.id, model.title, model.summary, tuple(steps), path)


def redacted(briefing: Briefing, redactor, public_ids: dict[str, str] | None = None) -> Briefing:
    """The briefing with every text a person reads (title, summary, headings, step texts) passed
    through the public release's redactor, as the decks do, and its highlighted records under
    their public ids (an id that spells a withheld place is renamed in a public release)."""
    text, ids = redactor.text, public_ids or {}
    steps = tuple(replace(s, heading=text(s.heading), text=text(s.text),
                          highlight=tuple(ids.get(i, i) for i in s.highlight)) for s in briefing.steps)
    return replace(briefing, title=text(briefing.title), summary=text(briefing.summary), steps=steps)


def load_briefings(bundle, folder: Path | None = None) -> list[Briefing]:
    """Every briefing in `folder` (data/briefings/), checked against the bundle; redacted when the
    bundle is a public release, so a public deployment shows no listed name in any of them."""
    folder = BRIEFINGS_DIR if folder is None else folder
    briefings = [load_briefing(path, bundle) for path in sorted(folder.glob("*.yaml"))]
    if getattr(bundle, "redactor", None) is not None:
        briefings = [redacted(b, bundle.redactor) for b in briefings]   # (highlights renamed on loading)
    ids = [b.id for b in briefings]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BriefingError(f"{folder}: duplicate briefing id(s): {', '.join(duplicates)}")
    return briefings
