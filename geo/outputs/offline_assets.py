"""Draw folium maps with no network: local copies of the JS/CSS folium loads from CDNs.

The files come from npm (package.json + package-lock.json at the repo root) and are copied by
`npm ci && python scripts/vendor_assets.py` into static/vendor/, laid out as in node_modules/.
Streamlit serves that folder at /app/static/vendor/ when started with
`--server.enableStaticServing true` (absolute URLs: st_folium draws inside an iframe).

- localise(m): point every asset of the map at static/vendor (call it after all layers are added).
- inline(m): one standalone HTML file with every asset embedded.

Substitutes, where folium's exact file is not on npm:
- Leaflet.awesome-markers 2.0.2 is on npm only as `drmonty-leaflet-awesome-markers` 2.0.2.
- leaflet.markercluster 1.1.0's npm package lacks its built JS: 1.2.0 is the nearest that has it.
- bootstrap 3.0.0's bootstrap-glyphicons.css (glyphicons are folium.Icon's default prefix):
  `@neos21/bootstrap3-glyphicons` = the glyphicon part of bootstrap 3.3.7, same class names.
- folium's own leaflet.awesome.rotate.css (only for Icon(angle=...)) is not on npm: dropped.
  Font Awesome 6's .fa-rotate-90/180/270 still rotate by those angles; other angles don't.

No streamlit (and no module-level folium) import: scripts/vendor_assets.py imports this too.
"""
from __future__ import annotations

import base64
import json
import mimetypes
import re
from pathlib import Path
from urllib.parse import quote

from geo.errors import GeoError
from geo.paths import ROOT

VENDOR_DIR = ROOT / "static" / "vendor"
DEFAULT_BASE_URL = "/app/static/vendor"
_FIX = "run: npm ci && python scripts/vendor_assets.py"

# folium asset name -> (file under static/vendor/ = path under node_modules/, or None to drop it;
#                       the CDN url folium 0.20 declares for that name).
# The url is checked as well: another class may reuse a name for another file (BoatMarker calls
# its script "markerclusterjs"), and a folium upgrade that bumps a version must be noticed here.
ASSETS: dict[str, tuple[str | None, str]] = {
    # folium.Map
    "leaflet": ("leaflet/dist/leaflet.js",
                "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"),
    "jquery": ("jquery/dist/jquery.min.js", "https://code.jquery.com/jquery-3.7.1.min.js"),
    "bootstrap": ("bootstrap/dist/js/bootstrap.bundle.min.js",
                  "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js"),
    "awesome_markers": ("drmonty-leaflet-awesome-markers/js/leaflet.awesome-markers.js",
                        "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js"),
    "leaflet_css": ("leaflet/dist/leaflet.css",
                    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"),
    "bootstrap_css": ("bootstrap/dist/css/bootstrap.min.css",
                      "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css"),
    "glyphicons_css": ("@neos21/bootstrap3-glyphicons/dist/css/bootstrap3-glyphicons.min.css",
                       "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css"),
    "awesome_markers_font_css": ("@fortawesome/fontawesome-free/css/all.min.css",
                                 "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"),
    "awesome_markers_css": ("drmonty-leaflet-awesome-markers/css/leaflet.awesome-markers.css",
                            "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css"),
    "awesome_rotate_css": (None,
                           "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css"),
    # folium.plugins.MarkerCluster / FastMarkerCluster
    "markerclusterjs": ("leaflet.markercluster/dist/leaflet.markercluster.js",
                        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js"),
    "markerclustercss": ("leaflet.markercluster/dist/MarkerCluster.css",
                         "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css"),
    "markerclusterdefaultcss": ("leaflet.markercluster/dist/MarkerCluster.Default.css",
                                "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css"),
    # folium.plugins.Fullscreen (3.0.0 ships no .min.js: the plain file is the same code)
    "Control.Fullscreen.js": ("leaflet.fullscreen/Control.FullScreen.js",
                              "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js"),
    "Control.FullScreen.css": ("leaflet.fullscreen/Control.FullScreen.css",
                               "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css"),
    # folium.plugins.MiniMap (its default tile layer still needs a tile server: pass a local one)
    "Control_MiniMap_js": ("leaflet-minimap/dist/Control.MiniMap.min.js",
                           "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js"),
    "Control_MiniMap_css": ("leaflet-minimap/dist/Control.MiniMap.min.css",
                            "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css"),
}
# LayerControl, GeoJson, GeoJsonPopup, GeoJsonTooltip and CircleMarker declare no assets of their own.

# Files loaded by JS rather than by CSS url(...): Leaflet's default marker icon.
LEAFLET_IMAGES = "leaflet/dist/images"
EXTRA_FILES = [f"{LEAFLET_IMAGES}/{n}" for n in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")]

# Our own script, put right after leaflet.js: the default icon's image folder (Leaflet guesses
# it from leaflet.css, which st_folium loads only after the scripts).
IMAGE_PATH_ASSET = "leaflet_image_path"

_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")
_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}")
_SOURCE_MAP = re.compile(r"^\s*(?://|/\*)# sourceMappingURL=.*$", re.M)
_MIME = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".svg": "image/svg+xml",
         ".eot": "application/vnd.ms-fontobject", ".png": "image/png"}


class OfflineAssetError(GeoError, RuntimeError):
    """A map needs a file that has no local copy (or static/vendor is missing)."""


def vendor_dir() -> Path:
    """static/vendor/, or a clear error if it was not built."""
    if not VENDOR_DIR.is_dir():
        raise OfflineAssetError(f"{VENDOR_DIR} is missing: {_FIX}")
    return VENDOR_DIR


def _css_refs(css_text: str) -> list[str]:
    """Relative url(...) targets of a stylesheet, without ?query / #fragment."""
    refs = []
    for mo in _URL.finditer(css_text):
        ref = next(g for g in mo.groups() if g is not None)
        if ref and not ref.startswith(("data:", "#", "http:", "https:", "//")):
            refs.append(re.split(r"[?#]", ref)[0])
    return refs


def needed_files(root: Path) -> list[str]:
    """Every file static/vendor must hold, as paths relative to `root` (node_modules/ or vendor)."""
    files = set(EXTRA_FILES)
    for path, _ in ASSETS.values():
        if path is None:
            continue
        files.add(path)
        if path.endswith(".css") and (root / path).is_file():
            css_dir = (root / path).parent
            for ref in _css_refs((root / path).read_text(encoding="utf-8")):
                files.add((css_dir / ref).resolve().relative_to(root.resolve()).as_posix())
    return sorted(files)


def _elements(m):
    """m's whole element tree (from its Figure, if it has one)."""
    stack = [m.get_root()]
    while stack:
        el = stack.pop()
        yield el
        stack.extend(getattr(el, "_children", {}).values())


def _image_path_src(base: str) -> str:
    js = f"L.Icon.Default.imagePath={json.dumps(f'{base}/{LEAFLET_IMAGES}/')};"
    return "data:text/javascript," + quote(js)


def localise(m, base_url: str = DEFAULT_BASE_URL):
    """Point every JS/CSS asset of m's elements at base_url + its path under static/vendor.

    Rewrites default_js/default_css on the instances (the class lists stay as they are).
    Raises OfflineAssetError for any asset without a local copy.
    """
    from branca.colormap import ColorMap

    vdir, base = vendor_dir(), base_url.rstrip("/")
    for el in _elements(m):
        if isinstance(el, ColorMap):  # renders a d3 CDN link itself, not via default_js
            raise OfflineAssetError("branca ColorMap loads d3 from a CDN and has no local copy")
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if not links:
                continue
            new = []
            for name, url in links:
                if name == IMAGE_PATH_ASSET:  # ours, from an earlier call: re-added below
                    continue
                if name not in ASSETS:
                    raise OfflineAssetError(
                        f"{type(el).__name__} needs asset {name!r} ({url}) which has no local copy: "
                        "add its npm package to package.json and the file to ASSETS in geo/offline_assets.py")
                path, cdn_url = ASSETS[name]
                if url != cdn_url and not (path and url.endswith("/" + path)):
                    raise OfflineAssetError(
                        f"{type(el).__name__} asset {name!r} is {url}, but the local copy replaces {cdn_url}")
                if path is None:
                    continue  # dropped on purpose, see the module docstring
                if not (vdir / path).is_file():
                    raise OfflineAssetError(f"{vdir / path} is missing: {_FIX}")
                new.append((name, f"{base}/{path}"))
                if name == "leaflet":
                    new.append((IMAGE_PATH_ASSET, _image_path_src(base)))
            setattr(el, attr, new)
    return m


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(path: Path, fonts_seen: set[Path]) -> str:
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))

    # Fonts: every browser in use takes woff2, the first format listed, so the eot/ttf/woff/svg
    # fallbacks are left out. A data: URI cannot be shared, so an @font-face whose fonts are
    # already embedded is dropped: Font Awesome repeats its files under its v4/v5 family names
    # (those old names then lose their fonts; folium uses the v6 ones).
    def font_face(block):
        fonts = {(path.parent / ref).resolve() for ref in _css_refs(block[0]) if ref.endswith(".woff2")}
        if fonts and fonts <= fonts_seen:
            return ""
        fonts_seen.update(fonts)
        return _URL.sub(lambda u: u[0] if ".woff2" in u[0] else "url(data:,)", block[0])
    text = _FONT_FACE.sub(font_face, text)

    def embed(mo):
        ref = next(g for g in mo.groups() if g is not None)
        if not ref or ref.startswith(("data:", "#")):
            return mo[0]
        return f'url("{_data_uri(path.parent / re.split(r"[?#]", ref)[0])}")'
    return _URL.sub(embed, text)


def _inline_js(path: Path) -> str:
    # "</script" inside the code would end the <script> element early.
    return _SOURCE_MAP.sub("", path.read_text(encoding="utf-8")).replace("</script", "<\\/script")


def _icon_script(vdir: Path) -> str:
    """Leaflet's default icon as data: URIs (Leaflet prefixes imagePath, so make it empty)."""
    urls = {key: _data_uri(vdir / LEAFLET_IMAGES / fname) for key, fname in (
        ("iconUrl", "marker-icon.png"), ("iconRetinaUrl", "marker-icon-2x.png"),
        ("shadowUrl", "marker-shadow.png"))}
    return f'L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions({json.dumps(urls)});'


def inline(m) -> str:
    """The map as one standalone HTML document, every JS/CSS/image/font embedded.

    m itself is left as it was (its asset lists are restored after rendering).
    """
    from geo.outputs.template_safety import check_inert

    check_inert(m)
    vdir = vendor_dir()
    base = vdir.as_uri()
    saved = [(el, {a: el.__dict__[a] for a in ("default_js", "default_css") if a in el.__dict__})
             for el in _elements(m)]
    try:
        localise(m, base_url=base)
        html = m.get_root().render()
    finally:
        for el, attrs in saved:
            for a in ("default_js", "default_css"):
                if a in attrs:
                    setattr(el, a, attrs[a])
                else:
                    el.__dict__.pop(a, None)

    html = html.replace(f'<script src="{_image_path_src(base)}"></script>',
                        f"<script>{_icon_script(vdir)}</script>")
    b = re.escape(base)
    html = re.sub(rf'<script src="{b}/([^"]+)"></script>',
                  lambda mo: f"<script>{_inline_js(vdir / mo[1])}</script>", html)
    fonts_seen: set[Path] = set()
    html = re.sub(rf'<link rel="stylesheet" href="{b}/([^"]+)"/>',
                  lambda mo: f"<style>{_inline_css(vdir / mo[1], fonts_seen)}</style>", html)
    tags = re.sub(r"<(script|style)>.*?</\1>", "", html, flags=re.S)  # skip embedded code
    left = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="(?!data:)[^"]*"', tags)
    if left:
        raise OfflineAssetError(f"inline() left external references: {left}")
    return html
