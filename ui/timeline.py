"""The timeline under the map and playback.

The timeline counts the incidents every filter but the time window keeps, per year or month,
stacked by type in the map's colours, with the window shaded. Dragging across it (or clicking a
bar) sets the window: the slider, the map and the URL follow, because the window goes into the
sidebar's time widgets before they are drawn (set_window, take_selection).

Playback moves a window of a chosen width through the years (geo.view.playback). A fragment that
reruns on a timer (st.fragment(run_every=…)) takes each step and reruns the page, so the map, the
counts and the timeline's band follow; a link can start it (?play=year&speed=1).
"""
from __future__ import annotations

import time

import streamlit as st

from geo.view import playback, timeline
from geo.view.dataset import Bundle
from geo.view.filters import IncidentFilter
from geo.view.timeline import Window
from ui import data as shared
from ui.page_timer import on_timer
from geo.language import N_, Labels, _

UNIT_LABELS = Labels({"year": N_("Per year"), "month": N_("Per month")})
KEPT_KEYS = ("timeline_unit", "play_width", "play_speed")
CHART_HEIGHT = 130
CHART_AXIS_HEIGHT = 30   # below the bars: the years


def span_of(view: IncidentFilter) -> Window:
    """The months the timeline and playback cover: the years of the records the other filters keep."""
    years = shared.timeline_data(view, "year")[1]
    return playback.span_of(*years)


def set_window(data: Bundle, window: Window | None) -> None:
    """Put `window` (None: all dates) into the sidebar's time widgets, before they are drawn: the
    slider shows its years, ui.sidebar.filters reads its months (ui.sidebar.FILTER_KEYS)."""
    state = st.session_state
    first, last = data.year_range()
    if window is None:
        state.update(years=(first, last), time_months=None)
        return
    (start_year, start_month), (end_year, end_month) = window.start, window.end
    if start_year < first:
        start_year, start_month = first, 1
    if end_year > last:
        end_year, end_month = last, 12
    end_year = max(end_year, start_year)
    months = (start_year, start_month, end_year, end_month) if (start_month, end_month) != (1, 12) else None
    state.update(years=(start_year, end_year), time_months=months)


def take_selection(data: Bundle) -> None:
    """A drag or click on the timeline since the last run sets the window (called before the
    sidebar is drawn). The chart keeps its selection across runs: only a new one counts."""
    state = st.session_state
    unit = state.get("timeline_unit") or "year"
    selection = (state.get(chart_key(unit)) or {}).get("selection")
    if not selection or selection == state.get("timeline_seen"):
        return
    state["timeline_seen"] = selection
    window = timeline.window_from_selection(selection, unit)
    if window is not None:
        state["playing"] = False
        set_window(data, window)


def chart_key(unit: str) -> str:
    return f"timeline_chart_{unit}"


def start_from_link(data: Bundle, link) -> None:
    """?play=<width>&speed=<n>: playing from the link's window (or the first one), before the page draws."""
    state = st.session_state
    state.update(play_width=link.play.width, play_speed=link.play.speed, playing=True,
                 last_step=time.monotonic())
    span = span_of(link.filter)
    window = playback.aligned(playback.window_of(link.filter, span), span, link.play.width)
    set_window(data, window)


def url_params() -> dict[str, str]:
    state = st.session_state
    if not state.get("playing"):
        return {}
    return playback.params(playback.Request(state.get("play_width", "year"),
                                            float(state.get("play_speed", playback.DEFAULT_SPEED)), True))


# -- what the controls do (callbacks: they run before the next run draws the sidebar) -----------
def _next_window(view: IncidentFilter, span: Window, direction: int = 1) -> Window:
    width = st.session_state.get("play_width", "year")
    current = playback.window_of(view, span)
    if current is None or current.months != playback.WIDTHS[width]:
        return playback.aligned(current, span, width)
    return playback.step(current, width, span, direction)


def play(data: Bundle, view: IncidentFilter, span: Window) -> None:
    state = st.session_state
    width = state.get("play_width", "year")
    current = playback.window_of(view, span)
    start = playback.aligned(current, span, width)
    if current is not None and current.months == playback.WIDTHS[width] and playback.is_last(current, span):
        start = playback.first_window(span, width)   # at the end: play again from the start
    set_window(data, start)
    state.update(playing=True, last_step=time.monotonic())


def pause() -> None:
    st.session_state["playing"] = False


def step(data: Bundle, view: IncidentFilter, span: Window, direction: int) -> None:
    st.session_state.update(playing=False, stepped=True)
    set_window(data, _next_window(view, span, direction))


def stepped() -> bool:
    """True in the run after Back or Next (once)."""
    return st.session_state.pop("stepped", False)


def advance(data: Bundle, view: IncidentFilter, span: Window) -> bool:
    """One playback step; stops at the last window. False when there was nothing to step to."""
    state = st.session_state
    current = playback.window_of(view, span)
    following = _next_window(view, span)
    state["last_step"] = time.monotonic()
    if following == current:
        state["playing"] = False
        return False
    set_window(data, following)
    if playback.is_last(following, span):
        state["playing"] = False
    return True


def all_dates(data: Bundle) -> None:
    st.session_state["playing"] = False
    set_window(data, None)


# -- drawing -------------------------------------------------------------------------------------
def panel(data: Bundle, view: IncidentFilter, chart: bool = True) -> None:
    """The timeline with its playback controls, under the map; without `chart`, an empty space of
    the chart's height in its place (the map is drawn first: ui.map_state.map_first)."""
    state = st.session_state
    span = span_of(view)
    window = playback.window_of(view, span)
    state.setdefault("timeline_unit", "year")
    state.setdefault("play_width", "year")
    if state.get("play_speed") not in playback.SPEEDS:
        state["play_speed"] = min(playback.SPEEDS, key=lambda s: abs(s - float(state.get("play_speed") or 1)))
    playing = bool(state.get("playing"))

    unit_col, reset_col = st.columns([3, 1], vertical_alignment="center")
    # a radio, not a segmented control: its selected label in the theme's red on pink is 4.47:1 (axe)
    unit_col.radio(_("Timeline bars"), list(UNIT_LABELS), format_func=UNIT_LABELS.get, key="timeline_unit",
                   horizontal=True, label_visibility="collapsed")
    reset_col.button(_("All dates"), key="play_all_dates", on_click=all_dates, args=(data,), width="stretch",
                     disabled=window is None, help=_("Clear the time window"))
    play_col, back_col, next_col, width_col, speed_col = st.columns([1.3, 1, 1, 1.4, 1.4], vertical_alignment="bottom")
    if playing:
        play_col.button(_("Pause"), key="play_pause", icon=":material/pause:", on_click=pause, width="stretch",
                        type="primary")
    else:
        play_col.button(_("Play"), key="play_start", icon=":material/play_arrow:", on_click=play, args=(data, view, span),
                        width="stretch",
                        help=_("Move a window of the chosen width through the years, a step at a time"))
    back_col.button(_("Back"), key="play_back", icon=":material/skip_previous:", on_click=step,
                    args=(data, view, span, -1), width="stretch",
                    help=_("The window one step earlier"))
    next_col.button(_("Next"), key="play_next", icon=":material/skip_next:", on_click=step,
                    args=(data, view, span, 1), width="stretch",
                    help=_("The window one step later"))
    width_col.selectbox(_("Window"), list(playback.WIDTHS), format_func=playback.WIDTH_LABELS.get, key="play_width",
                        help=_("How much time the window covers. A five-year window moves a year per step."))
    speed_col.selectbox(_("Speed"), list(playback.SPEEDS), format_func=playback.SPEED_LABELS.get, key="play_speed")

    unit = state.get("timeline_unit") or "year"
    bars = shared.timeline_data(view, unit)[2]
    key = chart_key(unit)
    if not chart:
        st.space(CHART_HEIGHT + CHART_AXIS_HEIGHT)
    elif bars is None:
        st.caption(_("No incident matches the other filters, so the timeline is empty."))
    else:
        st.vega_lite_chart({**timeline.with_window(bars, window), "height": CHART_HEIGHT},
                           key=key, on_select="rerun",
                           selection_mode=[timeline.BRUSH, timeline.PICK], width="stretch")
    st.caption(status_line(view, span, window, playing))
    if playing:
        ticker(data, view, span)


def status_line(view: IncidentFilter, span: Window, window: Window | None, playing: bool) -> str:
    width = st.session_state.get("play_width", "year")
    if window is None:
        return _("Drag across the timeline to set the time window, or click a bar. Pale parts of a bar are records "
                 "dated more broadly than the bar, counted where their date range starts.")
    first = playback.first_window(span, width)
    steps = max((span.last - first.last) // playback.STEPS[width] + 1, 1)
    done = (window.first - first.first) // playback.STEPS[width] + 1
    if playing:
        return _("Playing: {window} (step {done} of {steps}). Hollow markers are dated more broadly than the window.").format(
            window=window.label(), done=max(min(done, steps), 1), steps=steps)
    return _("Time window: {window}. Hollow markers are records dated more broadly than the window.").format(
        window=window.label())


TICK_SECONDS = 0.25   # how often the ticker looks at the clock: steps keep their pace within this


def ticker(data: Bundle, view: IncidentFilter, span: Window) -> None:
    """While playing: a fragment that reruns on a short timer and moves the window on once a step's
    interval has passed since the last step (the page's own rerun counts in the interval) and the
    browser has asked for half the interval's ticks since this run drew the step. The timer runs in
    the browser, so a busy browser asks late; without that count the ticks queued during a slow
    run fire one step after another, never seen."""
    interval = playback.interval_seconds(float(st.session_state.get("play_speed", playback.DEFAULT_SPEED)))
    tick_every = min(TICK_SECONDS, interval)
    st.session_state["ticks_since_drawn"] = 1   # the page's own run counts as the first tick

    def tick() -> None:   # never inside the page's run: the sidebar's time widgets are drawn already
        state = st.session_state   # (a slow run used to reach the step's time and fail)
        state["ticks_since_drawn"] = state.get("ticks_since_drawn", 0) + 1
        if (not state.get("playing") or time.monotonic() - state.get("last_step", 0.0) < interval - tick_every / 2
                or state["ticks_since_drawn"] < interval / tick_every / 2):
            return   # not yet, or paused in between
        if advance(data, view, span):
            st.rerun()

    on_timer(tick_every, tick)
