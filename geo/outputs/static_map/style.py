"""Colours, sizes and the page geometry of the print maps (inches and points)."""
from __future__ import annotations

from dataclasses import dataclass

from matplotlib import patheffects

# Basemap: the web map's colours (layers/basemap.py), federal-subject lines a little lighter for print.
# Land beyond the seven outlined countries (Europe, the Caucasus, Central Asia) is OTHER_FILL too,
# without borders; only the sea is blue.
RUSSIA_FILL, OTHER_FILL = "#fbfaf6", "#eeebe3"
COUNTRY_EDGE, SUBJECT_EDGE, COAST_EDGE = "#8a8a8a", "#cfcabd", "#b5b1a6"
GRATICULE = "#a9bccb"
INK, MUTED = "#222222", "#555555"

# The Far East, where most of the register lies: the empty-map default and the detail panel.
FAR_EAST = (120.0, 40.0, 145.0, 56.0)
DETAIL_MIN_RECORDS, DETAIL_MIN_SHARE, DETAIL_MIN_SPAN_M = 5, 0.3, 4_000_000

# Page geometry, inches. The default width is A4 portrait; the height follows the maps and the text.
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 0.62, 0.55, 0.35, 0.32
TICKS_H, PANEL_HEAD_H, GAP = 0.26, 0.22, 0.14
MIN_ACROSS_M, PAD = 1_500_000, 0.15


@dataclass(frozen=True)
class Page:
    """The page a map is drawn on: its width (inches); the maps fill it between the margins."""
    width: float = 8.27

    @property
    def map_w(self) -> float:
        return self.width - MARGIN_L - MARGIN_R

    @property
    def detail_w(self) -> float:      # the Far East detail, beside the legend
        return round(self.map_w * 0.6, 2)


A4 = Page()

# Symbol sizes, points (1/72 in).
DOT_D, RING_D, SITE_D = 6.0, 7.4, 6.4           # precise dot, district/region ring, site square
SLOT = 7.9                                      # honeycomb spacing: dots and squares plus a hair
RING_SLOT = 8.9                                 # ... when dashed rings (wider, with a thick edge) are in it
GROUP_GAP = 2.0                                 # clearance between honeycombs
PLACE_D = 2.6                                   # the dark dot marking a moved group's place
TITLE_PT, LEGEND_PT, CAPTION_PT, LABEL_PT, TICK_PT = 13, 7.0, 6.8, 7.2, 6.3
REFERENCE_PT = 6.4                              # towns named for orientation, where no record is
DASHES = (0, (2.0, 1.1))
HALO = [patheffects.Stroke(linewidth=2.4, foreground="white")]
