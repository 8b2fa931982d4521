"""A briefing for people who cannot run the app: an HTML deck or a PDF, one page per step,
each with its map image, heading and text. Public release by default, like every export."""
from __future__ import annotations

import base64
import math
import tempfile
from pathlib import Path

from geo.outputs.briefings import Briefing, redacted
from geo.outputs.export import ATTRIBUTION, ExportError, check_target, write_bytes_atomically
from geo.outputs.html_text import esc
from geo.outputs.mapview import map_data
from geo.outputs.redaction import PUBLIC, release_bundle

BRIEFING_FORMATS = ("html", "pdf")


def step_extent(center: tuple[float, float], zoom: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) that a ~1000 x 650 px web map shows at this centre and zoom."""
    lat, lon = center
    width = 360 * 1000 / (256 * 2 ** zoom)
    height = min(width * 0.65 * math.cos(math.radians(lat)), 80)
    return lon - width / 2, max(lat - height / 2, -85), lon + width / 2, min(lat + height / 2, 85)


def _step_pages(released, briefing: Briefing, folder: Path) -> list[dict]:
    from geo.outputs.static_map import render_static_map

    pages = []
    for number, step in enumerate(briefing.steps, start=1):
        incidents = step.filter.apply(released.incidents)
        image = folder / f"step-{number}.png"
        caption = [f"Step {number} of {len(briefing.steps)} · {len(incidents)} incident(s) · "
                   + step.filter.describe(released.subject_names), ATTRIBUTION]
        render_static_map(map_data(released, incidents, highlight=step.highlight), image, "png",
                          title=step.heading, caption_lines=caption,
                          extent=step_extent(step.center, step.zoom), dpi=150)
        pages.append({"heading": step.heading, "text": step.text, "image": image,
                      "highlight": [released.titles.get(i, i) for i in step.highlight], "caption": caption})
    return pages


def export_briefing(bundle, briefing: Briefing, fmt: str, path: Path, mode: str = PUBLIC) -> Path:
    if fmt not in BRIEFING_FORMATS:
        raise ExportError(f"unknown briefing format {fmt!r}; choose html or pdf")
    path = Path(path)
    check_target(path)
    released = release_bundle(bundle, mode)
    if released.redactor is not None:
        briefing = redacted(briefing, released.redactor)
    stamp = ("Public release: personal names withheld, sensitive locations coarsened." if released.mode == PUBLIC
             else "FULL RELEASE FOR TRUSTED PARTNERS: contains personal names. Do not publish.")
    with tempfile.TemporaryDirectory() as folder:
        pages = _step_pages(released, briefing, Path(folder))
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
            + (f"<h3>Records in focus</h3><ul>{focus}</ul>" if focus else "")
            + f'<img alt="Map for step {number}" src="data:image/png;base64,{image}"></section>')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
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
    import io
    import textwrap

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with matplotlib.rc_context({"text.parse_math": False}), PdfPages(buffer) as pdf:   # "$" is a dollar sign
        fig = plt.figure(figsize=(11.69, 8.27))
        fig.text(0.06, 0.8, textwrap.fill(title, 60), fontsize=24, weight="bold", va="top")
        fig.text(0.06, 0.6, textwrap.fill(summary, 100), fontsize=13, va="top")
        fig.text(0.06, 0.35, stamp, fontsize=12, color="#8a1c1c", va="top")
        pdf.savefig(fig)
        plt.close(fig)
        for number, page in enumerate(pages, start=1):
            fig = plt.figure(figsize=(11.69, 8.27))
            fig.text(0.04, 0.965, f"{number}. {page['heading']}", fontsize=16, weight="bold", va="top")
            fig.text(0.04, 0.92, textwrap.fill(page["text"], 150), fontsize=10, va="top")
            axes = fig.add_axes((0.04, 0.02, 0.92, 0.74))
            axes.imshow(plt.imread(page["image"]))
            axes.set_axis_off()
            pdf.savefig(fig)
            plt.close(fig)
    return buffer.getvalue()


def briefing_bytes(bundle, briefing: Briefing, fmt: str, mode: str = PUBLIC) -> bytes:
    """The deck as bytes (for a download button), written through the same code as files."""
    with tempfile.TemporaryDirectory() as folder:
        return export_briefing(bundle, briefing, fmt, Path(folder) / f"{briefing.id}.{fmt}", mode).read_bytes()
