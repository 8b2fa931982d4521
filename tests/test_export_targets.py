"""Where exports go and what they are: only regular files are replaced (never /dev/full, a symlink,
a folder or a FIFO); full releases are readable by their owner only and say so; `$` in a print
map's title is a dollar sign; a missing static/vendor and an HTML map too big for a browser give a
one-line message, never a traceback."""
import os
import stat
import xml.etree.ElementTree as ET
from contextlib import contextmanager

import pytest

from geo.cli import main
from geo.outputs.export import FORMATS, ExportError, export, make_view
from geo.view.dataset import load_bundle
from geo.view.filters import IncidentFilter

COURTS = IncidentFilter(types=("court_decision",))
ARGS = ["--type", "court_decision"]


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


def test_a_device_is_never_replaced(capsys):
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert main(["export", "csv", "--out", "/dev/full", *ARGS]) == 2
    err = _one_line_error(capsys)
    assert "/dev/full" in err
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode), "the device was replaced"


def test_a_symlink_is_refused_and_left_alone(tmp_path, capsys):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    assert main(["export", "csv", "--out", str(link), *ARGS]) == 2
    assert "symbolic link" in _one_line_error(capsys)
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_folder_as_out_is_a_clear_error_for_every_format(tmp_path, capsys, fmt):
    folder = tmp_path / f"out.{fmt}"
    folder.mkdir()
    assert main(["export", fmt, "--out", str(folder), *ARGS]) == 2
    assert "is a folder" in _one_line_error(capsys)
    assert folder.is_dir() and not list(folder.iterdir())


def test_a_fifo_as_out_is_refused_without_hanging(tmp_path, bundle):
    fifo = tmp_path / "out.geojson"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="FIFO"):
        export(make_view(bundle, COURTS), "geojson", fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_briefing_decks_refuse_non_files_too(tmp_path, capsys):
    (tmp_path / "deck.html").mkdir()
    assert main(["briefing", "court-expulsions-2018-2019", "--out", str(tmp_path / "deck.html")]) == 2
    assert "is a folder" in _one_line_error(capsys)


@pytest.mark.parametrize("fmt", ["csv", "svg"])
def test_full_releases_are_readable_by_the_owner_only_and_say_so(tmp_path, capsys, fmt):
    path = tmp_path / f"full.{fmt}"
    with umask(0o022):
        assert main(["export", fmt, "--out", str(path), "--mode", "full", "--subject", "RU-TOM"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    out = capsys.readouterr().out
    assert "FULL release" in out and "readable only by you" in out and "600" in out


def test_public_releases_follow_the_umask_and_keep_a_stricter_existing_file(tmp_path, bundle):
    view = make_view(bundle, COURTS)
    with umask(0o022):
        assert stat.S_IMODE(export(view, "csv", tmp_path / "a.csv").stat().st_mode) == 0o644
    with umask(0o077):
        assert stat.S_IMODE(export(view, "csv", tmp_path / "b.csv").stat().st_mode) == 0o600
    locked = tmp_path / "locked.csv"
    locked.write_text("old", encoding="utf-8")
    locked.chmod(0o600)
    with umask(0o022):
        export(view, "csv", locked)
    assert stat.S_IMODE(locked.stat().st_mode) == 0o600, "re-exporting opened up a private file"


def test_a_full_briefing_deck_is_private(tmp_path, monkeypatch):
    import geo.outputs.briefing_export as briefing_export
    monkeypatch.setattr(briefing_export, "_step_pages", lambda *args: [])    # the permissions, not the maps
    path = tmp_path / "deck.html"
    with umask(0o022):
        assert main(["briefing", "court-expulsions-2018-2019", "--out", str(path), "--mode", "full"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_dollars_in_print_map_titles_are_literal(bundle, tmp_path):
    titles = ["Costs $5 and $6", r"$\frac{1}$ broken maths", "100% {{7*7}} $x^2$"]
    view = make_view(bundle, IncidentFilter(subjects=("RU-TOM",)), title=" · ".join(titles))
    svg = export(view, "svg", tmp_path / "map.svg")
    text = " ".join(" ".join(ET.parse(svg).getroot().itertext()).split())
    assert all(title in text for title in titles), text[:300]
    export(view, "png", tmp_path / "map.png")    # no mathtext parse error either


def test_a_missing_vendor_folder_is_one_clear_line(tmp_path, capsys, monkeypatch):
    import geo.outputs.offline_assets as offline_assets
    monkeypatch.setattr(offline_assets, "VENDOR_DIR", tmp_path / "static" / "vendor")
    assert main(["export", "html", "--out", str(tmp_path / "map.html"), *ARGS]) == 2
    assert "npm ci" in _one_line_error(capsys)
    assert not (tmp_path / "map.html").exists()


def test_an_html_map_too_big_for_a_browser_is_refused_before_it_is_built(bundle, tmp_path, monkeypatch, capsys):
    import geo.outputs.export as export_module
    import geo.outputs.html_export as html_export
    monkeypatch.setattr(export_module, "MAX_HTML_RECORDS", 5)
    built = []
    monkeypatch.setattr(html_export, "html_bytes", lambda view: built.append(view) or b"")
    assert main(["export", "html", "--out", str(tmp_path / "big.html"), *ARGS]) == 2
    err = _one_line_error(capsys)
    assert "too large for a browser" in err and "csv" in err
    assert not built and not (tmp_path / "big.html").exists()
    assert main(["export", "csv", "--out", str(tmp_path / "big.csv"), *ARGS]) == 0   # data formats still work


def test_the_export_page_shows_one_line_for_a_refused_export(monkeypatch):
    import geo.outputs.export as export_module
    from tests.test_app import run
    monkeypatch.setattr(export_module, "MAX_HTML_RECORDS", 5)
    at = run()
    at.switch_page("ui/pages/export.py").run()
    at.selectbox(key="export_format").set_value("html")
    at.button(key="export_prepare").click().run()
    assert not at.exception
    assert any("too large for a browser" in e.value for e in at.error)


def test_the_map_page_without_static_vendor_says_what_to_run(tmp_path, monkeypatch):
    import geo.outputs.offline_assets as offline_assets
    from tests.test_app import run
    monkeypatch.setattr(offline_assets, "VENDOR_DIR", tmp_path / "static" / "vendor")
    at = run()
    assert not at.exception
    assert any("npm ci" in e.value for e in at.error)
