"""Playback: a time window of a chosen width moving through the records' years, step by step.

A window is whole months (geo.view.timeline.Window). A month-wide window moves a month per step;
a year-wide one a year (January to December); a five-year window slides a year per step, so each
step keeps four of its five years. It runs over the years of the records the other filters keep,
and stops at the last window. Speed is in steps per second.

    ?play=year&speed=1        start playing year by year, one step a second
    ?play=5years&from=1990    five-year windows, starting with 1990–1994
"""
from __future__ import annotations

from dataclasses import dataclass

from geo.language import N_, Labels, _
from geo.view.filters import IncidentFilter, shown
from geo.view.timeline import Window

WIDTHS = {"month": 1, "year": 12, "5years": 60}                  # months per window
STEPS = {"month": 1, "year": 12, "5years": 12}                   # months per step
WIDTH_LABELS = Labels({"month": N_("A month"), "year": N_("A year"), "5years": N_("Five years")})
WIDTH_ALIASES = {"months": "month", "years": "year", "five_years": "5years", "5y": "5years", "five": "5years"}
SPEEDS = (0.5, 1.0, 2.0)                                          # steps per second the app offers
SPEED_LABELS = Labels({0.5: N_("Slow: 2 s a step"), 1.0: N_("1 s a step"), 2.0: N_("Fast: ½ s a step")})
MIN_SPEED, MAX_SPEED, DEFAULT_SPEED = 0.25, 4.0, 1.0


@dataclass(frozen=True)
class Request:
    """What a link asks of playback: the width, the speed, whether to start playing."""
    width: str = "year"
    speed: float = DEFAULT_SPEED
    playing: bool = False


def read_request(params, warnings: list[str]) -> Request | None:
    """?play=<width>[&speed=<steps per second>] -> a Request (None when the link has no play=);
    a bad value is replaced by the default, with a warning."""
    raw = params.get("play")
    if raw in (None, ""):
        if params.get("speed") not in (None, ""):
            warnings.append(_("speed={value} without play=; ignored").format(value=shown(params.get("speed"))))
        return None
    width = WIDTH_ALIASES.get(str(raw).lower(), str(raw).lower())
    if width not in WIDTHS:
        warnings.append(_("play={value} is not a window width (month, year or 5years); a year is used")
                        .format(value=shown(raw)))
        width = "year"
    speed = DEFAULT_SPEED
    if params.get("speed") not in (None, ""):
        try:
            speed = float(str(params["speed"]))
        except ValueError:
            speed = float("nan")
        if not MIN_SPEED <= speed <= MAX_SPEED:   # NaN fails this too
            warnings.append(_("speed={value} is not a number of steps per second between {low} and {high}; "
                              "{default} is used").format(value=shown(params["speed"]), low=f"{MIN_SPEED:g}",
                                                          high=f"{MAX_SPEED:g}", default=f"{DEFAULT_SPEED:g}"))
            speed = DEFAULT_SPEED
    return Request(width, speed, True)


def span_of(first_year: int, last_year: int) -> Window:
    """The months playback runs over: January of the first year to December of the last."""
    return Window.of(first_year, 1, last_year, 12)


def first_window(span: Window, width: str) -> Window:
    return Window(span.first, span.first + WIDTHS[width] - 1)


def aligned(window: Window | None, span: Window, width: str) -> Window:
    """Where playback starts: the given window's start, snapped to the width (a year or five-year
    window starts in January), kept inside the span; the span's first window otherwise."""
    if window is None or window.first < span.first or window.first > span.last:
        return first_window(span, width)
    first = window.first if width == "month" else window.first // 12 * 12
    first = max(first, span.first)
    last_start = max(span.last - WIDTHS[width] + 1, span.first)
    first = min(first, last_start if width == "month" else max(last_start // 12 * 12, span.first))
    return Window(first, first + WIDTHS[width] - 1)


def is_last(window: Window, span: Window) -> bool:
    return window.last >= span.last


def step(window: Window, width: str, span: Window, direction: int = 1) -> Window:
    """The next (or, direction -1, the previous) window; the same window at either end."""
    months = STEPS[width] * direction
    if direction > 0 and is_last(window, span):
        return window
    if direction < 0 and window.first <= span.first:
        return window
    first = max(window.first + months, span.first)
    return Window(first, first + WIDTHS[width] - 1)


def as_filter(f: IncidentFilter, window: Window) -> IncidentFilter:
    """The filter `f` with its time window set to `window`."""
    from dataclasses import replace
    (start_year, start_month), (end_year, end_month) = window.start, window.end
    return replace(f, start_year=start_year, start_month=None if start_month == 1 else start_month,
                   end_year=end_year, end_month=None if end_month == 12 else end_month)


def window_of(f: IncidentFilter, span: Window) -> Window | None:
    """The filter's time window as whole months (open ends run to the span's ends); None when the
    filter has no time window."""
    if f.start_year is None and f.end_year is None:
        return None
    first = span.first if f.start_year is None else f.start_year * 12 + (f.start_month or 1) - 1
    last = span.last if f.end_year is None else f.end_year * 12 + (f.end_month or 12) - 1
    return Window(first, last)


def interval_seconds(speed: float) -> float:
    return 1.0 / min(max(speed, MIN_SPEED), MAX_SPEED)


def params(request: Request) -> dict[str, str]:
    """The URL parameters of a playing playback (a paused one writes none: its window is in from/to)."""
    if not request.playing:
        return {}
    return {"play": request.width, "speed": f"{request.speed:g}"}
