"""Command line: `python -m geo <command>`. A thin shell over the library.

  build                  check the register and write the GeoJSON layers in data/
  check-quotes FILE...   check only the quotes of some register files (while curating)
  gazetteer-candidates   show GeoNames rows for a name, to add a place to data/gazetteer.csv
  boundaries             re-derive data/boundaries/ from ../shared/geodata
  basemap                write the light outlines the app serves (static/basemap/, done by setup)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import GeoError


def _build(args: argparse.Namespace) -> int:
    from geo.build import build
    result = build()
    counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
    print(f"built {counts} in {result.seconds:.2f} s")
    if not result.quotes_checked:
        print("warning: ../shared/seeds not found, quotes were not checked against the documents")
    return 0


def _check_quotes(args: argparse.Namespace) -> int:
    from geo.build import check_quotes_in_files
    problems = check_quotes_in_files([Path(f) for f in args.files])
    for problem in problems:
        print(problem)
    print(f"{len(problems)} quote problem(s)")
    return 1 if problems else 0


def _gazetteer_candidates(args: argparse.Namespace) -> int:
    from geo.gazetteer import geonames_candidates
    rows = geonames_candidates(args.name)
    for r in rows:
        print(f"geonames:{r['geonameid']}  {r['name']} / {r['name_ru']}  {r['admin1_iso']} {r['admin1_name']}  "
              f"lat {r['lat']} lon {r['lon']}  {r['feature_code']} pop {r['population']}")
    print(f"{len(rows)} GeoNames row(s) for {args.name!r}")
    return 0 if rows else 1


def _boundaries(args: argparse.Namespace) -> int:
    from geo.boundaries import derive
    derive()
    print("wrote data/boundaries/russia_subjects.geojson and data/boundaries/countries.geojson")
    return 0


def _basemap(args: argparse.Namespace) -> int:
    from geo.dataset import load_bundle, write_basemap_files
    from geo.paths import ROOT
    for path in write_basemap_files(load_bundle(), ROOT):
        print(f"wrote {path.relative_to(ROOT)}")
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
    commands.add_parser("basemap", help="write the app's light basemap files to static/basemap/").set_defaults(
        run=_basemap)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
