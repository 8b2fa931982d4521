"""Three languages: every message translated, the language in the URL, dates, place names, curated
translations marked, exports in a language, and every page of the app with no English left."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from geo.language import LANGUAGES, _, ngettext, using
from geo.language.catalogues import LOCALE_DIR, po_path

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


# -- The catalogues --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set:
    """The messages the source asks for now (pybabel extract, as the README says)."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg", "-k", "N_",
                    "-k", "ngettext:1,2", "--no-wrap", "-o", str(pot), "app.py", "ui", "geo", "layers"],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}


def _catalogue(lang: str):
    with po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", ["ru", "ko"])
def test_every_message_of_the_source_has_a_translation(extracted, lang):
    catalogue = _catalogue(lang)
    translated = {}
    for m in catalogue:
        if m.id:
            key = m.id if isinstance(m.id, str) else tuple(m.id)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            translated[key] = all(s and s.strip() for s in strings) and not m.fuzzy
    missing = sorted((k for k in extracted if not translated.get(k)), key=str)
    assert not missing, (f"{len(missing)} message(s) without a {lang} translation (run pybabel extract/update as "
                         f"README: Languages says, and translate them): {missing[:10]}")


@pytest.mark.parametrize("lang", ["ru", "ko"])
def test_the_committed_template_matches_the_source(extracted, lang):
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        committed = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}
    assert committed == extracted, "locale/messages.pot is out of date: run pybabel extract (README: Languages)"


@pytest.mark.parametrize("lang", ["ru", "ko"])
def test_translations_keep_every_placeholder(lang):
    """A translation that drops or renames {n} would fail at .format() on the page."""
    for m in _catalogue(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            got = set(PLACEHOLDER.findall(s))
            # a plural form may leave out {n} only where the number is said otherwise (never here)
            assert got == wanted, f"{lang}: {ids[0]!r} → {s!r}: placeholders {sorted(got)} ≠ {sorted(wanted)}"


def test_no_message_is_hidden_from_extraction_inside_an_f_string():
    """Python 3.11 reads an f-string as one token: pybabel cannot see a _() call inside it."""
    pattern = re.compile(r"""\bf(["'])(?:(?!\1).)*\{[^}]*\b(_|ngettext)\(""")
    found = [f"{p.relative_to(ROOT)}:{n}" for folder in ("geo", "ui", "layers") for p in (ROOT / folder).rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    found += [f"app.py:{n}" for n, line in enumerate((ROOT / "app.py").read_text().splitlines(), 1)
              if pattern.search(line)]
    assert not found, f"_() inside an f-string (not extracted): {found}"


def test_the_catalogues_compile_and_translate():
    with using("ru"):
        assert _("Map") == "Карта"
        assert ngettext("{n} incident", "{n} incidents", 5).format(n=5) == "5 инцидентов"
        assert ngettext("{n} incident", "{n} incidents", 3).format(n=3) == "3 инцидента"
        assert ngettext("{n} incident", "{n} incidents", 21).format(n=21) == "21 инцидент"
    with using("ko"):
        assert _("Forcible return / handover") == "강제송환 / 인도"
    with using("en"):
        assert _("Map") == "Map"


def test_vocabulary_labels_follow_the_language_and_stored_labels_stay_english():
    from geo.evidence.vocabulary import INCIDENT_TYPES
    with using("ru"):
        assert INCIDENT_TYPES["forcible_return"] == "Принудительное возвращение / передача"
        assert INCIDENT_TYPES.english("forcible_return") == "Forcible return / handover"
    with using("ko"):
        assert INCIDENT_TYPES.get("abduction") == "납치"
    assert INCIDENT_TYPES["abduction"] == "Abduction"


def test_the_build_writes_english_labels_whatever_the_session_language(workspace):
    from geo.build.layers import build
    import json
    with using("ko"):
        build(**workspace)
    props = [f["properties"] for f in json.loads((workspace["data_dir"] / "incidents.geojson").read_text())["features"]]
    assert {"Abduction", "Court decision"} <= {p["type_label"] for p in props}
    assert all(not re.search("[\uac00-\ud7a3]", p["date_label"]) for p in props)


# -- Dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, args, expected", [
    ("en", (dt.date(2018, 10, 5), dt.date(2018, 10, 5), "day"), "5 Oct 2018"),
    ("ru", (dt.date(2018, 10, 5), dt.date(2018, 10, 5), "day"), "5 окт. 2018\u202fг."),
    ("ko", (dt.date(2018, 10, 5), dt.date(2018, 10, 5), "day"), "2018년 10월 5일"),
    ("en", (dt.date(2018, 10, 1), dt.date(2018, 10, 31), "month"), "Oct 2018 (month only)"),
    ("ru", (dt.date(2018, 10, 1), dt.date(2018, 10, 31), "month"), "окт. 2018\u202fг. (только месяц)"),
    ("ko", (dt.date(2018, 10, 1), dt.date(2018, 10, 31), "month"), "2018년 10월 (월까지만)"),
    ("en", (dt.date(1995, 1, 1), dt.date(1995, 12, 31), "year"), "1995 (year only)"),
    ("ru", (dt.date(1995, 1, 1), dt.date(1995, 12, 31), "year"), "1995 (только год)"),
    ("ko", (dt.date(1995, 1, 1), dt.date(1995, 12, 31), "year"), "1995년 (연도까지만)"),
    ("ru", (dt.date(2016, 2, 2), dt.date(2016, 2, 3), "range"), "2—3 февр. 2016\u202fг. (период)"),
    ("ko", (dt.date(2016, 2, 2), dt.date(2016, 2, 3), "range"), "2016년 2월 2일~3일 (기간)"),
    ("ru", (None, dt.date(1989, 12, 31), "year", "on_or_before"), "1989 или раньше"),
    ("ko", (None, dt.date(1989, 12, 31), "year", "on_or_before"), "1989년 또는 그 이전"),
])
def test_dates_read_in_each_language(lang, args, expected):
    from geo.evidence.dates import date_label
    with using(lang):
        assert date_label(*args) == expected


def test_a_document_date_and_a_site_period_in_each_language():
    from geo.evidence.dates import period_label
    from geo.evidence.sources import published_label
    with using("ru"):
        assert published_label("un-sr-2016") == "15 февраля 2016\u202fг."
        assert period_label(dt.date(1967, 1, 1), None, "year") == "с 1967"
    with using("ko"):
        assert published_label("un-sr-2016") == "2016년 2월 15일"


# -- Place names -----------------------------------------------------------------------------------

def test_place_names_in_each_language():
    from geo.language.places import place_name
    assert place_name("moscow", "Moscow", "ru") == "Москва"
    assert place_name("moscow", "Moscow", "ko") == "모스크바"           # GeoNames' one Hangul name
    assert place_name("khabarovsk", "Khabarovsk", "ko") == "하바롭스크"
    # several Hangul names in GeoNames (레닌그라드, 상트페테르부르크, …): ambiguous, the English name
    assert place_name("saint-petersburg", "Saint Petersburg", "ko") == "Saint Petersburg"
    assert place_name("chegdomyn", "Chegdomyn", "ko") == "Chegdomyn"   # none in GeoNames
    # a district is not the town whose GeoNames id its row carries
    assert place_name("skovorodinsky-district", "Skovorodinsky District", "ko") == "Skovorodinsky District"
    assert place_name("RU-AMU", "Amur Oblast", "ko") == "아무르주"       # Natural Earth's name + 주 for an oblast
    assert place_name("RU-PRI", "Primorsky Krai", "ru") == "Приморский край"
    assert place_name("KP", "North Korea", "ko") == "북한"
    assert place_name("moscow", "Moscow", "en") == "Moscow"


def test_a_name_that_is_not_the_places_english_name_is_left_alone():
    """A public release shows the region (or a withheld marker) where the place was: never more."""
    from geo.language.places import place_name
    assert place_name("slavyanka", "Primorsky Krai", "ru") == "Primorsky Krai"
    assert place_name("slavyanka", "[place withheld: Primorsky Krai]", "ko") == "[place withheld: Primorsky Krai]"


@pytest.fixture(scope="module")
def bundle():
    from geo.view.dataset import load_bundle
    return load_bundle()


def test_a_localized_bundle_translates_labels_and_keeps_the_evidence(bundle):
    from geo.language.localize import localize_bundle
    ru = localize_bundle(bundle, "ru")
    record = ru.incidents.loc["agr-2016-readmission-agreement"]
    assert record["type_label"] == "Соглашение / политика"
    assert record["date_label"] == "2—3 февр. 2016\u202fг. (период)"
    moscow = ru.incidents[ru.incidents["place_id"] == "moscow"].iloc[0]
    assert moscow["place_name"] == "Москва" and re.fullmatch("[А-Яа-я ]+", moscow["subject_name"])
    original = bundle.incidents.loc[moscow["id"]]
    for evidence in ("title", "place_as_written", "date_as_written", "outcome", "notes", "sources"):
        assert str(moscow[evidence]) == str(original[evidence])
    assert ru.subject_names["RU-PRI"] == "Приморский край"
    assert bundle.incidents.loc[moscow["id"], "place_name"] == "Moscow"      # the built bundle is unchanged


def test_a_public_release_is_made_before_translating_never_after(bundle):
    from geo.language.localize import localize_bundle
    from geo.outputs.redaction import PUBLIC, release_bundle
    with pytest.raises(ValueError, match="before its labels are translated"):
        release_bundle(localize_bundle(bundle, "ko"), PUBLIC)


def test_a_withheld_place_is_kept_off_a_print_map_in_every_language():
    from geo.outputs.static_map import _withheld_names
    names = _withheld_names({"moscow"})
    assert {"Moscow", "Москва", "모스크바"} <= names


# -- Curated translations of titles and outcomes ------------------------------------------------------

def _with_translation(bundle, record_id, title, outcome=None):
    incidents = bundle.incidents.copy()
    incidents["translations"] = None
    incidents.at[record_id, "translations"] = {"title": {"ru": title[0], "ko": title[1]},
                                               **({"outcome": {"ru": outcome[0], "ko": outcome[1]}} if outcome else {})}
    from dataclasses import replace
    return replace(bundle, incidents=incidents)


def test_a_curated_title_translation_is_shown_marked_and_the_original_kept(bundle):
    from geo.language.localize import localize_bundle
    from geo.outputs.details import incident_html, incident_rows
    record_id = "agr-1957-extradition-treaty"
    with_tr = _with_translation(bundle, record_id, ("СССР и КНДР подписывают договор о выдаче",
                                                    "소련과 북한, 범죄인 인도 조약 체결"),
                                ("Договор требует возвращать «перебежчиков» с судимостью.",
                                 "조약은 범죄 기록이 있는 '탈주자'의 송환을 요구한다."))
    ko = localize_bundle(with_tr, "ko")
    assert ko.titles[record_id] == "소련과 북한, 범죄인 인도 조약 체결 (번역)"
    with using("ko"):
        html = incident_html(ko.incidents.loc[record_id])
        rows = incident_rows(ko.incidents.loc[record_id])
    assert "USSR and the DPRK sign an extradition treaty" in html and "(번역)" in html
    assert ("결과", "조약은 범죄 기록이 있는 '탈주자'의 송환을 요구한다. (번역)") in rows
    assert ("결과", bundle.incidents.loc[record_id, "outcome"]) in rows       # the record's own words first
    assert localize_bundle(with_tr, "en") is with_tr                        # English: the original only


def test_a_public_release_drops_a_translation_of_text_it_withholds(bundle):
    from geo.outputs.redaction import PUBLIC, release_bundle
    from dataclasses import replace
    record_id = bundle.incidents[bundle.incidents["people_names"].map(bool)].index[0]
    name = bundle.incidents.loc[record_id, "people_names"][0]
    named = bundle.incidents.copy()
    named.at[record_id, "outcome"] = f"{name} was returned."          # an outcome that names someone
    with_tr = _with_translation(replace(bundle, incidents=named), record_id, ("Заголовок", "제목"), ("Исход", "결과"))
    released = release_bundle(with_tr, PUBLIC)
    kept = released.incidents.set_index("id", drop=False)
    public_id = (released.public_ids or {}).get(record_id, record_id)
    assert "outcome" not in (kept.loc[public_id, "translations"] or {})       # its outcome names someone
    assert kept.loc[public_id, "translations"]["title"]["ru"] == "Заголовок"


def test_the_register_schema_takes_translations_for_ru_and_ko_only():
    from pydantic import ValidationError
    from geo.evidence.schema import Incident
    base = {"id": "x-1", "title": "T", "type": "death", "date": {"as_written": "1995", "start": "1995-01-01",
            "precision": "year"}, "place": {"as_written": "Russia", "name": "Russia", "country": "RU",
            "precision": "country"}, "sources": [{"doc": "amnesty-1996", "locator": "p. 1", "quote": "q"}]}
    record = Incident.model_validate({**base, "title_translations": {"ru": "Т", "ko": "제목"}})
    assert record.title_translations == {"ru": "Т", "ko": "제목"}
    with pytest.raises(ValidationError):
        Incident.model_validate({**base, "title_translations": {"de": "Titel"}})
    with pytest.raises(ValidationError):
        Incident.model_validate({**base, "outcome_translations": {"ru": "Исход"}})   # no outcome to translate


# -- Exports in a language -------------------------------------------------------------------------

@pytest.mark.parametrize("lang, caption, release", [
    ("ru", "Показано 123 инцидента", "ПУБЛИЧНАЯ ВЕРСИЯ"),
    ("ko", "사건 123건 표시", "공개본"),
])
def test_an_export_caption_in_russian_and_korean(bundle, lang, caption, release):
    from geo.outputs.export import make_view
    from geo.view.filters import IncidentFilter
    with using(lang):
        view = make_view(bundle, IncidentFilter())
        lines = view.caption_lines()
    assert lines[0].startswith(caption) and any(line.startswith(release) for line in lines)
    assert view.title == {"ru": "Задокументированные инциденты: северокорейские работники и беженцы в России",
                          "ko": "기록된 사건: 러시아의 북한 노동자와 난민"}[lang]


def test_the_html_export_in_korean_declares_its_language_and_translates_its_chrome(bundle):
    from geo.outputs.export import export_bytes, make_view
    from geo.view.filters import IncidentFilter
    with using("ko"):
        html = export_bytes(make_view(bundle, IncidentFilter(types=("court_decision",))), "html").decode()
    assert '<html lang="ko">' in html
    assert "이 지도에 대하여" in html and "범례" in html and "법원 결정" in html
    assert "About this map" not in html


def test_the_command_line_exports_in_a_language(tmp_path):
    from geo.cli import main
    out = tmp_path / "courts.kml"
    assert main(["export", "kml", "--out", str(out), "--type", "court_decision", "--lang", "ru"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Решение суда" in text and "Источники" in text


def test_a_print_map_pdf_embeds_a_font_with_hangul(bundle, tmp_path):
    from pypdf import PdfReader
    from geo.outputs.export import export, make_view
    from geo.outputs.static_map.fonts import hangul_font
    from geo.view.filters import IncidentFilter
    assert hangul_font(), "no font with Hangul: install Debian's fonts-nanum (test.sh and .ci/run do)"
    with using("ko"):
        path = export(make_view(bundle, IncidentFilter(types=("court_decision",))), "pdf", tmp_path / "map.pdf")
    page = PdfReader(path).pages[0]
    fonts = {f.get_object()["/BaseFont"] for f in page["/Resources"]["/Font"].values()}
    assert any(hangul_font().replace(" ", "") in str(f) for f in fonts), fonts
    assert "법원 결정" in page.extract_text()


@pytest.mark.parametrize("lang", ["ru", "ko"])
def test_the_date_templates_give_babels_own_text(lang):
    """geo.language.dates fills CLDR patterns made once with placeholder numbers: the same text as
    Babel formatting each date, for every month and the shapes ranges take."""
    import random
    from babel.dates import format_interval, format_skeleton
    from geo.language import LOCALES
    from geo.language import dates
    rng, loc = random.Random(7), LOCALES[lang]
    with using(lang):
        for _n in range(300):
            start = dt.date(rng.randint(1950, 2030), rng.randint(1, 12), rng.randint(1, 28))
            end = start + dt.timedelta(days=rng.choice([1, 3, 20, 45, 400, 3000]))
            assert dates._day(start) == format_skeleton("yMMMd", start, locale=loc)
            assert dates._month(start) == format_skeleton("yMMM", start, locale=loc)
            assert dates._year(start) == format_skeleton("y", start, locale=loc)
            assert dates._interval(start, end, "days") == format_interval(start, end, "yMMMd", locale=loc)
            first, last = start.replace(day=1), end.replace(day=1)
            if (first.year, first.month) != (last.year, last.month):
                assert dates._interval(first, last, "months") == format_interval(first, last, "yMMM", locale=loc)
            if start.year != end.year:
                assert dates._interval(dt.date(start.year, 1, 1), dt.date(end.year, 12, 31), "years") == \
                    format_interval(dt.date(start.year, 1, 1), dt.date(end.year, 12, 31), "y", locale=loc)
