"""Every page of the app in Russian and Korean (AppTest) with no English interface text left, and
the language in the URL: ?lang= opens the app in it, every page keeps it, a bad value is said."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from geo.language import LANGUAGES, using
from geo.language.catalogues import po_path
from tests.data_copy import copy_data

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ("ui/pages/map.py", "ui/pages/review.py", "ui/pages/statistics.py", "ui/pages/export.py", "ui/pages/about.py")
RECORD = "mem20-court-03-khabarovsk"      # selected on the map page: its details panel is drawn too
DOCUMENT = "memorial-2020"                # opened on the Review & edit page: its proposals are listed

# Words that are the same in every language here: names of formats, products and sources, the
# switch's own label (it is in all three languages), examples of what to type.
KEPT_WORDS = {"language", "geonames", "natural", "earth", "geojson", "geopackage", "qgis", "arcgis", "google",
              "html", "utf", "shapefile", "latin", "openstreetmap", "habarovsk", "khabar", "october", "kazan",
              "memorial", "civic", "assistance", "amnesty", "international", "pscore", "yyyy", "sha256",
              "python", "source", "export", "schema", "docs", "data", "sources", "register",
              "section", "para", "chars"}   # the geoparser's locators, stored with a record as it writes them
CHROME = ("label", "help", "placeholder")


def _strings(at: AppTest) -> tuple[list[str], list[str]]:
    """(interface chrome: labels, help, placeholders, headings and messages; everything shown)."""
    chrome, shown = [], []

    def walk(node):
        kind = getattr(node, "type", "")
        for attr in CHROME:
            value = getattr(node, attr, None)
            if isinstance(value, str) and value:
                chrome.append(value)
                shown.append(value)
        value = getattr(node, "value", None)
        if isinstance(value, str) and value:
            shown.append(value)
            if kind in ("header", "subheader", "title", "alert", "exception") or kind.startswith(("info", "warning", "error")):
                chrome.append(value)
        body = getattr(getattr(node, "proto", None), "body", None)      # st.html (the legend beside the map)
        if kind == "html" or (isinstance(body, str) and body.lstrip().startswith("<")):
            text = re.sub(r"<style.*?</style>|<[^>]+>", "\n", body or "", flags=re.S)
            for line in filter(None, (t.strip() for t in text.splitlines())):
                chrome.append(line)
                shown.append(line)
        for option in getattr(node, "options", None) or []:
            if isinstance(option, str):
                shown.append(option)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for alert in (*at.info, *at.warning, *at.error, *at.success):
        chrome.append(alert.value)
    # Markdown and captions, except quotes (evidence, in the document's language)
    chrome += [m.value for m in (*at.markdown, *at.caption) if not m.value.startswith(">")]
    return chrome, shown


@pytest.fixture(scope="module")
def evidence() -> list[str]:
    """What stays as the documents and curators wrote it: record titles, document names, briefings."""
    from geo.evidence.sources import catalogue
    from geo.outputs.briefings import load_briefings
    from geo.view.dataset import load_bundle
    bundle = load_bundle()
    texts = [*bundle.titles.values(), *(d.title for d in catalogue().values()), *(d.label for d in catalogue().values()),
             *(d.licence for d in catalogue().values()), *(d.obtained_from for d in catalogue().values()),
             *(d.publisher or d.author for d in catalogue().values()),
             *(s["locator"] for sources in bundle.incidents["sources"] for s in sources),
             *(n for n in bundle.incidents["notes"] if isinstance(n, str)),
             *(o for o in bundle.incidents["outcome"] if isinstance(o, str)),
             *(p for p in bundle.incidents["place_as_written"] if isinstance(p, str)),
             *(c for c in bundle.incidents["court_name"] if isinstance(c, str)),
             *(r["as_written"] for readings in bundle.incidents["date_readings"] for r in readings or []),
             *(d for d in bundle.incidents["date_as_written"] if isinstance(d, str)),
             *(n for frame in bundle.sites.values() for n in frame["name"])]
    from geo.evidence.statistics import load_statistics
    stats = load_statistics()          # the figures' topics, series and notes, as the curators wrote them
    texts += [t for g in stats.groups for t in (g.title, g.notes)]
    texts += [t for s in stats.series for t in (s.title, s.unit, s.measure, s.notes, s.source and s.source.locator,
                                                *(x for v in s.values for x in (v.period, v.label, v.as_written)))]
    for b in load_briefings(bundle):
        texts += [b.title, b.summary, *(s.heading for s in b.steps), *(s.text for s in b.steps)]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def _without(text: str, evidence) -> str:
    text = re.sub(r"\\(?=\S)", "", re.sub(r"<[^>]+>|&nbsp;", " ", text))     # markup and markdown escapes
    for kept in evidence:
        if kept in text:
            text = text.replace(kept, " ")
    return text


def _english_words(text: str, evidence=()) -> list[str]:
    text = _without(text, evidence)
    text = re.sub(r"“[^”]*”|«[^»]*»|`[^`]*`|\[[^\]]*\]|https?://\S+|\S+\.(py|md|csv|yaml|txt)\b|[a-z0-9]+(-[a-z0-9]+)+", " ", text)
    return [w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() not in KEPT_WORDS]


def _english_messages(lang: str) -> list[str]:
    """The catalogue's English messages whose translation differs (what must not be on the page),
    as the fixed text before their first placeholder, without markdown marks."""
    with po_path(lang).open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    found = set()
    for m in catalogue:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for msgid in ids:
            fixed = re.split(r"\{", msgid)[0].strip("#* ")
            if len(fixed) >= 10 and fixed not in strings and not any(fixed in s for s in strings):
                found.add(fixed)
    return sorted(found)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return copy_data(tmp_path_factory.mktemp("store"))


def _run(query: dict, page: str | None = None) -> AppTest:
    """The app run with `query`; AppTest reads the widgets' values here, through their format_func,
    so this thread speaks the page's language too."""
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    with using(query.get("lang") if query.get("lang") in LANGUAGES else "en"):
        at.run()
        if page:
            at.switch_page(page).run()
    return at


@pytest.mark.parametrize("lang", ["ru", "ko"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_no_english_interface_text_left(page, lang, scratch, evidence, monkeypatch):
    monkeypatch.setenv("INCIDENT_STORE", str(scratch))
    query = {"lang": lang, "rec": RECORD} if page.endswith("map.py") else {"lang": lang, "doc": DOCUMENT}
    at = _run(query, None if page.endswith("map.py") else page)
    assert not at.exception, at.exception
    if page.endswith("review.py"):
        assert at.session_state["review_doc"] == DOCUMENT       # the document and its proposals are drawn
    with using(lang):      # the widgets' format_func run here too (reading a selectbox's value)
        chrome, shown = _strings(at)
    leftovers = sorted({f"{text[:80]!r}: {words}" for text in chrome if (words := _english_words(text, evidence))})
    assert not leftovers, f"English words in the {lang} interface of {page}: {leftovers[:12]}"
    shown = [re.sub(r"“[^”]*”|«[^»]*»", " ", _without(text, evidence)) for text in shown if not text.startswith(">")]
    english = [m for m in _english_messages(lang) if any(m in text for text in shown)]
    assert not english, f"untranslated messages on {page} in {lang}: {english[:12]}"


def test_the_language_round_trips_through_the_url():
    at = _run({"lang": "ko", "type": "court_decision"})
    assert at.session_state["lang"] == "ko"
    assert at.query_params["lang"] == "ko" and at.query_params["type"] == "court_decision"
    assert at.markdown[0].value == "# 기록된 사건: 러시아의 북한 노동자와 난민"
    with using("ko"):
        at.switch_page("ui/pages/statistics.py").run()
    assert at.query_params["lang"] == "ko"                          # every page keeps it
    # the switch in the sidebar (AppTest sends the widgets' values as the page showed them: in Korean)
    with using("ko"):
        at.selectbox(key="lang").set_value("ru").run()
    assert not at.exception
    assert at.query_params["lang"] == "ru" and at.markdown[0].value == "# Статистика"
    assert at.query_params["type"] == "court_decision"              # the filters stay
    with using("ru"):
        at.selectbox(key="lang").set_value("en").run()
    assert "lang" not in at.query_params                            # English is the default


def test_an_unknown_language_in_the_link_is_ignored_with_a_warning():
    at = _run({"lang": "fr"})
    assert at.session_state["lang"] == "en" and not at.exception
    assert any("lang='fr' is not a language of this map (en, ru, ko); ignored" in w.value for w in at.warning)


def test_map_tooltips_legend_and_counts_are_in_the_language():
    from tests.app_helpers import map_args
    at = _run({"lang": "ru", "type": "court_decision"})
    code = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)),
                  "".join(str(map_args(at)[part]) for part in ("script", "html", "feature_group")))   # JSON escapes
    assert "Решение суда" in code and "Легенда" in code and "Показать все" in code
    assert "окт. 2018" in code                                      # the tooltips' dates
    line = next(m.value for m in at.markdown if "Инцидентов в выборке" in m.value)
    assert "**20 из 123**" in line
