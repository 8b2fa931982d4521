"""The record form's logic without Streamlit: a draft becomes a record only when every rule of the
register holds, and each problem is said next to its field; places, precision and ids."""
import datetime as dt

import pytest

from geo.evidence.editing import (Draft, ReadingDraft, Rules, SourceDraft, build_record, check_quote, draft_from_record,
                                  field_of, name_warnings, record_document)
from geo.evidence.record_ids import date_part, document_prefix, mint_id, spells_a_name
from geo.evidence.register import load_register
from geo.places.choice import PlaceChoice, allowed_precisions, resolve_choice
from geo.places.gazetteer import Gazetteer, read_gazetteer
from geo.places.boundaries import load_subjects
from geo.places.search import locate_point, search_places

QUOTE = "Mr Kim was arrested in Khabarovsk in late March 1995 in connection with a murder."
REAL_QUOTE = "was arrested in Khabarovsk in late March 1995 in connection with a murder."
KHABAROVSK = {"gazetteer_id": "khabarovsk", "name": "Khabarovsk", "name_ru": "Хабаровск", "kind": "settlement",
              "precision": "settlement", "subject": "RU-KHA", "country": "RU", "lat": 48.48, "lon": 135.08,
              "source": "geonames:2022890", "curated": True}


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.fixture(scope="module")
def rules(register):
    sites = {s.id: s.kind for s in register.sites}
    return Rules(record_ids=frozenset([i.id for i in register.incidents] + list(sites)),
                 courts=frozenset(i for i, k in sites.items() if k == "court"), sites=frozenset(sites))


def arrest(**changes) -> Draft:
    values = dict(title="Arrest in Khabarovsk (March 1995)", type="arrest_detention", date_as_written="late March 1995",
                  date_start=dt.date(1995, 3, 1), date_precision="month", place_as_written="Khabarovsk",
                  actors=["ru_authorities"], sources=[SourceDraft("amnesty-1996", "Section 3.3.2, para. 2", REAL_QUOTE)])
    values.update(changes)
    return Draft(**values)


def place(choice: PlaceChoice):
    return resolve_choice(choice, read_gazetteer())


def test_a_complete_draft_becomes_a_valid_record(rules):
    where = place(PlaceChoice(place=KHABAROVSK, precision="settlement"))
    built = build_record(arrest(), "ai96-test-arrest", where.place, where.errors, rules)
    assert built.ok and not built.warnings
    record = built.record
    assert (record.place.name, record.place.subject, record.place.precision) == ("Khabarovsk", "RU-KHA", "settlement")
    assert record.date.end == dt.date(1995, 3, 31) and record.sources[0].quote == REAL_QUOTE
    Gazetteer.load().resolve(record.place)          # the build resolves it


def test_a_quote_that_is_not_in_the_document_is_an_error_on_that_field(rules):
    where = place(PlaceChoice(place=KHABAROVSK, precision="settlement"))
    draft = arrest(sources=[SourceDraft("amnesty-1996", "p. 1", "The police beat him in Vladivostok in 2031.")])
    built = build_record(draft, "ai96-x", where.place, where.errors, rules)
    assert built.record is None
    assert list(built.errors) == ["sources.0.quote"]
    assert "not found verbatim" in built.errors["sources.0.quote"][0]


def test_the_quote_check_says_where_the_quote_is():
    found = check_quote(REAL_QUOTE, "amnesty-1996")
    assert found.found and found.start < found.end and "found verbatim in amnesty-1996" in found.message
    missing = check_quote(QUOTE, "amnesty-1996")
    assert not missing.found and "not found verbatim" in missing.message
    assert not check_quote("", "amnesty-1996").found
    assert "not registered" in check_quote(REAL_QUOTE, "no-such-doc").message


def test_every_missing_field_is_named(rules):
    built = build_record(Draft(sources=[SourceDraft("amnesty-1996")]), "x-1", None, ["choose a place"], rules)
    assert {"title", "type", "date_as_written", "date_precision", "date_start", "place", "sources.0.locator",
            "sources.0.quote"} <= set(built.errors)


def test_a_name_in_the_title_or_outcome_is_a_warning():
    draft = arrest(title="Kim Sun Ho arrested in Khabarovsk", outcome="kim sun ho was released", people_names=["Kim Sun Ho"])
    warnings = name_warnings(draft)
    assert set(warnings) == {"title", "outcome"} and "Kim Sun Ho" in warnings["title"][0]
    assert name_warnings(arrest(people_names=["Kim Sun Ho"])) == {}


def test_dates_follow_the_register_rules(rules):
    where = place(PlaceChoice(place=KHABAROVSK, precision="settlement"))
    ranged = build_record(arrest(date_precision="range"), "x-2", where.place, [], rules)
    assert "date_end" in ranged.errors
    backwards = build_record(arrest(date_precision="range", date_end=dt.date(1994, 1, 1)), "x-3", where.place, [], rules)
    assert "before the start" in backwards.errors["date_end"][0]
    before = build_record(arrest(date_start=None, date_end=dt.date(1995, 3, 31), date_qualifier="on_or_before"),
                          "x-4", where.place, [], rules)
    assert before.ok and before.record.date.start is None and before.record.date.qualifier == "on_or_before"


def test_a_second_reading_needs_its_document_among_the_sources(rules):
    where = place(PlaceChoice(place=KHABAROVSK, precision="settlement"))
    reading = ReadingDraft("memorial-2020", "in 1995", None, dt.date(1995, 12, 31))
    built = build_record(arrest(readings=[reading]), "x-5", where.place, [], rules)
    assert "readings.0" in built.errors


def test_court_decisions_need_their_court_fields(rules):
    where = place(PlaceChoice(place=KHABAROVSK, precision="settlement"))
    draft = arrest(type="court_decision", court_instance="", court_outcome=[])
    built = build_record(draft, "x-6", where.place, [], rules)
    assert {"court_instance", "court_outcome"} <= set(built.errors)
    draft = arrest(type="court_decision", court="court-khabarovsk-industrialny", court_instance="first_instance",
                   court_outcome=["forced_expulsion"], people_affected=5)
    built = build_record(draft, "x-7", where.place, [], rules)
    assert built.ok and built.record.place.site == "court-khabarovsk-industrialny"
    assert record_document(draft, "x-7", where.place)["court_decision"]["people"] == 5


def test_public_coarsening_must_be_coarser_and_corrections_need_a_reason(rules):
    where = place(PlaceChoice(place=KHABAROVSK, precision="settlement"))
    region = place(PlaceChoice(place=KHABAROVSK, precision="region"))
    assert "public_precision" in build_record(arrest(public_precision="settlement"), "x-8", region.place, [], rules).errors
    assert build_record(arrest(public_precision="region"), "x-9", where.place, [], rules).ok
    strict = Rules(**{**rules.__dict__, "reason_required": True})
    assert "reason" in build_record(arrest(), "x-10", where.place, [], strict).errors


def test_an_existing_record_round_trips_through_the_form(register, rules):
    for record in register.incidents:
        draft = draft_from_record(record)
        kept = record.place.model_dump(exclude_none=True, exclude={"as_written", "site"})
        where = place(PlaceChoice(kept=kept, precision=record.place.precision))
        built = build_record(draft, record.id, where.place, where.errors, rules)
        assert built.ok, (record.id, built.errors)
        assert built.record.model_dump() == record.model_dump(), record.id


def test_precision_is_never_finer_than_the_place():
    assert allowed_precisions(PlaceChoice(place=KHABAROVSK)) == ["settlement", "region", "country"]
    region = {**KHABAROVSK, "gazetteer_id": "RU-KHA", "name": "Khabarovsk Krai", "precision": "region", "kind": "region"}
    assert allowed_precisions(PlaceChoice(place=region)) == ["region", "country"]
    refused = place(PlaceChoice(place=region, precision="settlement"))
    assert refused.place is None and "finer than the place" in refused.errors[0]
    coarse = place(PlaceChoice(place=KHABAROVSK, precision="region"))
    assert coarse.place == {"name": "Khabarovsk Krai", "subject": "RU-KHA", "country": "RU", "precision": "region"}
    assert place(PlaceChoice(place=KHABAROVSK, precision="country")).place["precision"] == "country"


def test_a_geonames_place_brings_its_gazetteer_row(rules):
    zeya = next(p for p in search_places("Зея") if p.subject == "RU-AMU")
    assert not zeya.curated
    where = place(PlaceChoice(place={**zeya.as_dict(), "curated": zeya.curated}, precision="settlement"))
    assert not where.errors and len(where.new_entries) == 1
    entry = where.new_entries[0]
    assert (entry.id, entry.source, entry.subject, entry.lat) == ("zeya", zeya.source, "RU-AMU", zeya.lat)
    gazetteer = Gazetteer([*read_gazetteer(), entry], load_subjects())
    built = build_record(arrest(place_as_written="Zeya"), "x-11", where.place, [], rules)
    assert gazetteer.resolve(built.record.place).place_id == "zeya"
    curated = next(p for p in search_places("Tynda") if p.curated)
    assert place(PlaceChoice(place={**curated.as_dict(), "curated": True})).new_entries == []


def test_two_places_of_one_name_in_a_region_get_a_plain_alias():
    zeya = next(p for p in search_places("Зея") if p.subject == "RU-AMU").as_dict()
    first = place(PlaceChoice(place={**zeya, "curated": False}, precision="settlement"))
    gazetteer = [*read_gazetteer(), *first.new_entries]
    namesake = {**zeya, "gazetteer_id": "geonames:1", "source": "geonames:1", "lat": 53.0, "lon": 127.0}
    second = resolve_choice(PlaceChoice(place={**namesake, "curated": False}, precision="settlement"), gazetteer)
    assert second.place["name"] != first.place["name"] and second.new_entries[0].aliases == (second.place["name"],)
    resolved = Gazetteer([*gazetteer, *second.new_entries], load_subjects())
    from geo.evidence.schema import Place
    assert resolved.resolve(Place(as_written="Zeya", **second.place)).place_id == second.new_entries[0].id


def test_a_researched_point_needs_a_name_and_the_source_of_its_coordinate():
    click = PlaceChoice(point=(50.12345678, 127.5), point_name="", point_note="", point_subject="RU-AMU",
                        point_country="RU", precision="exact_site")
    refused = place(click)
    assert refused.place is None and any("where the point's coordinate comes from" in e for e in refused.errors)
    click.point_name, click.point_note = "Logging camp No. 3", "satellite image, Sentinel-2 2023-05-02"
    accepted = place(click)
    entry = accepted.new_entries[0]
    assert entry.source == "researched: satellite image, Sentinel-2 2023-05-02" and entry.lat == 50.12346
    assert accepted.place == {"name": "Logging camp No. 3", "subject": "RU-AMU", "country": "RU", "precision": "exact_site"}
    assert locate_point(48.48, 135.07).subject == "RU-KHA"


def test_the_gazetteer_search_reads_cyrillic_inflections_romanisations_and_prefixes():
    assert search_places("в Хабаровске")[0].name == "Khabarovsk"
    assert search_places("из Благовещенска")[0].id == "blagoveshchensk-amur"
    assert search_places("Habarovsk")[0].name == "Khabarovsk"
    assert search_places("Ussuriisk")[0].name == "Ussuriysk"
    assert "Khabarovsk" in [p.name for p in search_places("khabar")]
    assert search_places("Приморье")[0].id == "RU-PRI"
    assert search_places("x") == []


def test_new_ids_are_stable_readable_and_spell_no_name():
    assert document_prefix("memorial-2020", "2020", ["mem20-a", "mem20-b", "agr-2016-x"]) == "mem20"
    assert document_prefix("hrw-2024-logging", "2024-03-05", []) == "hrw24"
    assert date_part("1995-03-01", "1995-03-31", "month") == "1995-03"
    assert date_part("1993-01-01", "1995-12-31", "range") == "1993-1995"
    taken = {"ai96-arrest-detention-khabarovsk-1995-03"}
    assert mint_id("ai96", "arrest_detention", "Khabarovsk", "1995-03", taken, []) == \
        "ai96-arrest-detention-khabarovsk-1995-03-2"
    named = mint_id("ai96", "abduction", "Park Farm", "1989", set(), ["Mr Park"])
    assert named == "ai96-abduction-1989" and not spells_a_name(named, ["Mr Park"])
    assert spells_a_name("ai96-kim-arrest", ["Kim Sun Ho"]) and not spells_a_name("ai96-kimry-arrest", ["Kim Sun Ho"])


@pytest.mark.parametrize("location, field", [
    (("date", "start"), "date_start"), ("sources[1].quote", "sources.1.quote"), ("place.name", "place"),
    (("court_decision",), "court_outcome"), (("date", "readings", 0, "end"), "readings.0"), ("related", "related")])
def test_schema_and_build_problems_land_on_their_form_field(location, field):
    assert field_of(location) == field
