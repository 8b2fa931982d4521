"""Start the app server with its heavy work done before the first visitor: `python -m ui.server`
(what ./start.sh runs) takes the same options as `streamlit run` and serves app.py.

A bare `streamlit run app.py` executes nothing until a browser connects; the first visitor then
waits while the script imports pandas, geopandas and folium (~3 s on these machines), loads the
register and compiles every folium template on first use. Here a thread does that once the
server answers, while the browser boots Streamlit's frontend (~1 s), so the first run finds it
(nearly) done: the loaded dataset is in ui.data's cache, shared by every session of this server.

Not imported in the thread: streamlit_folium, which declares its component when imported and
must do so in a script run (imported elsewhere, its map never appears).

After the warm-up, what it loaded (modules, the dataset, the base map) is frozen out of the garbage
collector: Streamlit runs a full collection after every script run, before the run's last
messages reach the browser, and walking those long-lived objects each time cost ~0.1 s of CPU
per run (0.2-0.6 s of wall time on a loaded machine). The launcher serves users, not someone
editing the code, so Streamlit's source-file watcher is off unless asked for
(--server.fileWatcherType auto): it walked every imported module after a run that imported more.
"""
from __future__ import annotations

import copy
import gc
import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def warm_up() -> None:
    """Import what the first page needs, load the dataset into the app's cache and render a map
    once (folium compiles its templates on first use)."""
    from streamlit.runtime import Runtime, RuntimeState
    deadline = time.monotonic() + 60
    # Only once the server answers: begun beside its start, the warm-up's imports took the
    # interpreter lock half the time and the server answered ~1 s later; the browser's ~1 s of
    # booting Streamlit's frontend is then the warm-up's time (docs/benchmarks.md).
    while (not Runtime.exists() or Runtime.instance().state == RuntimeState.INITIAL) and time.monotonic() < deadline:
        time.sleep(0.01)
    import folium.plugins  # noqa: F401
    import geopandas  # noqa: F401

    import geo.outputs.mapview  # noqa: F401

    import streamlit.emojis  # noqa: F401  (st.set_page_config's icon check imports it: 0.1 s)
    from geo.language import number
    from ui import data, identity
    number(1)             # babel reads the locale's data on first use
    if identity.team():   # what a team store shows depends on who signs in: nothing to warm yet
        return
    key, public = data._dataset_key(), data.public_deployment()
    data._bundle(key, public)
    data._localized(key, public, "en").site_places   # the first page's links and filters read it
    data._search_index(key, public, "en")
    data.briefings()
    copy.deepcopy(data.base_map_of(*data.base_map_key())).get_root().render()   # a copy: rendering renames


def _warm_up_quietly() -> None:
    try:
        warm_up()
    except Exception as exc:   # the first page run reports any real problem (e.g. no data) itself
        print(f"ui.server: warm-up skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
    gc.freeze()


def streamlit_options(argv: list[str]) -> list[str]:
    """The options for `streamlit run`: the caller's, with the source watcher off unless given."""
    given = any(a == "--server.fileWatcherType" or a.startswith("--server.fileWatcherType=") for a in argv)
    return [*argv] if given else [*argv, "--server.fileWatcherType", "none"]


def main(argv: list[str] | None = None) -> None:
    threading.Thread(target=_warm_up_quietly, name="warm-up", daemon=True).start()
    from streamlit.web.cli import main as streamlit_main
    sys.argv = ["streamlit", "run", str(APP), *streamlit_options(sys.argv[1:] if argv is None else argv)]
    streamlit_main(prog_name="streamlit")


if __name__ == "__main__":
    main()
