import shutil
from pathlib import Path

import pytest

from geo.paths import GAZETTEER_CSV, REGISTER_DIR

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def workspace(tmp_path):
    """A copy of the register and gazetteer in a temporary folder, with a data dir to build into."""
    register = tmp_path / "register"
    shutil.copytree(REGISTER_DIR, register)
    gazetteer = tmp_path / "gazetteer.csv"
    shutil.copy(GAZETTEER_CSV, gazetteer)
    data = tmp_path / "data"
    data.mkdir()
    return {"register_dir": register, "gazetteer_csv": gazetteer, "data_dir": data}

from tests.postgis_fixture import postgis_cluster, postgis_url  # noqa: E402,F401  (fixtures)
