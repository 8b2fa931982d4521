"""Place names as they occur in running text resolve, in English and inflected Russian, and every
clash is explicit: the chosen place comes with its alternatives and the reason."""
import pytest

from geo.places.mentions import find_mentions, resolve_text
from geo.places.place_index import PlaceIndex


@pytest.fixture(scope="module")
def index():
    return PlaceIndex.load()


def resolved(text, index):
    return [(r.mention.as_written, r.place.name, r.place.subject or r.place.country) for r in resolve_text(text, index)]


@pytest.mark.parametrize("text, written, subject, name", [
    ("в Хабаровске", "Хабаровске", "RU-KHA", "Khabarovsk"),
    ("из Владивостока", "Владивостока", "RU-PRI", "Vladivostok"),
    ("под Благовещенском", "Благовещенском", "RU-AMU", "Blagoveshchensk"),
    ("на хабаровских стройках", "хабаровских", "RU-KHA", "Khabarovsk"),
    ("в посёлке Чегдомын Верхнебуреинского района", "Чегдомын", "RU-KHA", "Chegdomyn"),
    ("в Уссурийске", "Уссурийске", "RU-PRI", "Ussuriysk"),
    ("в Южно-Сахалинске", "Южно-Сахалинске", "RU-SAK", "Yuzhno-Sakhalinsk"),
    ("в Нижнем Новгороде", "Нижнем Новгороде", "RU-NIZ", "Nizhniy Novgorod"),
])
def test_inflected_russian_forms_resolve(index, text, written, subject, name):
    assert (written, name, subject) in resolved(text, index)


def test_district_court_adjective_is_not_a_town_and_the_city_after_g_is_found(index):
    found = resolved("Ленинский районный суд г. Владивостока вынес решение", index)
    assert found == [("Владивостока", "Vladivostok", "RU-PRI")]
    assert resolved("the Leninsky District Court of Tomsk", index)[-1][1:] == ("Tomsk", "RU-TOM")


@pytest.mark.parametrize("spelling", ["Khabarovsk", "Habarovsk", "Хабаровск"])
def test_transliteration_variants_of_khabarovsk(index, spelling):
    assert resolved(f"He lived in {spelling}.", index)[0][1:] == ("Khabarovsk", "RU-KHA")


@pytest.mark.parametrize("spelling", ["Ussuriisk", "Ussuriysk", "Ussurijsk"])
def test_transliteration_variants_of_ussuriysk(index, spelling):
    assert resolved(f"in {spelling}", index)[0][1:] == ("Ussuriysk", "RU-PRI")


@pytest.mark.parametrize("text", ["p. Slavyansk in Primorsky Krai", "g. Vladivostok", "пос. Чегдомын", "the town of Chegdomyn"])
def test_settlement_prefixes_are_cues_not_names(index, text):
    found = find_mentions(text, index)
    assert found and found[0].cue == "settlement"
    assert found[0].as_written in ("Slavyansk", "Vladivostok", "Чегдомын", "Chegdomyn")


@pytest.mark.parametrize("name", ["Amur Oblast", "Amur region", "Амурская область", "в Амурской области", "Приамурье"])
def test_amur_oblast_by_every_common_name(index, name):
    assert resolved(name, index)[0][1:] == ("Amur Oblast", "RU-AMU")


@pytest.mark.parametrize("name", ["Приморье", "в Приморье", "Primorye", "Primorsky Krai", "the Maritime Province",
                                  "Primorsky Territory", "Приморский край", "в Приморском крае"])
def test_primorsky_krai_by_every_common_name(index, name):
    assert resolved(name, index)[0][1:] == ("Primorsky Krai", "RU-PRI")


@pytest.mark.parametrize("name, country", [("Tumangang", "KP"), ("Rason", "KP"), ("Hunchun", "CN"), ("Pyongyang", "KP"),
                                           ("Пхеньян", "KP")])
def test_places_across_the_border(index, name, country):
    (result,) = resolve_text(f"to {name}", index)
    assert result.place.country == country and result.place.lat is not None
    assert result.place.source.startswith(("geonames:", "reference_points"))


@pytest.mark.parametrize("name, subjects", [
    ("Blagoveshchensk", {"RU-AMU", "RU-BA"}),
    ("Belogorsk", {"RU-AMU", "RU-KEM"}),
    ("Slavyansk", {"RU-PRI", "RU-KDA"}),
])
def test_clashes_without_a_subject_go_by_population_and_list_the_alternatives(index, name, subjects):
    (result,) = resolve_text(f"He was held in {name}.", index)
    assert {result.place.subject} | {p.subject for p, _ in result.alternatives} == subjects
    assert result.ambiguous and "ambiguous" in result.reason
    assert result.as_dict()["alternatives"][0]["gazetteer_id"]


def test_pokrovkas_are_all_listed(index):
    (result,) = resolve_text("in Pokrovka", index)
    assert len({result.place.subject} | {p.subject for p, _ in result.alternatives}) >= 3


@pytest.mark.parametrize("text, name, subject", [
    ("He worked in Bashkortostan for years. Then he was held in Blagoveshchensk.", "Blagoveshchensk", "RU-BA"),
    ("Blagoveshchensk, Amur Oblast", "Blagoveshchensk", "RU-AMU"),
    ("a mine in Kemerovo Oblast. The men were taken to Belogorsk.", "Belogorsk", "RU-KEM"),
    ("Khasansky District Court of the Primorsky Territory (p. Slavyansk)", "Slavyanka", "RU-PRI"),
    ("In Krasnodar Krai, in Slavyansk", "Slavyansk-na-Kubani", "RU-KDA"),
])
def test_document_context_decides_a_clash(index, text, name, subject):
    chosen = [r for r in resolve_text(text, index) if r.place.name == name]
    assert chosen and chosen[-1].place.subject == subject
    assert chosen[-1].alternatives and "nearby" in chosen[-1].reason


def test_curated_gazetteer_overrides_geonames(index):
    (result,) = resolve_text("at Vladivostok airport", index)
    assert result.place.id == "vladivostok-airport" and result.place.precision == "exact_site"


def test_words_that_are_not_place_names_are_not_found(index):
    assert resolved("the police searched the house and the workers were beaten", index) == []
