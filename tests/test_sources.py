"""Quotes are the document's own words: the checker tolerates conversion artefacts, nothing else."""
import hashlib
import shutil

import pytest

from geo.evidence import sources
from geo.build.layers import check_quotes_in_files
from geo.paths import REGISTER_DIR, SOURCES_DIR

TEXT = sources.normalise(
    "The logging sites in the Khabarovsk and Amur regions were established in 1967.<sup>2</sup>\n"
    "Amnesty International September 1996Al Index: ASA 24/06/96 North Koreans are also\n"
    "working in mines near the city of Novosibirsk. He said: \u201cI was beaten\u201d \u2013 twice."
)


@pytest.mark.parametrize("quote", [
    "were established in 1967.",
    "established in 1967. North Koreans are also working in mines",      # footnote and page header skipped
    "North Koreans are also working in mines near the city of Novosibirsk.",  # line break inside
    'He said: "I was beaten" - twice.',                                   # straight quotes and dash
    "The logging sites [...] were established in 1967.",                  # curator's elision
    "were established in 1967.<sup>2</sup> North Koreans",                # the marker copied with the words
])
def test_verbatim_quotes_with_conversion_artefacts_are_found(quote):
    assert sources.quote_problem(quote, TEXT) is None


@pytest.mark.parametrize("quote, why", [
    ("were established in 1968.", "differs at"),
    ("North Koreans are also working in mines near Omsk", "differs at 'Omsk'"),
    ("North Koreans [...] The logging sites", "not after the part before it"),
    ("Invented sentence.", "first word"),
    # only real footnote markers may be skipped: words wrapped in <sup> are words
    ("were established <sup>by the state</sup> in 1967.", "differs at"),
    ("were established in 1967.<sup>2, and again in 1971</sup> North Koreans", "differs at"),
    ("were established in 1967.<sup>invented</sup>", "differs at"),
])
def test_altered_quotes_are_rejected_with_the_reason(quote, why):
    assert why in sources.quote_problem(quote, TEXT)


def test_catalogue_lists_the_five_documents():
    assert set(sources.read_catalogue()) == {
        "un-sr-2016", "pscore-upr-2023", "memorial-2020", "amnesty-1996", "un-sr-2019"}


def test_every_quote_in_the_register_is_verbatim_in_its_document():
    files = sorted(REGISTER_DIR.glob("*.yaml"))
    problems = check_quotes_in_files(files)
    assert not problems, "\n".join(map(str, problems))


def test_every_hash_in_the_catalogue_is_recomputed_and_matches():
    docs = sources.catalogue()
    assert len(docs) >= 5
    assert sources.hash_problems() == []
    for doc in docs.values():
        stored = (SOURCES_DIR / doc.text_file).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == doc.text_sha256, doc.id
        original = SOURCES_DIR / (doc.original_file or doc.text_file)
        if doc.original_file:
            assert hashlib.sha256(original.read_bytes()).hexdigest() == doc.original_sha256, doc.id


def test_catalogue_entries_carry_the_chain_of_custody_fields():
    for doc in sources.catalogue().values():
        for name in ("title", "author", "publisher", "published", "language", "obtained_from", "licence"):
            assert getattr(doc, name), f"{doc.id}: {name} is empty"


def test_a_changed_text_is_reported(tmp_path):
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, copy)
    path = copy / "un-sr-2016.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("15 February", "16 February"), encoding="utf-8")
    assert any(p.startswith("un-sr-2016: text_sha256") for p in sources.hash_problems(copy))


def test_labels_and_dates_for_captions_come_from_the_catalogue():
    assert sources.label("amnesty-1996") == "Amnesty International (1996)"
    assert sources.published_label("un-sr-2016") == "15 February 2016"
    assert sources.published_label("amnesty-1996") == "September 1996"
    assert sources.chronological(["pscore-upr-2023", "amnesty-1996", "synthetic"]) == ["amnesty-1996", "pscore-upr-2023"]


def test_locate_quote_gives_offsets_in_the_stored_text():
    raw = sources.text("amnesty-1996")
    quote = "In December 1995 three North Korean men were arrested at Vladivostok airport."
    start, end = sources.locate_quote(quote, raw)
    assert raw[start:end] == quote



def test_nothing_refers_to_the_shared_folder_outside_the_repository():
    # The names are put together here so that this test does not spell what it looks for.
    forbidden = ("..", "/", "shared"), ("SHARED", "_DIR")
    needles = ["".join(parts) for parts in forbidden]
    root = SOURCES_DIR.parent.parent
    paths = [*root.glob("geo/**/*.py"), *root.glob("ui/**/*.py"), *root.glob("tests/*.py"), *root.glob("bench/*.py"),
             *root.glob("layers/*.py"), root / "app.py", *root.glob("scripts/*"), *root.glob("*.sh"),
             *root.glob(".ci/*"), *root.glob("data/**/*.yaml"), *root.glob("data/**/*.csv")]
    offenders = [str(path.relative_to(root)) for path in paths if path.is_file()
                 and any(needle in path.read_text(encoding="utf-8") for needle in needles)]
    assert offenders == []


def test_the_about_page_lists_every_document_with_its_provenance_and_hash():
    from tests.test_app import run
    at = run()
    at.switch_page("ui/pages/about.py").run()
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")
    for doc in sources.catalogue().values():
        assert doc.id in shown and doc.text_sha256[:12] in shown and doc.licence.split(";")[0] in shown
