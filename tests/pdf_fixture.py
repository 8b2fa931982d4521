"""Real PDFs for the upload tests, made from a seed report's text with fpdf2 (a text layer, pages,
a title in the metadata) — what a researcher would upload, not a hand-made byte string."""
from __future__ import annotations

import re
from pathlib import Path

from geo.evidence import sources


def plain(text: str) -> str:
    """The seed text as a printed report shows it: no markdown marks or footnote tags."""
    text = re.sub(r"<sup>\s*\d+\s*</sup>", "", text)
    text = re.sub(r"</?sup>", "", text)
    text = re.sub(r"^#+\s*", "", text, flags=re.M)
    return text.replace("**", "").replace("\\*", "*").replace("\t", " ")


def excerpt(doc_id: str, first: str, last: str) -> str:
    """The seed text from the paragraph holding `first` to the end of the one holding `last`."""
    text = sources.text(doc_id)
    start = text.rfind("\n", 0, text.index(first)) + 1
    end = text.find("\n", text.index(last))
    return plain(text[start:end if end > 0 else len(text)])


def make_pdf(text: str, path: Path, title: str) -> Path:
    from fpdf import FPDF
    import matplotlib

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author("test fixture")
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=10.5)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    for paragraph in re.split(r"\n\s*\n|\n", text):
        if paragraph.strip():
            pdf.multi_cell(0, 5.4, paragraph.strip(), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
    path = Path(path)
    pdf.output(str(path))
    return path
