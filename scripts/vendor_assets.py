#!/usr/bin/env python3
"""Copy the files folium needs from node_modules/ into static/vendor/ (gitignored).

Run after `npm ci`:  python scripts/vendor_assets.py
Copies each file of geo.outputs.offline_assets.ASSETS, the images/fonts their CSS points at with url(...),
and Leaflet's marker icons; static/vendor/ mirrors node_modules/' layout. Files there that are no
longer needed are removed, so a rerun always leaves exactly the needed set. Idempotent.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.outputs.offline_assets import VENDOR_DIR, needed_files  # noqa: E402


def main() -> int:
    quiet = "--quiet" in sys.argv[1:]  # only the summary line (used by scripts/setup.sh)
    src_root = ROOT / "node_modules"
    if not src_root.is_dir():
        print(f"error: {src_root} is missing: run npm ci (in {ROOT})", file=sys.stderr)
        return 1
    wanted = needed_files(src_root)
    missing = [rel for rel in wanted if not (src_root / rel).is_file()]
    if missing:
        print("error: not in node_modules (run npm ci; is package.json in step with "
              "geo/offline_assets.py?):\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1

    copied = kept = 0
    for rel in wanted:
        src, dst = src_root / rel, VENDOR_DIR / rel
        if dst.is_file() and dst.read_bytes() == src.read_bytes():
            kept += 1
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        if not quiet:
            print(f"copied  {rel}")
        copied += 1

    removed = 0
    for path in sorted(VENDOR_DIR.rglob("*"), reverse=True):  # files before their folders
        rel = path.relative_to(VENDOR_DIR).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
            if not quiet:
                print(f"removed {rel}")
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()

    size = sum(p.stat().st_size for p in VENDOR_DIR.rglob("*") if p.is_file())
    print(f"{VENDOR_DIR}: {len(wanted)} files, {size / 1e6:.1f} MB "
          f"({copied} copied, {kept} unchanged, {removed} removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
