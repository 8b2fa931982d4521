"""Users page (administrators of a team store): who has access with which role; add a user, change
a role or a password, remove a user. The same operations as `python -m geo users ...`
(geo.store.auth); the last administrator cannot be removed or demoted."""
import streamlit as st

from geo.errors import GeoError
from geo.outputs.html_text import markdown_literal as md
from geo.store.auth import MIN_PASSWORD_LENGTH, ROLE_LABELS, ROLES
from ui import identity, session

state = st.session_state
if not identity.allowed("manage_users"):      # app.py registers the page for administrators only
    st.error("Only an administrator can manage users.")
    st.stop()


def _done(message: str) -> None:
    state["users_message"] = message


def _run(action, message: str) -> None:
    try:
        action()
    except GeoError as exc:
        state["users_error"] = str(exc)
    else:
        _done(message)


def _add() -> None:
    name, role = state.get("users_new_name", "").strip(), state.get("users_new_role", "viewer")
    first, second = state.get("users_new_password", ""), state.get("users_new_password2", "")
    if first != second:
        state["users_error"] = "the two passwords differ; nothing was changed"
        return
    _run(lambda: identity.accounts().add_user(name, role, first), f"Added {name} as {ROLE_LABELS[role]}.")
    if "users_error" not in state:
        for key in ("users_new_name", "users_new_password", "users_new_password2"):
            state[key] = ""


def _set_role(name: str) -> None:
    role = state[f"users_role_{name}"]
    _run(lambda: identity.accounts().set_role(name, role), f"{name} is now {ROLE_LABELS[role]}.")


def _set_password(name: str) -> None:
    password = state.get(f"users_password_{name}", "")
    _run(lambda: identity.accounts().set_password(name, password),
         f"New password set for {name}; they are signed out everywhere.")
    state[f"users_password_{name}"] = ""


def _remove(name: str) -> None:
    if not state.get(f"users_confirm_{name}"):
        state["users_error"] = f"tick “Yes, remove {name}” first"
        return
    _run(lambda: identity.accounts().remove_user(name), f"Removed {name}; their sessions ended.")


st.markdown("# Users")
st.caption("Viewers see the public release only; researchers the full data; editors also review and edit; "
           "administrators also manage users. From a terminal: `python -m geo users list|add|set-role|"
           "set-password|remove`.")
if state.get("users_message"):
    st.success(md(state.pop("users_message")))
if state.get("users_error"):
    st.error("Not done: " + md(state.pop("users_error")))
try:
    users = identity.accounts().users()
except GeoError as exc:
    st.error(f"The users cannot be read: {md(str(exc))}")
    st.stop()
me = identity.signed_in()
st.dataframe([{"User": u.name, "Role": ROLE_LABELS.get(u.role, u.role),
               "Since": f"{u.created_at:%Y-%m-%d}" if u.created_at else ""} for u in users],
             hide_index=True, width="stretch")

st.markdown("## Add a user")
with st.form("users_add", clear_on_submit=False):
    st.text_input("User name", key="users_new_name", max_chars=64,
                  help="Letters, digits and . _ @ - (at most 64).")
    st.selectbox("Role", ROLES, index=0, key="users_new_role", format_func=ROLE_LABELS.get)
    st.text_input("Password", type="password", key="users_new_password", autocomplete="new-password",
                  help=f"At least {MIN_PASSWORD_LENGTH} characters. Tell it to the person by a safe channel.")
    st.text_input("Password again", type="password", key="users_new_password2", autocomplete="new-password")
    st.form_submit_button("Add user", on_click=_add, icon=":material/person_add:")

st.markdown("## Change a user")
for user in users:
    you = " (you)" if me and user.name == me.name else ""
    with st.expander(f"{user.name}{you} · {ROLE_LABELS.get(user.role, user.role)}"):
        st.selectbox("Role", ROLES, index=ROLES.index(user.role), key=f"users_role_{user.name}",
                     format_func=ROLE_LABELS.get)
        st.button("Set role", key=f"users_setrole_{user.name}", on_click=_set_role, args=(user.name,))
        st.text_input("New password", type="password", key=f"users_password_{user.name}",
                      autocomplete="new-password")
        st.button("Set password", key=f"users_setpw_{user.name}", on_click=_set_password, args=(user.name,))
        st.checkbox(f"Yes, remove {user.name}", key=f"users_confirm_{user.name}")
        st.button("Remove user", key=f"users_remove_{user.name}", on_click=_remove, args=(user.name,),
                  icon=":material/person_remove:")
session.write_url({})
