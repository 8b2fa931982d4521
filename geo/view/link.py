"""A shared link read once, whatever it holds: every parameter is checked, clamped to what the data
can show or ignored, and each change is said in a warning (values cut to 80 characters). Nothing
in a link can make a page fail.

    ?from=2018&to=2019&type=…&actor=…&subject=…&doc=…&month=1   the filter (geo.view.filters)
    ?from=2018-03&to=2018-05  a window of months;  &near=<site id>&km=50  within 50 km of a site
    &play=year&speed=1  start a playback (geo.view.playback);  &routes=1  show case routes
    &rec=<record id>  &c=<lat>,<lon>&z=<zoom>  &briefing=<id>&step=<1-based number>  &lang=en|ru|ko
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from geo.language import DEFAULT, LANGUAGES, _
from geo.view import playback
from geo.view.filters import IncidentFilter, shown
from geo.view.selection import MAX_ZOOM, MIN_ZOOM, parse_view

_NUMBER = re.compile(r"[0-9]{1,6}")   # ASCII digits: int() would take "²"-like forms or 5,000 digits badly
_ZOOM = re.compile(r"[0-9]{1,6}(\.[05])?")   # the map zooms in half steps: 9, 2.5


@dataclass(frozen=True)
class Link:
    filter: IncidentFilter
    selected: str | None = None
    view: tuple[tuple[float, float], float] | None = None
    briefing: str | None = None
    step: int = 0                      # 0-based
    warnings: tuple[str, ...] = ()
    play: playback.Request | None = None
    routes: bool = False


def read_language(params: Mapping[str, str]) -> tuple[str, str | None]:
    """(language, warning): ?lang= when it names an offered language, else the default and, for a
    value that names none, why it was ignored."""
    raw = params.get("lang")
    if raw is None or raw == "":
        return DEFAULT, None
    if raw in LANGUAGES:
        return raw, None
    return DEFAULT, _("lang={value} is not a language of this map ({known}); ignored").format(
        value=shown(raw), known=", ".join(LANGUAGES))


def within_years(f: IncidentFilter, first: int, last: int) -> tuple[IncidentFilter, list[str]]:
    """The filter with its time window inside the records' years [first, last]: a bound outside is
    moved to the edge; a window that misses every year of the data is dropped."""
    start, end = f.start_year, f.end_year
    start_month, end_month = f.start_month, f.end_month
    if start is None and end is None:
        return f, []
    if (start is not None and start > last) or (end is not None and end < first):
        return f.without_time(), [
            _("the time window {window} lies outside the records' years ({first}–{last}); ignored").format(
                window=f.window_label(), first=first, last=last)]
    warnings = []
    # A window starting in the first year (or ending in the last) on a month boundary is kept.
    if start is not None and (start < first or (start == first and start_month in (None, 1))):
        if start < first:
            warnings.append(_("from={year} is before the earliest record ({first}): the window starts there").format(
                year=start, first=first))
        start, start_month = None, None
    if end is not None and (end > last or (end == last and end_month in (None, 12))):
        if end > last:
            warnings.append(_("to={year} is after the latest record ({last}): the window ends there").format(
                year=end, last=last))
        end, end_month = None, None
    return replace(f, start_year=start, end_year=end, start_month=start_month, end_month=end_month), warnings


def _view(params: Mapping[str, str], warnings: list[str]):
    center, zoom = params.get("c"), params.get("z")
    if center is None and zoom is None:
        return None
    if center is not None and zoom is not None and _ZOOM.fullmatch(str(zoom)):
        clamped = min(max(float(zoom), MIN_ZOOM), MAX_ZOOM)
        view = parse_view(center, str(clamped))
        if view is not None:
            if clamped != float(zoom):
                warnings.append(_("z={value} is outside the map's zoom levels ({low}–{high}): zoom {used} is used").format(
                    value=shown(zoom), low=MIN_ZOOM, high=MAX_ZOOM, used=clamped))
            return view
    warnings.append(_("the map position c={center}&z={zoom} is not a 'latitude,longitude' and a zoom level "
                      "({low}–{high}); ignored").format(center=shown(center or ''), zoom=shown(zoom or ''),
                                                        low=MIN_ZOOM, high=MAX_ZOOM))
    return None


def read_link(params: Mapping[str, str], *, years: tuple[int, int], subject_names=(), doc_titles=(),
              record_ids=(), briefing_steps: Mapping[str, int] | None = None, site_places=None) -> Link:
    """Everything a link asks for that this dataset can show. `briefing_steps` maps each available
    briefing id to its number of steps; `site_places` the sites a distance can be measured from."""
    briefing_steps = briefing_steps or {}
    parsed = IncidentFilter.from_params(params, subject_names, doc_titles, known_sites=site_places)
    view_filter, clamped = within_years(parsed, *years)
    warnings = [*parsed.warnings, *clamped]

    selected = params.get("rec") or None
    if selected is not None and selected not in record_ids:
        warnings.append(_("rec={value} is not a record of this dataset; ignored").format(value=shown(selected)))
        selected = None

    view = _view(params, warnings)

    briefing, step = params.get("briefing") or None, 0
    raw_step = params.get("step")
    if briefing is not None and briefing not in briefing_steps:
        known = ", ".join(sorted(briefing_steps)) or _("none with this dataset")
        warnings.append(_("briefing={value} is not a known briefing (known: {known}); ignored").format(
            value=shown(briefing), known=known))
        briefing = None
    if briefing is None and raw_step is not None and params.get("briefing") is None:
        warnings.append(_("step={value} without a briefing; ignored").format(value=shown(raw_step)))
    elif briefing is not None and raw_step is not None:
        steps = briefing_steps[briefing]
        if not _NUMBER.fullmatch(str(raw_step)):
            warnings.append(_("step={value} is not a step number (1–{steps}); the briefing starts at step 1").format(
                value=shown(raw_step), steps=steps))
        else:
            step = min(max(int(raw_step), 1), steps) - 1
            if step + 1 != int(raw_step):
                warnings.append(_("step={value} is outside the briefing's steps (1–{steps}): step {shown} is shown").format(
                    value=shown(raw_step), steps=steps, shown=step + 1))
    play = playback.read_request(params, warnings)
    routes = str(params.get("routes", "")).lower() in ("1", "true", "yes")
    return Link(replace(view_filter, warnings=()), selected, view, briefing, step, tuple(warnings), play, routes)
