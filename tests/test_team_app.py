"""The app on a team store (PostGIS): sign-in first, pages per role, a viewer never reaches full
data by any path the app offers, saves recorded under the signed-in user (AppTest; the browser's
view of the same is in tests/test_team_browser.py)."""
from __future__ import annotations

import re

import pytest

from geo.outputs.redaction import PUBLIC, PUBLIC_FIGURES, register_names, release_bundle
from geo.store.auth import Accounts
from geo.store.postgis import PostGISStore
from geo.view.dataset import load_bundle
from tests.app_helpers import map_code
from tests.team_fixture import PASSWORD, app, sign_in, signed_in, team_url, texts  # noqa: F401  (fixture)

BUNDLE = load_bundle()
NAMES = register_names(BUNDLE.incidents, *BUNDLE.sites.values())
RENAMED = release_bundle(BUNDLE, PUBLIC).public_ids       # ids that name a place the release coarsens
WITHHELD_ID = next(i for i in RENAMED if i in BUNDLE.incidents.index)
NAMED = next(i for i, listed in zip(BUNDLE.incidents["id"], BUNDLE.incidents["people_names"]) if listed)


def errors(at) -> str:
    """The run's error messages as read on screen (Markdown escapes removed)."""
    return "\n".join(e.value for e in at.error).replace("\\", "")


def shown_names(at, download: str = "") -> list[str]:
    """Register names found anywhere the run shows: text, the map's script (decoded), and a
    downloaded file's text (`download`, its markup and scripts dropped; matched by case there, as
    tests/test_public_release.py reads every public file)."""
    try:
        code = map_code(at)
    except AssertionError:      # a page without a map
        code = ""
    script = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), code)
    script = re.sub(r"<[^<>]*>", " ", script)
    shown = (texts(at) + "\n" + script).replace("\\", "")
    download = re.sub(r"<(script|style)\b.*?</\1>|<[^<>]*>", " ", download, flags=re.S)
    for figure in PUBLIC_FIGURES:
        shown = re.sub(re.escape(figure), "", shown, flags=re.I)
        download = re.sub(re.escape(figure), "", download, flags=re.I)
    return [n for n in NAMES if re.search(r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", shown, re.I)
            or re.search(r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", download)]


def test_only_the_sign_in_page_is_shown_until_someone_signs_in(team_url):
    at = app({"rec": NAMED})
    assert not at.exception
    assert any(m.value == "# Sign in" for m in at.markdown)
    # no map: the page's one iframe is the script that clears a kept session cookie
    assert [e.proto.srcdoc for e in at.get("iframe") if "incident_map_session=;" not in e.proto.srcdoc] == []
    assert "incidents in view" not in texts(at)
    assert [t.label for t in at.text_input] == ["User name", "Password"]


def test_a_wrong_password_is_refused_and_repeated_failures_say_how_long_to_wait(team_url):
    at = app()
    for _ in range(3):
        sign_in(at, "edda", "wrong password 123")
        assert "Wrong user name or password." in errors(at)
    sign_in(at, "edda", "wrong password 123")
    assert "Too many failed sign-ins. Try again in" in errors(at)
    assert any("wait" in c.value for c in at.caption)
    sign_in(at, "edda")      # even the right password waits its turn
    assert "Too many failed sign-ins" in errors(at)
    assert "incidents in view" not in texts(at)


def test_a_researcher_sees_full_data_read_only(team_url):
    at = signed_in("rhee", {"rec": NAMED})
    assert "Signed in as **rhee**" in texts(at)
    assert at.session_state["selected"] == NAMED
    assert shown_names(at), "the full data names people"
    assert not [b for b in at.button if b.label == "Correct this record"]
    at.switch_page("ui/pages/export.py").run()
    assert [o.split(" ")[0] for o in at.radio(key="export_mode").options] == ["Public", "Full"]


def test_a_viewer_sees_the_public_release_on_every_path(team_url):
    at = signed_in("vera", {"rec": NAMED, "public": "0", "mode": "full"})
    assert not at.exception
    assert "Public release" in texts(at)
    assert at.session_state["selected"] == NAMED          # its public version, with the names withheld
    assert not shown_names(at), "a name reached the viewer's map page"
    # a register id that names a coarsened place selects nothing and is not written back to the URL
    at = signed_in("vera", {"rec": WITHHELD_ID})
    assert at.session_state["selected"] is None
    assert WITHHELD_ID not in map_code(at) + str(dict(at.query_params))
    # the warning echoes only what the link said, worded as for an id that never existed
    assert f"rec='{WITHHELD_ID}' is not a record of this dataset" in texts(at).replace("\\", "")
    assert not [b for b in at.button if b.label == "Correct this record"]
    # export: the public release only, and the file it prepares names nobody
    at.switch_page("ui/pages/export.py").run()
    assert [o.split(" ")[0] for o in at.radio(key="export_mode").options] == ["Public"]
    at.selectbox(key="export_format").set_value("geojson")
    at.button(key="export_prepare").click().run()
    name, content, _ = at.session_state["export_file"]
    assert "public" in name and not shown_names(at, content.decode("utf-8"))
    # briefing downloads: public too
    if "deck_briefing" in at.session_state:
        at.radio(key="deck_format").set_value("html")
        at.button(key="deck_prepare").click().run()
        deck_name, deck, _ = at.session_state["deck_file"]
        assert deck_name.endswith("-public.html") and not shown_names(at, deck.decode("utf-8"))
    # no Review & edit, no change log (it names editors and quotes values), no Users page
    at.switch_page("ui/pages/about.py").run()
    assert "Latest changes" not in texts(at)
    for page in ("ui/pages/review.py", "ui/pages/users.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_an_editor_saves_under_the_signed_in_name(team_url):
    record = "mem20-refugee-status-2011"
    at = signed_in("edda", {"rec": record})
    assert "user_name" not in [t.key for t in at.text_input]       # no typed name with sign-in
    at.button(key=f"correct-{record}").click().run()
    assert not at.exception and at.session_state["form"]["record_id"] == record
    at.number_input(key="rf_people").set_value(2).run()
    at.text_input(key="rf_reason").input("second grant counted").run()
    at.button(key="rfb_save").click().run()
    assert not at.exception and at.session_state["saved"]["record_id"] == record
    with PostGISStore(team_url) as store:
        latest = store.history(record)[-1]
        assert (latest.user, latest.outcome, latest.reason) == ("edda", "saved", "second grant counted")
        assert store.record(record).record.people_affected == 2
    at.switch_page("ui/pages/map.py").run()                         # the app shows the saved version
    history = next(e for e in at.expander if e.label.startswith("History (1 change)"))
    assert "edda" in "\n".join(m.value for m in history.markdown)


def test_a_researcher_cannot_save_even_with_a_stale_form(team_url):
    record = "mem20-refugee-status-2011"
    at = signed_in("edda", {"rec": record})
    at.button(key=f"correct-{record}").click().run()
    with PostGISStore(team_url) as store:
        Accounts(store.conn).set_role("edda", "researcher")          # demoted while the form is open
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("ui/pages/review.py")
    with PostGISStore(team_url) as store:
        assert [e.outcome for e in store.history(record)] == []


def test_an_administrator_manages_users_on_the_users_page(team_url):
    at = signed_in("ada")
    at.switch_page("ui/pages/users.py").run()
    assert not at.exception and "# Users" in texts(at)
    at.text_input(key="users_new_name").input("nora")
    at.selectbox(key="users_new_role").set_value("editor")
    at.text_input(key="users_new_password").input("a long enough secret")
    at.text_input(key="users_new_password2").input("a long enough secret")
    at.button(key="FormSubmitter:users_add-Add user").click().run()
    assert any("Added nora" in s.value for s in at.success), texts(at)
    at.selectbox(key="users_role_nora").set_value("viewer")
    at.button(key="users_setrole_nora").click().run()
    at.button(key="users_remove_ada").click().run()          # not ticked: refused
    assert any("tick" in e.value for e in at.error)
    at.checkbox(key="users_confirm_ada").check()
    at.button(key="users_remove_ada").click().run()          # the last administrator stays
    assert any("last administrator" in e.value for e in at.error)
    with PostGISStore(team_url) as store:
        roles = {u.name: u.role for u in Accounts(store.conn).users()}
    assert roles["nora"] == "viewer" and roles["ada"] == "admin"


def test_a_non_admin_has_no_users_page(team_url):
    at = signed_in("edda")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("ui/pages/users.py")


def test_an_expired_session_goes_back_to_sign_in_and_forgets_the_view(team_url):
    at = signed_in("rhee", {"rec": NAMED})
    with PostGISStore(team_url) as store:
        store.conn.execute("UPDATE sessions SET expires_at = now() - interval '1 minute'")
    at.run()
    assert any(m.value == "# Sign in" for m in at.markdown)
    assert any("session has ended" in i.value for i in at.info)
    assert "selected" not in at.session_state


def test_sign_out_ends_the_session(team_url):
    at = signed_in("rhee")
    at.button(key="sign_out").click().run()
    assert any(m.value == "# Sign in" for m in at.markdown)
    with PostGISStore(team_url) as store:
        assert store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_a_role_change_applies_at_the_next_run(team_url):
    at = signed_in("rhee", {"rec": NAMED})
    assert shown_names(at)
    with PostGISStore(team_url) as store:
        Accounts(store.conn).set_role("rhee", "viewer")
    at.run()
    assert not shown_names(at) and "Public release" in texts(at)


def test_the_store_down_is_one_clear_line_without_its_password(team_url, monkeypatch):
    monkeypatch.setenv("INCIDENT_STORE", "postgresql://incident:s3cret-pw@127.0.0.1:9/incidents")   # nothing there
    at = sign_in(app(), "rhee")
    assert not at.exception
    message = errors(at)
    assert "Signing in is not possible right now: cannot connect to the store" in message, message
    assert "s3cret" not in message and "Traceback" not in message and len(message.splitlines()) == 1


def test_a_large_store_map_reads_from_the_database_and_a_viewer_gets_counts_only(team_url, monkeypatch):
    from ui import data
    monkeypatch.setattr(data, "SCALE_FROM", 10)      # the register counts as large: the at-scale page
    at = signed_in("rhee")
    assert not at.exception
    assert f"**{len(BUNDLE.incidents):,}** incidents in view" in texts(at)
    assert "## Records in view" in texts(at)
    for page in ("ui/pages/statistics.py", "ui/pages/export.py"):     # said, not an empty result
        at.switch_page(page).run()
        assert not at.exception and "not available for it" in texts(at)
    at = signed_in("vera", {"rec": NAMED})
    assert not at.exception
    assert "counts only" in texts(at) and "## Records in view" not in texts(at)
    code = map_code(at)
    i = code.find('"layer": "incidents"')
    assert i < 0 and not shown_names(at)          # no record, and no site (its quotes may name people)
    assert not [i for frame in BUNDLE.sites.values() for i in frame["id"] if f'"id": "{i}"' in code]


def test_without_a_store_there_is_no_sign_in(monkeypatch):
    monkeypatch.delenv("INCIDENT_STORE", raising=False)
    at = app()
    assert not at.exception
    assert not any(m.value == "# Sign in" for m in at.markdown) and "incidents in view" in texts(at)



@pytest.mark.parametrize("lang", ["ru", "ko"])
def test_the_sign_in_and_users_pages_speak_the_language(team_url, lang):
    from geo.language import using
    from tests.test_languages_app import _english_messages, _strings
    with using(lang):
        pages = [app({"lang": lang})]
        at = signed_in("ada", {"lang": lang})
        at.switch_page("ui/pages/users.py").run()
        pages.append(at)
        for page in pages:
            assert not page.exception
            _, shown = _strings(page)
            english = [m for m in _english_messages(lang) if any(m in text for text in shown)]
            assert not english, f"untranslated messages in {lang}: {english[:12]}"
    assert "Пользователи" in texts(pages[1]) if lang == "ru" else "사용자" in texts(pages[1])
