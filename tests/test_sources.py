"""Quotes are the document's own words: the checker tolerates conversion artefacts, nothing else."""
import pytest

from geo.evidence import sources
from geo.build.layers import check_quotes_in_files
from geo.paths import REGISTER_DIR
from tests.conftest import needs_seeds

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
])
def test_verbatim_quotes_with_conversion_artefacts_are_found(quote):
    assert sources.quote_problem(quote, TEXT) is None


@pytest.mark.parametrize("quote, why", [
    ("were established in 1968.", "differs at"),
    ("North Koreans are also working in mines near Omsk", "differs at 'Omsk'"),
    ("North Koreans [...] The logging sites", "not after the part before it"),
    ("Invented sentence.", "first word"),
])
def test_altered_quotes_are_rejected_with_the_reason(quote, why):
    assert why in sources.quote_problem(quote, TEXT)


@needs_seeds
def test_catalogue_lists_the_five_documents():
    assert set(sources.read_catalogue()) == {
        "un-sr-2016", "pscore-upr-2023", "memorial-2020", "amnesty-1996", "un-sr-2019"}


@needs_seeds
def test_every_quote_in_the_register_is_verbatim_in_its_document():
    files = sorted(REGISTER_DIR.glob("*.yaml"))
    problems = check_quotes_in_files(files)
    assert not problems, "\n".join(map(str, problems))
