"""Public release: whole names in every form withheld; a coarsened record reveals its finer place in
no field, id, site, title or file of any format; sites follow their records."""
import html
import json
import re
import sqlite3
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from geo.outputs.export import FORMATS, export, file_name, make_view
from geo.outputs.redaction import PUBLIC, WITHHELD, Redactor, register_names, release_bundle
from geo.view.dataset import load_bundle
from geo.view.filters import IncidentFilter

ALL = IncidentFilter()
# What each coarsened record of the register must not say in public, read from the records by hand:
# the place it was coarsened from, its site and the words that name them.
FINER = {
    "mem20-case1-escape": ["Yekaterinburg"],
    "mem20-case1-escape-vladivostok": ["Vladivostok"],
    "mem20-case1-pursuit": ["Vladivostok"],
    "mem20-case2-abduction": ["Blagoveshchensk", "Continent"],
    "mem20-case2-beating": ["Blagoveshchensk", "Blagoveshchenie", "Annunciation"],
    "mem20-case6-arrest": ["Blagoveshchensk"],
    "mem20-court-01-slavyanka": ["Slavyanka", "Slavyansk", "Khasansky"],
    "mem20-court-14-oktyabrsky": ["Oktyabrsky"],
}
# Places only coarsened records name: withheld in every public file, whole.
NOWHERE = ["Slavyanka", "Slavyansk ", "Slavyansk)", "Khasansky", "Yekaterinburg", "Blagoveshchensk", "Oktyabrsky",
           "Continent cafe", "Annunciation", "slavyanka", "oktyabrsky", "blagoveshchensk"]


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def public(bundle):
    return release_bundle(bundle, PUBLIC)


@pytest.fixture(scope="module")
def names(bundle):
    return register_names(bundle.incidents, *bundle.sites.values())


# -- names in every form --------------------------------------------------------------------

@pytest.mark.parametrize("text, shown", [
    ("Tsoi Myung Bok was detained.", "[name withheld] was detained."),
    ("the Zaidulins sheltered him near the Zaidulin's home", "the [name withheld] sheltered him near the [name withheld]'s home"),
    ("Kim's wife and the Kims' car", "[name withheld]'s wife and the [name withheld]' car"),
    ("When Tsoi began working", "When [name withheld] began working"),
    ("Tsoy, Tsoj and Choi", "[name withheld], [name withheld] and [name withheld]"),
    ("Zaydulin and Valeriy met Ludmila", "[name withheld] and [name withheld] met [name withheld]"),
    ("Li and Rhee; Mr. Pak", "[name withheld] and [name withheld]; [name withheld]"),
    ("Young-Chul Jong said", "[name withheld] said"),
    ("суд над Цоем; у Заидулиных; с Валерием и Людмилой; Ли сказал, ли он", "суд над [name withheld]; у [name withheld]; "
     "с [name withheld] и [name withheld]; [name withheld] сказал, ли он"),
])
def test_a_listed_name_is_withheld_whole_in_every_form(text, shown):
    redactor = Redactor(["Tsoi", "Zaidulin", "Kim", "Lee", "Valery", "Jong", "Lyudmila", "Mr Park"])
    assert redactor.text(text) == shown


@pytest.mark.parametrize("text", [
    "Kim Jong Un met Kim Il Sung; Kim Jong-il and Ким Чен Ын", "S. Gannushkina, K. Troitsky, Moonyoung Lee (compiled)",
    "Lee Myung-bak and Park Geun-hye", "You said yes. RU-BA and ru_government", "Pak Myung Guk, a DPRK official"])
def test_heads_of_state_authors_and_words_are_left_alone(text):
    assert Redactor(["Kim", "Lee", "Ryu", "Yu", "Mr Park"]).text(text) == text


def test_no_record_text_keeps_part_of_a_listed_name(public, names):
    """Every text a public record carries: no listed name, and no part of one beside a marker."""
    parts = {p for n in names if " " in n or "-" in n for p in re.split(r"[ -]", n) if len(p) > 1 and p != "Mr"}
    beside = re.compile(r"\[name withheld\][ -](?:" + "|".join(map(re.escape, parts)) + r")\b"
                        r"|\b(?:" + "|".join(map(re.escape, parts)) + r")[ -]\[name withheld\]")
    from geo.outputs.redaction import PUBLIC_FIGURES
    for frame in (public.incidents, *public.sites.values()):
        for _, row in frame.iterrows():
            text = json.dumps({k: v for k, v in row.items() if k != "geometry"}, default=str, ensure_ascii=False)
            for figure in PUBLIC_FIGURES:
                text = re.sub(re.escape(figure), " ", text, flags=re.I)
            for name in names:
                assert not re.search(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])", text), (row["id"], name)
            assert not beside.search(text), (row["id"], beside.search(text).group())


# -- coarsened records ------------------------------------------------------------------------

def _public_row(public, record_id):
    return public.incidents.loc[public.public_ids.get(record_id, record_id)]


@pytest.mark.parametrize("record_id", sorted(FINER))
def test_a_coarsened_record_reveals_its_finer_place_in_no_field(bundle, public, record_id):
    original = bundle.incidents.loc[record_id]
    row = _public_row(public, record_id)
    text = json.dumps({k: v for k, v in row.items() if k != "geometry"}, default=str, ensure_ascii=False)
    for word in FINER[record_id]:
        assert word.casefold() not in text.casefold(), f"{record_id} still says {word!r}"
    assert "[place withheld: " + row["subject_name"] + "]" in text
    assert row["location_precision"] in ("region", "country")
    assert pd.isna(row["site"]) or not any(w.casefold() in str(row["site"]).casefold() for w in FINER[record_id])
    if original["location_precision"] not in ("region", "country"):
        assert row["place_as_written"] == f"[place withheld: {row['subject_name']}]"
        assert row["coordinate_source"] == "coarsened for public release"


def test_ids_that_spell_a_withheld_place_are_renamed_and_links_follow(public):
    assert public.public_ids == {
        "mem20-case1-escape-vladivostok": "mem20-case1-escape-primorsky-krai",
        "mem20-court-01-slavyanka": "mem20-court-01-primorsky-krai",
        "mem20-court-14-oktyabrsky": "mem20-court-14-primorsky-krai",
        "site-blagoveshchensk-cafe-reconstruction": "site-amur-oblast-cafe-reconstruction"}
    ids = set(public.incidents["id"])
    assert not ids & set(public.public_ids)
    for related in public.incidents["related"]:
        assert set(related) <= ids
    assert public.titles.keys() == ids
    # A link between a coarsened record and one whose id or title names its place is dropped both
    # ways (the popup would show that title); the case id still groups them.
    held = public.incidents.loc["mem20-case1-held-vladivostok"]
    escape = public.incidents.loc["mem20-case1-escape-primorsky-krai"]
    assert "mem20-case1-escape-primorsky-krai" not in held["related"]
    assert not [r for r in escape["related"] if "vladivostok" in r or "Vladivostok" in public.titles[r]]
    assert held["case"] == escape["case"] == "mem20-case-1"


def test_sites_that_would_reveal_a_coarsened_place_are_withheld_or_unlinked(bundle, public):
    kept = {i for frame in public.sites.values() for i in frame["id"]}
    # Known only through coarsened records: withheld.
    assert not kept & {"court-slavyanka-khasansky", "court-oktyabrsky-primorsky",
                       "site-blagoveshchensk-cafe-reconstruction", "site-amur-oblast-cafe-reconstruction"}
    # Kept, with other records: no longer lists the coarsened one.
    building = public.sites["detention"].loc["detention-vladivostok-company-building"]
    assert "mem20-case1-held-vladivostok" in building["incidents"]
    assert not {"mem20-case1-escape-vladivostok", "mem20-case1-escape-primorsky-krai"} & set(building["incidents"])
    for court_id in ("mem20-court-01-slavyanka", "mem20-court-14-oktyabrsky"):
        row = _public_row(public, court_id)
        assert pd.isna(row["court"]) and pd.isna(row["site"])
        assert row["court_name"] == "[place withheld: Primorsky Krai]"
    # The full release keeps them all.
    assert "court-slavyanka-khasansky" in set(bundle.sites["courts"]["id"])


def test_a_filtered_export_carries_only_the_sites_its_records_refer_to(bundle):
    courts = make_view(bundle, IncidentFilter(types=("court_decision",)), "full")
    referenced = {v for c in ("site", "court") for v in courts.incidents[c] if isinstance(v, str)}
    carried = {i for frame in courts.sites.values() for i in frame["id"]}
    assert carried == referenced and carried and all(i.startswith("court-") for i in carried)
    assert not any(len(f) for name, f in courts.sites.items() if name != "courts")
    everything = make_view(bundle, ALL, "full")
    assert sum(map(len, everything.sites.values())) == sum(map(len, bundle.sites.values()))  # context sites too


def test_the_title_of_a_public_export_is_redacted(bundle):
    view = make_view(bundle, ALL, title="Tsoi Myung Bok and the court in Slavyanka")
    assert view.title == "[name withheld] and the court in [place withheld: Primorsky Krai]"
    assert make_view(bundle, ALL, "full", title="Tsoi Myung Bok").title == "Tsoi Myung Bok"


def test_a_public_briefing_withholds_coarsened_places_and_highlights_public_ids(bundle, public):
    from geo.outputs.briefings import load_briefings
    loaded = {b.id: b for b in load_briefings(public)}
    court = loaded["court-expulsions-2018-2019"]
    text = " ".join([court.title, court.summary, *(s.heading + " " + s.text for s in court.steps)])
    for word in ("Slavyanka", "Slavyansk", "Khasansky", "Oktyabrsky"):
        assert word not in text
    assert "Khasansky" in " ".join(s.text for s in {b.id: b for b in load_briefings(bundle)}[court.id].steps)
    highlights = {i for s in court.steps for i in s.highlight}
    assert "mem20-court-01-primorsky-krai" in highlights and "mem20-court-01-slavyanka" not in highlights
    chain = loaded["memorial-2020-case-1"]
    assert "Yekaterinburg" not in " ".join(s.text for s in chain.steps) + chain.summary


# -- every public file -----------------------------------------------------------------------

def _texts(path, fmt) -> str:
    """The text a reader or a tool gets out of one file (whole, decoded)."""
    if fmt == "gpkg":
        import pyogrio
        frame = pyogrio.read_dataframe(path)
        info = pyogrio.read_info(path)
        return " ".join([json.dumps(info["layer_metadata"]), *map(str, frame.drop(columns="geometry").to_numpy().ravel())])
    if fmt == "png":
        from PIL import Image
        with Image.open(path) as image:
            return json.dumps(image.info, default=str)
    if fmt == "pdf":
        from pypdf import PdfReader
        return " ".join(page.extract_text() for page in PdfReader(path).pages)
    raw = path.read_text(encoding="utf-8-sig")
    raw = re.sub(r"data:[a-z/+-]+;base64,[A-Za-z0-9+/=]+", " ", raw)      # embedded images and fonts
    if fmt == "html":
        raw = html.unescape(raw.replace("\\u003c", "<").replace("\\u0026", "&"))
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", raw, flags=re.S)
        raw = re.sub(r"<script[^>]*>.*?</script>", " ", raw, flags=re.S) + " ".join(
            s for s in scripts if "geo_json_" in s or "export-title" in s)
        raw = re.sub(r"<style>.*?</style>", " ", raw, flags=re.S)
        raw = re.sub(r"</?[A-Za-z][A-Za-z0-9]*", " ", raw)
    return raw


@pytest.fixture(scope="module")
def public_files(bundle, tmp_path_factory):
    from geo.outputs.briefing_export import export_briefing
    from geo.outputs.briefings import load_briefings
    folder = tmp_path_factory.mktemp("public")
    view = make_view(bundle, ALL)
    files = {fmt: export(view, fmt, folder / file_name(view, fmt)) for fmt in FORMATS}
    for briefing in load_briefings(bundle):
        for fmt in ("html", "pdf"):
            files[f"deck-{briefing.id}-{fmt}"] = export_briefing(bundle, briefing, fmt,
                                                                 folder / f"{briefing.id}-public.{fmt}")
    return files


def _fmt(key: str) -> str:
    return key.rsplit("-", 1)[-1]


def test_every_public_file_and_file_name_names_no_one(public_files, names):
    from geo.outputs.redaction import PUBLIC_FIGURES
    assert set(FORMATS) <= set(public_files)
    for key, path in public_files.items():
        text = _texts(path, _fmt(key)) + " " + path.name
        for figure in PUBLIC_FIGURES:
            text = re.sub(re.escape(figure), " ", text, flags=re.I)
        hits = [n for n in names if re.search(r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", text)]
        assert not hits, f"names in the public {key}: {hits}"


def test_every_public_file_withholds_the_places_only_coarsened_records_name(public_files):
    for key, path in public_files.items():
        text = _texts(path, _fmt(key)) + " " + path.name
        hits = [w for w in NOWHERE if w in text]
        assert not hits, f"{key} names {hits}"


def _per_record(path, fmt) -> dict[str, str]:
    """Each record's own text in one file: a CSV or GeoPackage row, a GeoJSON feature, a KML
    placemark, an HTML popup."""
    if fmt == "csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
        return {r["id"]: " ".join(str(v) for v in r.values) for _, r in frame.iterrows()}
    if fmt == "gpkg":
        rows = sqlite3.connect(path).execute("select * from incidents").fetchall()
        columns = [c[1] for c in sqlite3.connect(path).execute("pragma table_info(incidents)")]
        at = columns.index("id")
        return {r[at]: " ".join(str(v) for v in r if not isinstance(v, bytes)) for r in rows}
    if fmt == "geojson":
        return {f["id"]: json.dumps(f["properties"], ensure_ascii=False)
                for f in json.loads(path.read_text(encoding="utf-8"))["features"]}
    if fmt == "kml":
        ns = "{http://www.opengis.net/kml/2.2}"
        return {p.get("id"): " ".join(p.itertext()) for p in ET.parse(path).getroot().iter(ns + "Placemark")}
    if fmt == "html":
        document, out = path.read_text(encoding="utf-8"), {}
        for m in re.finditer(r"geo_json_[a-z0-9]+_add\(", document):
            collection, _ = json.JSONDecoder().raw_decode(document[m.end():])
            for feature in collection.get("features", []):
                if "popup_html" in feature["properties"]:
                    out[feature["properties"]["id"]] = html.unescape(
                        feature["properties"]["popup_html"] + feature["properties"]["tooltip_html"])
        return out
    raise ValueError(fmt)


@pytest.mark.parametrize("fmt", ["csv", "gpkg", "geojson", "kml", "html"])
def test_in_every_format_a_coarsened_record_keeps_its_finer_place_to_itself(public, public_files, fmt):
    records = _per_record(public_files[fmt], fmt)
    for record_id, words in FINER.items():
        public_id = public.public_ids.get(record_id, record_id)
        if fmt == "html" and public.incidents.loc[public_id].geometry is None:
            continue
        text = records[public_id]
        assert not [w for w in words if w.casefold() in text.casefold()], (fmt, record_id)
        assert "[place withheld:" in text
