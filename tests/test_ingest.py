"""Taking in a document: add-source for PDF, HTML and Russian text with one-line errors and nothing
written on bad input; propose cuts quotes exactly, reads dates, counts and names."""
import datetime as dt
import io
import json
import shutil
import subprocess
import sys

import pytest

from geo.evidence import sources
from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES
from geo.ingest import lexicon
from geo.ingest.add_source import add_source
from geo.ingest.dates import find_dates
from geo.ingest.extract import ExtractionError, normalise_text
from geo.ingest.numbers import lowest, people_counts
from geo.ingest.propose import propose, propose_document
from geo.ingest.words import words
from geo.paths import ROOT, SOURCES_DIR

PUBLISHED = dt.date(2020, 6, 17)      # a Wednesday


def pdf_bytes(pages, encrypt=None, image_only=False) -> bytes:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for text in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            if image_only:
                fig.figimage([[0.2, 0.8], [0.6, 0.4]], xo=50, yo=50)
            else:
                for n, line in enumerate(text.split("\n")):
                    fig.text(0.08, 0.9 - n * 0.03, line, fontsize=10)
            pdf.savefig(fig)
            plt.close(fig)
    data = buffer.getvalue()
    if encrypt:
        from pypdf import PdfReader, PdfWriter
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(encrypt, algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


@pytest.fixture
def registry(tmp_path):
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, folder)
    return folder


RUSSIAN = ("12 октября 2018 года пятеро граждан КНДР были задержаны в Хабаровске. "
           "Позже Ким Чен Хо рассказал, что их избили в отделе полиции.\n\n"
           "В марте 2016 года суд г. Владивостока вынес решение о выдворении двух рабочих.\n")
HTML = """<!doctype html><html><head><title>Workers held</title></head><body>
<nav>Home | News | About</nav><article><h1>Workers held in Khabarovsk</h1>
<p>On 12 October 2018 five North Korean workers were arrested in Khabarovsk by the police.</p>
<p>Last week two more were detained at a construction site near Ussuriysk.</p></article>
<footer>Copyright 2020 Example News</footer></body></html>"""


def test_add_source_takes_a_pdf_with_its_pages(registry, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes(["Report on the Far East", "On 12 October 2018 five workers were arrested in Khabarovsk."]))
    doc = add_source(path, "test-pdf", "A test report", "2020-06-15", sources_dir=registry)
    text = (registry / doc.text_file).read_text(encoding="utf-8")
    assert doc.pages == (0, text.index("\f") + 2) and doc.language == "en" and doc.format == "PDF"
    assert doc.page_at(text.index("Khabarovsk")) == "2"
    assert (registry / doc.original_file).read_bytes() == path.read_bytes()
    assert sources.hash_problems(registry) == []
    candidates = propose(text, published=dt.date(2020, 6, 15), pages=doc.pages)
    assert candidates[0].locator.startswith("p. 2")


def test_add_source_takes_html_saved_from_a_browser(registry, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    doc = add_source(path, "test-html", "Workers held", "2020-06-15", sources_dir=registry)
    text = (registry / doc.text_file).read_text(encoding="utf-8")
    assert "five North Korean workers were arrested in Khabarovsk" in text
    assert "Home | News" not in text and "Copyright 2020" not in text
    assert doc.format.startswith("HTML")


def test_add_source_takes_russian_text_and_detects_the_language(registry, tmp_path):
    path = tmp_path / "news.txt"
    path.write_text(RUSSIAN, encoding="utf-8")
    doc = add_source(path, "test-ru", "Новости", "2020-06-15", sources_dir=registry)
    assert doc.language == "ru" and "test-ru" in sources.catalogue(registry)
    assert sources.text("test-ru", registry) == RUSSIAN


@pytest.mark.parametrize("content, why", [
    (b"", "is empty"),
    (b"   \n", "is empty"),
    ("Хабаровск".encode("cp1251"), "is not UTF-8 text"),
    (pdf_bytes(["secret text on the page"], encrypt="pw"), "encrypted PDF"),
    (pdf_bytes(["", ""], image_only=True), "no text layer"),
])
def test_bad_files_get_one_line_and_nothing_is_written(registry, tmp_path, content, why):
    path = tmp_path / ("bad.pdf" if content.startswith(b"%PDF") else "bad.txt")
    path.write_bytes(content)
    before = sorted(p.name for p in registry.rglob("*"))
    with pytest.raises(ExtractionError, match=why) as caught:
        add_source(path, "bad-doc", "Bad", "2020-01-01", sources_dir=registry)
    assert "\n" not in str(caught.value)
    assert sorted(p.name for p in registry.rglob("*")) == before


def test_duplicate_id_and_same_file_under_another_id_are_refused(registry, tmp_path):
    path = tmp_path / "copy.txt"
    shutil.copy(SOURCES_DIR / "un-sr-2016.txt", path)
    with pytest.raises(sources.SourceError, match="already registered as 'un-sr-2016'"):
        add_source(path, "another-id", "Copy", "2016-02-15", sources_dir=registry)
    path.write_text("A different text about Khabarovsk.\n", encoding="utf-8")
    with pytest.raises(sources.SourceError, match="already registered"):
        add_source(path, "amnesty-1996", "Clash", "2016-02-15", sources_dir=registry)
    with pytest.raises(sources.SourceError, match="--published"):
        add_source(path, "new-doc", "Bad date", "2016-02-30", sources_dir=registry)
    assert "another-id" not in sources.catalogue(registry)


def test_cli_add_source_error_is_one_line(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "geo", "add-source", str(path), "--id", "x", "--title", "X",
                             "--published", "2020-01-01"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "empty" in result.stderr


def test_normalising_keeps_every_word():
    raw = "The work-\ners were de-\ntained in the long-\nterm camp; long-term\r\nindeed.  Soft\u00adhyphen."
    text = normalise_text(raw)
    assert "workers were detained" in text and "long-term camp" in text and "Softhyphen" in text
    assert "  " not in text


# -- propose ----------------------------------------------------------------------------------

@pytest.mark.parametrize("doc_id", ["memorial-2020", "amnesty-1996"])
def test_quotes_are_cut_verbatim_and_pass_the_quote_check(doc_id):
    text = sources.text(doc_id)
    normalised = sources.document_text(doc_id)
    proposal = propose_document(doc_id)
    assert len(proposal.candidates) > 20
    for c in proposal.candidates:
        assert text[c.start:c.end] == c.quote
        assert sources.quote_problem(c.quote, normalised) is None
        assert c.type in INCIDENT_TYPES and set(c.actors) <= set(ACTORS)
        for place in c.places:
            assert text[place["start"]:place["end"]] == place["as_written"] or place["from_context"]


def test_propose_json_has_the_issue_field_names(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text(RUSSIAN, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "geo", "propose", str(path), "--published", "2020-06-15", "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    assert set(data) >= {"document", "candidates"}
    c = data["candidates"][0]
    assert set(c) >= {"quote", "start", "end", "locator", "type", "type_evidence", "date", "places",
                      "people_affected", "actors", "people_names"}
    assert set(c["date"]) >= {"start", "end", "precision", "as_written", "inferred"}
    assert set(c["places"][0]) >= {"as_written", "name", "lat", "lon", "subject", "precision", "gazetteer_id",
                                   "alternatives"}


def test_russian_passage_is_proposed_in_full():
    candidates = propose(RUSSIAN, language="ru", published=PUBLISHED)
    first = candidates[0]
    assert first.type == "arrest_detention" and "задержаны" in first.type_evidence
    assert first.date["start"] == "2018-10-12" and first.date["precision"] == "day" and not first.date["inferred"]
    assert first.places[0]["name"] == "Khabarovsk" and first.places[0]["as_written"] == "Хабаровске"
    assert first.people_affected == 5
    later = [c for c in candidates if "Ким Чен Хо" in c.quote][0]
    assert "Ким Чен Хо" in later.people_names and "Ким" not in later.title
    court = [c for c in candidates if "выдворении" in c.quote][0]
    assert court.type == "court_decision" and court.people_affected == 2
    assert court.date["precision"] == "month" and court.places[0]["name"] == "Vladivostok"
    assert "ru_court" in court.actors


def test_english_names_go_to_people_names_never_the_title():
    text = 'Song Chang Keun was arrested in Khabarovsk in late March 1995. Mr "Kim" was beaten in Moscow.'
    candidates = propose(text, published=dt.date(1996, 9, 1))
    assert candidates[0].people_names == ["Song Chang Keun"] and "Song" not in candidates[0].title
    assert 'Mr "Kim"' in candidates[1].people_names and "Kim" not in candidates[1].title


@pytest.mark.parametrize("phrase, language, first, last, precision, inferred", [
    ("on 12 October", "en", "2019-10-12", "2019-10-12", "day", True),
    ("12 октября", "ru", "2019-10-12", "2019-10-12", "day", True),
    ("в марте 2016 года", "ru", "2016-03-01", "2016-03-31", "month", False),
    ("in 1995", "en", "1995-01-01", "1995-12-31", "year", False),
    ("last week", "en", "2020-06-08", "2020-06-14", "range", True),
    ("на прошлой неделе", "ru", "2020-06-08", "2020-06-14", "range", True),
    ("on Monday", "en", "2020-06-15", "2020-06-15", "day", True),
    ("вчера", "ru", "2020-06-16", "2020-06-16", "day", True),
    ("In 2015-2016", "en", "2015-01-01", "2016-12-31", "range", False),
    ("in the early 1990s", "en", "1990-01-01", "1993-12-31", "range", False),
    ("On October 5, 2018", "en", "2018-10-05", "2018-10-05", "day", False),
    ("between November 8th and November 15, 2007", "en", "2007-11-08", "2007-11-15", "range", False),
    ("с 5 по 9 мая 2019 года", "ru", "2019-05-05", "2019-05-09", "range", False),
])
def test_dates_with_precision_and_relative_dates_against_publication(phrase, language, first, last, precision, inferred):
    (found,) = find_dates(f"The men were detained {phrase} near the border.", language, PUBLISHED)
    assert (found.first.isoformat(), found.last.isoformat(), found.precision, found.inferred) == (first, last, precision, inferred)


def test_a_yearless_date_takes_the_year_of_the_paragraph():
    candidates = propose("In 2019 the talks resumed. On 25 April, a summit was held in Vladivostok and an agreement signed.",
                         published=dt.date(2019, 8, 2))
    summit = candidates[-1]
    assert summit.date["start"] == "2019-04-25" and summit.date["inferred"]


def test_durations_are_not_dates():
    assert find_dates("He had lived in Russia for 13 years.", "en", PUBLISHED) == []


@pytest.mark.parametrize("text, language, value", [
    ("five workers were arrested", "en", 5),
    ("at least two citizens of the DPRK", "en", 2),
    ("two or three North Korean workers", "en", 2),
    ("twenty-five loggers", "en", 25),
    ("9 DPRK citizens", "en", 9),
    ("пятеро рабочих задержаны", "ru", 5),
    ("задержали пятерых граждан", "ru", 5),
    ("двух граждан КНДР", "ru", 2),
    ("не менее трёх человек", "ru", 3),
])
def test_people_counts_take_the_lowest_figure_in_words_or_digits(text, language, value):
    assert lowest(people_counts(words(text), text, language))[0] == value


@pytest.mark.parametrize("text, language, phrase", [
    ("several hundred workers", "en", "several hundred workers"),
    ("несколько сотен рабочих", "ru", "несколько сотен рабочих"),
])
def test_vague_counts_are_null_with_the_phrase_kept(text, language, phrase):
    assert lowest(people_counts(words(text), text, language)) == (None, phrase)


def test_the_lexicon_maps_onto_the_register_vocabulary():
    assert set(lexicon.TYPE_TRIGGERS) == set(INCIDENT_TYPES) == set(lexicon.TYPE_PRIORITY)
    assert set(lexicon.ACTOR_TRIGGERS) <= set(ACTORS)
    for by_language in lexicon.TYPE_TRIGGERS.values():
        assert set(by_language) == {"en", "ru"}


def test_no_tracked_file_is_over_2_mb():
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    large = [f.decode() for f in files if f and (ROOT / f.decode()).is_file() and (ROOT / f.decode()).stat().st_size > 2_000_000]
    assert large == []


def test_a_yearless_date_in_an_old_story_takes_the_story_year_not_the_publication_year():
    story = ("In 2007 he fled from the logging camp to Vladivostok.\n"
             "Friends hid him for a week.\n"
             "On November 8th he was arrested by the police in Vladivostok.")
    (arrest,) = [c for c in propose(story, published=dt.date(2020, 12, 28)) if "November" in c.quote]
    assert arrest.date["start"] == "2007-11-08" and arrest.date["inferred"]


def test_a_passage_without_a_date_takes_the_last_date_before_it_marked_inferred():
    text = ("11) On April 20, 2019, a judge of the Kalininsky District Court of Ufa expelled a citizen of the DPRK.\n"
            "12) In the same court and on the same day, another judge made a similar decision to expel a citizen.")
    second = [c for c in propose(text, published=dt.date(2020, 12, 28)) if c.quote.startswith("12)")][0]
    assert second.date["start"] == "2019-04-20" and second.date["inferred"] and second.date["from_context"]
    assert second.places[0]["name"] == "Ufa"
