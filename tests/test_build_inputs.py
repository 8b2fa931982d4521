"""Register, gazetteer and data folders that are broken in ways people meet: each gives a one-line
problem naming the file (and record and field where there is one), never a traceback or a hang,
and the previous layers stay as they were."""
import errno
import os
import threading
from pathlib import Path

import pytest

import geo.writing
from geo.build.layers import LAYER_NAMES, build, layer_path
from geo.errors import GeoError
from tests.test_build import GOOD, _write_register


@pytest.fixture
def built(workspace):
    """A workspace with one good extra record, built once; returns (workspace, layer bytes)."""
    _write_register(workspace, GOOD)
    build(**workspace)
    return workspace, _layers(workspace)


def _layers(workspace) -> dict:
    return {name: layer_path(name, workspace["data_dir"]).read_bytes() for name in LAYER_NAMES}


def _rejected(workspace, before, *expected: str) -> list:
    """Build, expect a GeoError whose lines contain every expected text, and the layers unchanged."""
    done = {}

    def run():
        try:
            build(**workspace)
        except GeoError as exc:
            done["error"] = exc
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the build hangs"
    assert "error" in done, "the build accepted the broken input"
    message = str(done["error"])
    for text in expected:
        assert text in message, message
    problems = getattr(done["error"], "problems", [])
    assert all("\n" not in str(p) for p in problems), "every problem is one line"
    assert _layers(workspace) == before, "a failed build must leave the previous files untouched"
    return problems


def test_a_register_file_that_is_not_utf8(built):
    workspace, before = built
    (workspace["register_dir"] / "incidents-test.yaml").write_bytes(GOOD.encode("utf-8").replace(b"good", b"g\xe9od"))
    _rejected(workspace, before, "incidents-test.yaml", "not UTF-8", "line 1")


def test_a_register_file_in_utf16(built):
    workspace, before = built
    (workspace["register_dir"] / "incidents-test.yaml").write_bytes(GOOD.encode("utf-16"))
    _rejected(workspace, before, "incidents-test.yaml", "UTF-16")


@pytest.mark.parametrize("value", ["[a, b]", "{x: 1}", "12"])
def test_a_list_or_mapping_as_an_id(built, value):
    workspace, before = built
    _write_register(workspace, GOOD.replace("id: test-good", f"id: {value}"))
    problems = _rejected(workspace, before, "incidents-test.yaml")
    assert any(p.record == "record #1" and p.field == "id" for p in problems)


def test_duplicate_keys_are_rejected_with_file_line_and_key(built):
    workspace, before = built
    _write_register(workspace, GOOD.replace("  type: arrest_detention\n",
                                            "  type: arrest_detention\n  title: A second title\n"))
    problems = _rejected(workspace, before, "incidents-test.yaml")
    assert any(p.record == "test-good" and p.field == "title" and "lines 2 and 4" in p.message for p in problems)


def test_a_nested_duplicate_key_is_rejected_too(built):
    workspace, before = built
    _write_register(workspace, GOOD.replace("precision: day}", "precision: day, start: 2018-10-06}"))
    problems = _rejected(workspace, before)
    assert any(p.field == "date.start" and "given twice" in p.message for p in problems)


@pytest.mark.parametrize("value, field", [("", "lat"), ("north", "lat"), ("nan", "lon")])
def test_a_bad_or_empty_gazetteer_coordinate(built, value, field):
    workspace, before = built
    path = workspace["gazetteer_csv"]
    rows = path.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    index = next(i for i, row in enumerate(rows) if row.startswith("khabarovsk,"))
    cells = rows[index].split(",")
    cells[header.index(field)] = value
    rows[index] = ",".join(cells)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = _rejected(workspace, before, "gazetteer.csv", "is not a number")
    assert any(p.record == "khabarovsk" and p.field == field for p in problems)


def test_a_missing_gazetteer_column(built):
    workspace, before = built
    path = workspace["gazetteer_csv"]
    rows = [",".join(r.split(",")[:-1]) for r in path.read_text(encoding="utf-8").splitlines()]   # drop "note"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _rejected(workspace, before, "gazetteer.csv", "note", "missing column")


def test_a_symlink_loop_named_yaml(built):
    workspace, before = built
    os.symlink("loop.yaml", workspace["register_dir"] / "loop.yaml")
    _rejected(workspace, before, "loop.yaml", "cannot be read", "symbolic links")


def test_a_folder_named_yaml(built):
    workspace, before = built
    (workspace["register_dir"] / "incidents-folder.yaml").mkdir()
    _rejected(workspace, before, "incidents-folder.yaml", "is a folder")


def test_a_fifo_named_yaml_does_not_hang_the_build(built):
    workspace, before = built
    os.mkfifo(workspace["register_dir"] / "incidents-pipe.yaml")
    _rejected(workspace, before, "incidents-pipe.yaml", "FIFO")


def test_check_quotes_reads_files_the_same_way(built):
    from geo.build.layers import check_quotes_in_files
    workspace, _ = built
    path = workspace["register_dir"] / "incidents-test.yaml"
    path.write_bytes(GOOD.encode("utf-16"))
    problems = check_quotes_in_files([path])
    assert len(problems) == 1 and "UTF-16" in problems[0].message


def test_a_read_only_data_folder(built, monkeypatch):
    workspace, before = built

    def refused(path, private):   # as the kernel answers for a read-only folder (root ignores chmod)
        raise PermissionError(errno.EACCES, "Permission denied", str(path))
    monkeypatch.setattr(geo.writing, "_temporary", refused)
    _write_register(workspace, GOOD.replace("A good record", "A changed record"))
    _rejected(workspace, before, "cannot write the layers", "Permission denied", "nothing was written")


def test_a_full_disk(built, monkeypatch):
    workspace, before = built
    real = Path.write_text

    def full(self, *args, **kwargs):
        if self.name.endswith(".tmp"):
            real(self, "partial", encoding="utf-8")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Path, "write_text", full)
    _write_register(workspace, GOOD.replace("A good record", "A changed record"))
    _rejected(workspace, before, "No space left on device", "nothing was written")
    assert not [p for p in workspace["data_dir"].iterdir() if p.name.endswith(".tmp")], "temporary files left"
