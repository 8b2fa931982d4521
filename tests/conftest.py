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


# -- Browser tests (tests/browser.py): one Chromium check, one app server, one Playwright -------
@pytest.fixture(scope="session")
def chromium():
    from tests.browser import chromium_or_skip
    return chromium_or_skip()


@pytest.fixture(scope="session")
def server(chromium):
    from tests.browser import streamlit_server
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")   # closed at the end of each module: other tests start their own
def playwright():
    api = pytest.importorskip("playwright.sync_api")
    with api.sync_playwright() as p:
        yield p
