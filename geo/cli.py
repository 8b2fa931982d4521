"""Command line: `python -m geo <command>`. A thin shell over the library.

  build                  check the register and write the GeoJSON layers in data/
  check-quotes FILE...   check only the quotes of some register files (while curating)
  gazetteer-candidates   show GeoNames rows for a name, to add a place to data/gazetteer.csv
  add-source FILE        register a document (PDF, saved HTML, UTF-8 text) in data/sources/
  propose FILE|ID        candidate records from a document, for review (--json for machines)
  boundaries             re-derive data/boundaries/ from the inputs in data/geodata/
  basemap                write the light outlines the app serves (static/basemap/, done by setup)
  export FORMAT --out F  the filtered view as html, png, svg, pdf, geojson, csv, gpkg or kml (public by default)
  briefing ID --out F    a guided briefing as an HTML deck or PDF, one page per step
  synth --n N --out DIR  a synthetic dataset of N incidents for scale tests (INCIDENT_DATA_DIR=DIR)
  store import|export|status|local   the team store (PostGIS, INCIDENT_STORE=postgresql://...)
  users add|list|remove|set-role|set-password   users of the team store and their roles
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import GeoError


def _build(args: argparse.Namespace) -> int:
    from geo.build.layers import build
    result = build()
    counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
    print(f"built {counts} in {result.seconds:.2f} s")
    return 0


def _check_quotes(args: argparse.Namespace) -> int:
    from geo.build.layers import check_quotes_in_files
    problems = check_quotes_in_files([Path(f) for f in args.files])
    for problem in problems:
        print(problem)
    print(f"{len(problems)} quote problem(s)")
    return 1 if problems else 0


def _gazetteer_candidates(args: argparse.Namespace) -> int:
    from geo.places.gazetteer import geonames_candidates
    rows = geonames_candidates(args.name)
    for r in rows:
        print(f"geonames:{r['geonameid']}  {r['name']} / {r['name_ru']}  {r['admin1_iso']} {r['admin1_name']}  "
              f"lat {r['lat']} lon {r['lon']}  {r['feature_code']} pop {r['population']}")
    print(f"{len(rows)} GeoNames row(s) for {args.name!r}")
    return 0 if rows else 1


def _add_source(args: argparse.Namespace) -> int:
    from geo.ingest.add_source import add_source
    doc = add_source(Path(args.file), args.id, args.title, args.published, args.lang, short_title=args.short_title or "",
                     author=args.author or "", publisher=args.publisher or "", obtained_from=args.obtained_from or "",
                     licence=args.licence or "")
    pages = f", {len(doc.pages)} pages" if doc.pages else ""
    print(f"registered {doc.id}: data/sources/{doc.text_file} ({doc.format}, language {doc.language}{pages}); "
          f"sha256 original {doc.original_sha256[:12]}…, text {doc.text_sha256[:12]}…")
    return 0


def _propose(args: argparse.Namespace) -> int:
    import datetime as dt
    import json
    from geo.evidence import sources
    from geo.ingest.propose import propose_document, propose_file
    published = None
    if args.published:
        from geo.ingest.add_source import check_published
        parts = [int(p) for p in check_published(args.published).split("-")]
        published = dt.date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)
    path = Path(args.file)
    registered = sources.catalogue()
    if not path.exists() and args.file in registered:
        proposal = propose_document(args.file)
    elif not path.exists():
        raise GeoError(f"{args.file}: no such file, and no registered document has this id "
                       f"(registered: {', '.join(registered)})")
    else:
        doc = registered.get(args.doc) if args.doc else None
        if doc and published is None:
            published = dt.date.fromisoformat((doc.published + "-12-28")[:10]) if len(doc.published) < 10 else dt.date.fromisoformat(doc.published)
        proposal = propose_file(path, published, args.doc, args.lang)
    if args.json:
        print(json.dumps(proposal.as_dict(), ensure_ascii=False, indent=1))
        return 0
    for c in proposal.candidates:
        when = c.date["as_written"] + (" (inferred)" if c.date.get("inferred") else "") if c.date else "no date"
        where = ", ".join(f"{p['name']} [{p['precision']}{', from context' if p.get('from_context') else ''}"
                          f"{', ambiguous' if p['alternatives'] else ''}]" for p in c.places[:3]) or "no place"
        print(f"{c.locator}\n  {c.title} · {c.type} ({', '.join(c.type_evidence)}) · {when} · {where}"
              + (f" · people: {c.people_affected if c.people_affected is not None else c.people_phrase}" if c.people_phrase else "")
              + (f" · names: {len(c.people_names)} (sensitive)" if c.people_names else "")
              + f"\n  “{' '.join(c.quote.split())[:240]}”")
    print(f"{len(proposal.candidates)} candidate record(s) from {proposal.document['id']} in {proposal.seconds:.2f} s; "
          "nothing was written — review them before anything enters the register")
    return 0


def _boundaries(args: argparse.Namespace) -> int:
    from geo.places.boundaries import derive
    derive()
    print("wrote data/boundaries/russia_subjects.geojson, countries.geojson and land.geojson")
    return 0


def _basemap(args: argparse.Namespace) -> int:
    from geo.view.dataset import write_basemap_files
    from geo.paths import ROOT
    for path in write_basemap_files(ROOT):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


def _add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The app's URL parameters, as options: the same names, the same values."""
    group = parser.add_argument_group("filters (as in the app's URL; comma-separated lists)")
    group.add_argument("--from", dest="from_", metavar="YEAR", help="YEAR, or YYYY-MM for a month")
    group.add_argument("--to", metavar="YEAR", help="YEAR, or YYYY-MM for a month")
    group.add_argument("--month", action="store_true", help="only records dated at least to the month")
    for name in ("type", "actor", "subject", "doc"):
        group.add_argument(f"--{name}", metavar="A,B")
    group.add_argument("--near", metavar="SITE", help="only incidents within --km of this site (its id)")
    group.add_argument("--km", metavar="N", help="the distance for --near (default 50)")
    parser.add_argument("--mode", choices=("public", "full"), default="public",
                        help="public (default): names withheld, sensitive places coarsened; "
                             "full: for trusted partners only")
    parser.add_argument("--title", help="title shown on the map")
    _add_language_option(parser)


def _add_language_option(parser: argparse.ArgumentParser) -> None:
    from geo.language import LANGUAGES
    parser.add_argument("--lang", choices=tuple(LANGUAGES), default="en",
                        help="language of the labels, legend, captions and dates (default en); quotes, titles "
                             "and places as written stay as the documents have them")


def _filter_from(args: argparse.Namespace, bundle):
    from geo.view.filters import FilterError, IncidentFilter
    params = {"from": args.from_, "to": args.to, "month": "1" if args.month else None,
              "type": args.type, "actor": args.actor, "subject": args.subject, "doc": args.doc,
              "near": args.near, "km": args.km}
    try:
        return IncidentFilter.from_params({k: v for k, v in params.items() if v is not None},
                                          bundle.subject_names, bundle.doc_titles, strict=True,
                                          known_sites=bundle.site_places)
    except FilterError as exc:
        raise GeoError(str(exc)) from None


def _export(args: argparse.Namespace) -> int:
    from geo.view.dataset import load_bundle
    from geo.outputs.export import export, make_view
    from geo.language import using
    bundle = load_bundle()
    with using(args.lang):
        view = make_view(bundle, _filter_from(args, bundle), args.mode, args.title, routes=args.routes)
        path = export(view, args.format, Path(args.out))
    print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB, {len(view.incidents)} incidents, "
          f"{_release_note(path, view.mode)})")
    return 0


def _release_note(path: Path, mode: str) -> str:
    if mode == "full":
        return (f"FULL release with names: the file is readable only by you (mode {path.stat().st_mode & 0o777:o}); "
                "share it with trusted partners only")
    return "public release"


def _briefing(args: argparse.Namespace) -> int:
    from geo.outputs.briefing_export import export_briefing
    from geo.outputs.briefings import load_briefings
    from geo.view.dataset import load_bundle
    bundle = load_bundle()
    briefings = {b.id: b for b in load_briefings(bundle)}
    if args.id not in briefings:
        raise GeoError(f"no briefing {args.id!r}; known: {', '.join(sorted(briefings))}")
    from geo.language import using
    with using(args.lang):
        path = export_briefing(bundle, briefings[args.id], args.format, Path(args.out), args.mode)
    print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB, {len(briefings[args.id].steps)} steps, "
          f"{_release_note(path, args.mode)})")
    return 0


def _synth(args: argparse.Namespace) -> int:
    import time
    from geo.view.dataset import load_layer
    from geo.build.synth import synthesize, write_dataset
    if args.n < 1:
        raise GeoError("--n must be at least 1")
    started = time.perf_counter()
    frame = synthesize(args.n, args.seed, load_layer("incidents"))
    generated = time.perf_counter()
    written = write_dataset(frame, Path(args.out), None)
    finished = time.perf_counter()
    levels = frame["location_precision"].value_counts()
    print(f"synthesized {len(frame)} incidents (seed {args.seed}) in {generated - started:.2f} s: "
          + ", ".join(f"{level} {levels.get(level, 0)}" for level in ("settlement", "district", "region", "country")))
    size = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} files to {args.out} ({size / 1e6:.1f} MB) in {finished - generated:.2f} s; "
          f"view with INCIDENT_DATA_DIR={args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="check the register and write the layers").set_defaults(run=_build)
    check = commands.add_parser("check-quotes", help="check the quotes of register files")
    check.add_argument("files", nargs="+")
    check.set_defaults(run=_check_quotes)
    candidates = commands.add_parser("gazetteer-candidates", help="GeoNames rows for a place name")
    candidates.add_argument("name")
    candidates.set_defaults(run=_gazetteer_candidates)
    commands.add_parser("boundaries", help="re-derive the shipped outlines").set_defaults(run=_boundaries)
    adding = commands.add_parser("add-source", help="register a source document (PDF, saved HTML, UTF-8 text)")
    adding.add_argument("file")
    adding.add_argument("--id", required=True, help="citation id: lowercase a-z, 0-9, '-'")
    adding.add_argument("--title", required=True, help="the document's full title")
    adding.add_argument("--published", required=True, help="YYYY-MM-DD (or YYYY-MM, YYYY)")
    adding.add_argument("--lang", choices=("en", "ru", "ko"), help="language (default: by the script of the text)")
    adding.add_argument("--short-title", help="short name for legends and captions")
    adding.add_argument("--author")
    adding.add_argument("--publisher")
    adding.add_argument("--obtained-from", help="URL or 'provided by ...'")
    adding.add_argument("--licence", help="licence or copyright notice")
    adding.set_defaults(run=_add_source)
    proposing = commands.add_parser("propose", help="candidate records from a document, for review")
    proposing.add_argument("file", help="a registered document id, or a text/PDF/HTML file")
    proposing.add_argument("--published", help="YYYY-MM-DD: anchors relative and year-less dates")
    proposing.add_argument("--doc", help="document id to use in the output (a registered one gives its date)")
    proposing.add_argument("--lang", choices=("en", "ru", "ko"))
    proposing.add_argument("--json", action="store_true", help="one JSON object: document and candidates")
    proposing.set_defaults(run=_propose)
    from geo.outputs.export import EXPORT_FORMATS
    exporter = commands.add_parser("export", help="write the filtered view as " + ", ".join(EXPORT_FORMATS),
                                   description="formats: " + "; ".join(f"{f.name}: {f.label}" for f in
                                                                       EXPORT_FORMATS.values()))
    exporter.add_argument("format", choices=tuple(EXPORT_FORMATS))
    exporter.add_argument("--out", required=True, help="output file")
    exporter.add_argument("--routes", action="store_true",
                          help="draw case routes (html, png, svg, pdf): each case's records joined in date order")
    _add_filter_options(exporter)
    exporter.set_defaults(run=_export)
    deck = commands.add_parser("briefing", help="export a guided briefing as an HTML deck or PDF")
    deck.add_argument("id", help="briefing id (data/briefings/*.yaml)")
    deck.add_argument("--format", choices=("html", "pdf"), default="html")
    deck.add_argument("--out", required=True)
    deck.add_argument("--mode", choices=("public", "full"), default="public")
    _add_language_option(deck)
    deck.set_defaults(run=_briefing)
    commands.add_parser("basemap", help="write the app's light basemap files to static/basemap/").set_defaults(
        run=_basemap)
    synth = commands.add_parser("synth", help="write a synthetic dataset of N incidents for scale tests")
    synth.add_argument("--n", type=int, required=True, help="number of incidents")
    synth.add_argument("--seed", type=int, default=1, help="same n and seed, same files (default 1)")
    synth.add_argument("--out", required=True, help="output folder (point INCIDENT_DATA_DIR at it)")
    synth.set_defaults(run=_synth)
    from geo.store.commands import add_commands
    add_commands(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
