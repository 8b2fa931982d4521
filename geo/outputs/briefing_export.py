"""A briefing for people who cannot run the app: an HTML deck or a PDF, one page per step,
each with its map image, heading and text. Public release by default, like every export."""
from __future__ import annotations

import base64
import math
import tempfile
from dataclasses import replace
from pathlib import Path

from geo.language import _, current, ngettext
from geo.language.localize import localize_bundle
from geo.outputs.briefings import Briefing, redacted
from geo.outputs.export import ATTRIBUTION, ExportError, check_target, write_bytes_atomically
from geo.outputs.html_text import esc
from geo.outputs.mapview import map_data
from geo.outputs.redaction import PUBLIC, release_bundle

BRIEFING_FORMATS = ("html", "pdf")


# A web map at zoom 4 or less shows a whole hemisphere: a print page of that would run from the
# equator to the pole. Such overview steps are framed around their records instead.
OVERVIEW_ZOOM = 4
SOUTH_LIMIT, NORTH_LIMIT = 30.0, 78.0     # the part of the world the register's places lie in
DECK_W, DECK_H, DECK_MARGIN = 11.69, 8.27, 0.45          # A4 landscape, inches
TEXT_W = 3.55                                            # the step's text, left of the map
DECK_MAP = (DECK_MARGIN + TEXT_W + 0.3, DECK_MARGIN)     # the map's box: left, bottom (inches)


def step_extent(center: tuple[float, float], zoom: float) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) that a ~1000 x 650 px web map shows at this centre and zoom,
    kept between 30°N and 78°N; None for an overview (the page is fitted to its records)."""
    if zoom <= OVERVIEW_ZOOM:
        return None
    lat, lon = center
    width = 360 * 1000 / (256 * 2 ** zoom)
    height = min(width * 0.65 * math.cos(math.radians(lat)), 80)
    south, north = max(lat - height / 2, SOUTH_LIMIT), min(lat + height / 2, NORTH_LIMIT)
    return lon - width / 2, min(south, north - 1), lon + width / 2, max(north, south + 1)


def _step_pages(released, briefing: Briefing, folder: Path, fmt: str) -> list[dict]:
    from geo.outputs.export import view_sites
    from geo.outputs.static_map import Page, render_static_map

    withheld = getattr(released.redactor, "withheld_places", frozenset())
    page = Page(DECK_W - DECK_MAP[0] - DECK_MARGIN) if fmt == "pdf" else Page()
    pages = []
    for number, step in enumerate(briefing.steps, start=1):
        incidents = step.filter.apply(released.incidents)
        image = folder / f"step-{number}.{fmt}"
        caption = [_("Step {n} of {total}").format(n=number, total=len(briefing.steps)) + " · "
                   + ngettext("{n} incident", "{n} incidents", len(incidents)).format(n=len(incidents)) + " · "
                   + step.filter.describe(released.subject_names), _(ATTRIBUTION)]
        step_bundle = replace(released, sites=view_sites(released, incidents))
        render_static_map(map_data(step_bundle, incidents, highlight=step.highlight), image, fmt,
                          title=None if fmt == "pdf" else step.heading, caption_lines=caption,
                          extent=step_extent(step.center, step.zoom), dpi=150, withheld_places=withheld,
                          page=page, legend_columns=2 if fmt == "pdf" else 3, detail=fmt != "pdf")
        pages.append({"heading": step.heading, "text": step.text, "image": image,
                      "highlight": [released.titles.get(i, i) for i in step.highlight], "caption": caption})
    return pages


def export_briefing(bundle, briefing: Briefing, fmt: str, path: Path, mode: str = PUBLIC) -> Path:
    if fmt not in BRIEFING_FORMATS:
        raise ExportError(f"unknown briefing format {fmt!r}; choose html or pdf")
    path = Path(path)
    check_target(path)
    released = localize_bundle(release_bundle(bundle, mode))
    if released.redactor is not None and briefing is not None:
        # a briefing loaded from the full data names register ids; one loaded from this release, public ids
        known = set(released.incidents["id"])
        renames = {old: new for old, new in (released.public_ids or {}).items() if old not in known}
        briefing = redacted(briefing, released.redactor, renames)
    stamp = (_("Public release: personal names withheld, sensitive locations coarsened.") if released.mode == PUBLIC
             else _("FULL RELEASE FOR TRUSTED PARTNERS: contains personal names. Do not publish."))
    with tempfile.TemporaryDirectory() as folder:
        pages = _step_pages(released, briefing, Path(folder), "png" if fmt == "html" else "pdf")
        content = (_deck_html(briefing.title, briefing.summary, pages, stamp) if fmt == "html"
                   else _deck_pdf(briefing.title, briefing.summary, pages, stamp))
    write_bytes_atomically(path, content, private=released.mode != PUBLIC)
    return path


def _deck_html(title: str, summary: str, pages: list[dict], stamp: str) -> bytes:
    sections = []
    for number, page in enumerate(pages, start=1):
        image = base64.b64encode(page["image"].read_bytes()).decode("ascii")
        focus = "".join(f"<li>{esc(t)}</li>" for t in page["highlight"])
        sections.append(
            f'<section class="step" id="step-{number}"><h2>{number}. {esc(page["heading"])}</h2>'
            f'<p>{esc(page["text"])}</p>'
            + ("<h3>" + esc(_("Records in focus")) + f"</h3><ul>{focus}</ul>" if focus else "")
            + '<img alt="' + esc(_("Map for step {n}: {heading}").format(n=number, heading=page["heading"]))
            + f'" src="data:image/png;base64,{image}"></section>')
    return f"""<!DOCTYPE html>
<html lang="{current()}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body{{font:16px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}
.step{{page-break-after:always;border-top:2px solid #ccc;padding-top:1em;margin-top:2em}}
.step img{{width:100%;height:auto;border:1px solid #ddd}} .stamp{{color:#8a1c1c;font-weight:600}}
</style></head><body>
<h1>{esc(title)}</h1><p>{esc(summary)}</p><p class="stamp">{esc(stamp)}</p>
{''.join(sections)}
<footer><p>{esc(ATTRIBUTION)}</p></footer></body></html>
""".encode("utf-8")


def _deck_pdf(title: str, summary: str, pages: list[dict], stamp: str) -> bytes:
    """A4 landscape: a cover, then per step the heading, its text and records on the left and its
    map on the right — the map page itself, merged in as vectors (pypdf), not a picture of it."""
    import io

    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from pypdf import PdfReader, PdfWriter, Transformation

    from geo.outputs.static_map.legend import _Measure

    text_pages = io.BytesIO()
    from geo.outputs.static_map.fonts import font_rc
    with matplotlib.rc_context({"text.parse_math": False, "pdf.fonttype": 42, **font_rc()}), PdfPages(text_pages) as pdf:
        fig = Figure(figsize=(DECK_W, DECK_H))
        measure = _Measure(FigureCanvasAgg(fig).get_renderer(), fig.dpi)
        _cover(fig, measure, title, summary, stamp)
        pdf.savefig(fig)
        for number, page in enumerate(pages, start=1):
            fig = Figure(figsize=(DECK_W, DECK_H))
            _step_text(fig, measure, number, page, stamp)
            pdf.savefig(fig)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pages.getvalue())))
    box_w, box_h = (DECK_W - DECK_MAP[0] - DECK_MARGIN) * 72, (DECK_H - 2 * DECK_MARGIN - HEADING_H) * 72
    for number, page in enumerate(pages, start=1):
        drawn = PdfReader(page["image"]).pages[0]
        w, h = float(drawn.mediabox.width), float(drawn.mediabox.height)
        s = min(box_w / w, box_h / h, 1.0)
        x = DECK_MAP[0] * 72 + (box_w - w * s) / 2
        y = DECK_MAP[1] * 72 + box_h - h * s          # top-aligned under the heading
        writer.pages[number].merge_transformed_page(drawn, Transformation().scale(s).translate(x, y))
    out = io.BytesIO()
    writer.add_metadata({"/Title": title})
    writer.write(out)
    return out.getvalue()


HEADING_H = 0.75      # inches at the top of a step page for its heading


def _lines(measure, text: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    return [line for paragraph in str(text).split("\n")
            for line in measure.wrap(paragraph, width_in * 72, size, bold)]


def _cover(fig, measure, title: str, summary: str, stamp: str) -> None:
    """Title, summary and stamp, each wrapped to the page width by measured text (never off the page)."""
    width = DECK_W - 2 * DECK_MARGIN - 0.4
    y = DECK_H - 1.2
    for text, size, bold, colour, gap in ((title, 24, True, "#222222", 0.35), (summary, 13, False, "#222222", 0.3),
                                          (stamp, 12, True, "#8a1c1c", 0.3), (_(ATTRIBUTION), 9, False, "#555555", 0)):
        lines = _lines(measure, text, width, size, bold)
        fig.text((DECK_MARGIN + 0.2) / DECK_W, y / DECK_H, "\n".join(lines), fontsize=size,
                 fontweight="bold" if bold else "normal", color=colour, va="top", ha="left", linespacing=1.25)
        y -= len(lines) * size * 1.25 / 72 + gap


def _step_text(fig, measure, number: int, page: dict, stamp: str) -> None:
    heading = _lines(measure, f"{number}. {page['heading']}", DECK_W - 2 * DECK_MARGIN, 16, True)[:2]
    fig.text(DECK_MARGIN / DECK_W, (DECK_H - DECK_MARGIN) / DECK_H, "\n".join(heading), fontsize=16,
             fontweight="bold", va="top", ha="left", color="#222222", linespacing=1.15)
    y = DECK_H - DECK_MARGIN - HEADING_H
    blocks = [(page["text"], 10, False, "#222222")]
    if page["highlight"]:
        blocks += [(_("Records in focus"), 9, True, "#555555")] + [("• " + t, 8.5, False, "#333333") for t in page["highlight"]]
    for k, (text, size, bold, colour) in enumerate(blocks):
        lines = _lines(measure, text, TEXT_W, size, bold)
        room = int((y - DECK_MARGIN - 0.35) * 72 / (size * 1.3))
        if room < len(lines) + (k + 1 < len(blocks)) and k >= 2:     # the list does not fit: say how much is left
            fig.text(DECK_MARGIN / DECK_W, y / DECK_H, f"… and {len(blocks) - k} more (see the map)", fontsize=8.5,
                     color="#555555", va="top", ha="left")
            break
        shown = lines[:room] if len(lines) <= room else lines[:room - 1] + [lines[room - 1] + " …"]
        fig.text(DECK_MARGIN / DECK_W, y / DECK_H, "\n".join(shown), fontsize=size, fontweight="bold" if bold else "normal",
                 color=colour, va="top", ha="left", linespacing=1.3)
        y -= len(shown) * size * 1.3 / 72 + 0.12
    fig.text(DECK_MARGIN / DECK_W, (DECK_MARGIN - 0.05) / DECK_H, stamp, fontsize=7.5,
             color="#8a1c1c" if stamp.startswith("FULL") else "#555555", va="bottom", ha="left")


def briefing_bytes(bundle, briefing: Briefing, fmt: str, mode: str = PUBLIC) -> bytes:
    """The deck as bytes (for a download button), written through the same code as files."""
    with tempfile.TemporaryDirectory() as folder:
        return export_briefing(bundle, briefing, fmt, Path(folder) / f"{briefing.id}.{fmt}", mode).read_bytes()
