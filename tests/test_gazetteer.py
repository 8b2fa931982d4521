"""The geocoder resolves a place within the federal subject the source names, never guesses."""
import csv

import pytest

from geo.places.boundaries import load_subjects
from geo.errors import AmbiguousPlace, GazetteerMiss
from geo.places.gazetteer import Gazetteer, GazetteerEntry, geonames_candidates, read_gazetteer
from geo.paths import GEODATA_DIR
from geo.evidence.schema import Place

needs_geodata = pytest.mark.skipif(not (GEODATA_DIR / "ru_places.csv").exists(),
                                   reason=f"GeoNames extract not found at {GEODATA_DIR}")


def place(name, subject=None, precision="settlement", country="RU"):
    return Place(as_written=name, name=name, subject=subject, precision=precision, country=country)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


def _entry_from_geonames(row) -> GazetteerEntry:
    aliases = tuple(row["alternate_names"].split("|"))
    return GazetteerEntry(f"gn{row['geonameid']}", row["name"], row["name_ru"], aliases, "settlement",
                          row["admin1_iso"], "RU", float(row["lat"]), float(row["lon"]), "settlement",
                          f"geonames:{row['geonameid']}", "")


@pytest.fixture(scope="module")
def clashing():
    """Every GeoNames place called Blagoveshchensk, Belogorsk or Pokrovka: the clashes are real."""
    rows = [r for name in ("Blagoveshchensk", "Belogorsk", "Pokrovka") for r in geonames_candidates(name)]
    return Gazetteer([_entry_from_geonames(r) for r in rows], load_subjects())


@needs_geodata
@pytest.mark.parametrize("name, subject, lat", [
    ("Blagoveshchensk", "RU-AMU", 50.27961),
    ("Blagoveshchensk", "RU-BA", 55.035),
    ("Belogorsk", "RU-AMU", 50.91644),
    ("Belogorsk", "RU-KEM", 55.01778),
])
def test_name_clashes_resolve_within_the_subject(clashing, name, subject, lat):
    resolution = clashing.resolve(place(name, subject))
    assert resolution.subject == subject and resolution.lat == lat


@needs_geodata
def test_a_clashing_name_without_subject_is_not_guessed(clashing):
    assert len(clashing.lookup("Blagoveshchensk", "RU", None)) == 2


@needs_geodata
def test_several_pokrovkas_resolve_within_their_subject(clashing):
    # GeoNames has Pokrovka as a name or former name in Primorsky Krai, Sakha and the Jewish AO.
    assert len({e.subject for e in clashing.lookup("Pokrovka", "RU", None)}) >= 3
    assert clashing.resolve(place("Pokrovka", "RU-PRI")).lat == 43.95331


def test_p_slavyansk_is_the_seat_of_the_khasansky_court_not_slavyansk_na_kubani(gazetteer):
    resolution = gazetteer.resolve(place("p. Slavyansk", "RU-PRI"))
    assert resolution.place_id == "slavyanka" and resolution.subject == "RU-PRI"
    with pytest.raises(GazetteerMiss, match="RU-KDA"):
        gazetteer.resolve(place("p. Slavyansk", "RU-KDA"))


@pytest.mark.parametrize("name", ["Soviet District Court of Kazan", "Sovetsky District Court of Kazan",
                                  "Sovetskiy District Court of Kazan", "Kazan", "Казань"])
def test_spellings_the_sources_use_resolve_to_kazan(gazetteer, name):
    assert gazetteer.resolve(place(name, "RU-TA")).place_id == "kazan"


def test_place_in_wrong_subject_names_where_it_is(gazetteer):
    with pytest.raises(GazetteerMiss, match=r"unknown place 'Khabarovsk' in RU-AMU \(the gazetteer has it in RU-KHA\)"):
        gazetteer.resolve(place("Khabarovsk", "RU-AMU"))


@needs_geodata
def test_ignashino_is_not_in_geonames_and_resolves_at_district_precision(gazetteer):
    assert not geonames_candidates("Ignashino")
    resolution = gazetteer.resolve(place("Ignashino", "RU-AMU", precision="district"))
    assert resolution.precision == "district" and resolution.place_id == "skovorodinsky-district"
    with pytest.raises(GazetteerMiss, match="is a district"):
        gazetteer.resolve(place("Ignashino", "RU-AMU", precision="settlement"))


def test_region_resolves_to_a_point_inside_its_outline(gazetteer):
    resolution = gazetteer.resolve(place("Amur Oblast", "RU-AMU", precision="region"))
    assert resolution.precision == "region" and resolution.place_id == "RU-AMU"
    with pytest.raises(GazetteerMiss, match="does not name RU-AMU"):
        gazetteer.resolve(place("Primorsky Krai", "RU-AMU", precision="region"))


def test_country_precision_draws_no_point(gazetteer):
    resolution = gazetteer.resolve(place("Russia", precision="country"))
    assert resolution.lon is None and resolution.precision == "country"


def test_ambiguous_name_in_one_subject_is_an_error():
    twins = [GazetteerEntry(i, "Pokrovka", "", (), "settlement", "RU-PRI", "RU", 43.9, 131.6 + n, "settlement", "", "")
             for n, i in enumerate(["pokrovka-a", "pokrovka-b"])]
    with pytest.raises(AmbiguousPlace, match="pokrovka-a, pokrovka-b"):
        Gazetteer(twins, load_subjects()).resolve(place("Pokrovka", "RU-PRI"))


@needs_geodata
def test_geonames_rows_match_geonames():
    with (GEODATA_DIR / "ru_places.csv").open(encoding="utf-8", newline="") as handle:
        geonames = {r["geonameid"]: r for r in csv.DictReader(handle)}
    with (GEODATA_DIR / "cross_border.csv").open(encoding="utf-8", newline="") as handle:   # KP, CN ... rows
        geonames.update({r["source"].split(":")[1]: {**r, "admin1_iso": ""} for r in csv.DictReader(handle)
                         if r["source"].startswith("geonames:")})
    checked = 0
    for entry in read_gazetteer():
        if entry.source.startswith("geonames:"):
            row = geonames[entry.source.split(":")[1]]
            assert (entry.lat, entry.lon) == (float(row["lat"]), float(row["lon"])), entry.id
            assert (entry.subject or "") == row["admin1_iso"], entry.id
            checked += 1
    assert checked >= 20


def test_gazetteer_rows_are_sound(gazetteer):
    assert gazetteer.entry_problems() == []
