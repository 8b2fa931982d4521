"""Users page (administrators of a team store): who has access with which role; add a user, change
a role or a password, remove a user. The same operations as `python -m geo users ...`
(geo.store.auth); the last administrator cannot be removed or demoted."""
import streamlit as st

from geo.errors import GeoError
from geo.language import _
from geo.outputs.html_text import markdown_literal as md
from geo.store.auth import MIN_PASSWORD_LENGTH, ROLE_LABELS, ROLES
from ui import identity, session

state = st.session_state
if not identity.allowed("manage_users"):      # app.py registers the page for administrators only
    st.error(_("Only an administrator can manage users."))
    st.stop()


def _role(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


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
        state["users_error"] = _("the two passwords differ; nothing was changed")
        return
    _run(lambda: identity.accounts().add_user(name, role, first),
         _("Added {name} as {role}.").format(name=name, role=_role(role)))
    if "users_error" not in state:
        for key in ("users_new_name", "users_new_password", "users_new_password2"):
            state[key] = ""


def _set_role(name: str) -> None:
    role = state[f"users_role_{name}"]
    _run(lambda: identity.accounts().set_role(name, role), _("{name} is now {role}.").format(name=name, role=_role(role)))


def _set_password(name: str) -> None:
    password = state.get(f"users_password_{name}", "")
    _run(lambda: identity.accounts().set_password(name, password),
         _("New password set for {name}; they are signed out everywhere.").format(name=name))
    state[f"users_password_{name}"] = ""


def _remove(name: str) -> None:
    if not state.get(f"users_confirm_{name}"):
        state["users_error"] = _("tick “Yes, remove {name}” first").format(name=name)
        return
    _run(lambda: identity.accounts().remove_user(name), _("Removed {name}; their sessions ended.").format(name=name))


st.markdown("# " + _("Users"))
st.caption(_("Viewers see the public release only; researchers the full data; editors also review and edit; "
             "administrators also manage users. From a terminal: {command}.").format(
    command="`python -m geo users list|add|set-role|set-password|remove`"))
if state.get("users_message"):
    st.success(md(state.pop("users_message")))
if state.get("users_error"):
    st.error(_("Not done: {reason}").format(reason=md(state.pop("users_error"))))
try:
    users = identity.accounts().users()
except GeoError as exc:
    st.error(_("The users cannot be read: {error}").format(error=md(str(exc))))
    st.stop()
me = identity.signed_in()
st.dataframe([{_("User"): u.name, _("Role"): _role(u.role),
               _("Since"): f"{u.created_at:%Y-%m-%d}" if u.created_at else ""} for u in users],
             hide_index=True, width="stretch")

st.markdown("## " + _("Add a user"))
with st.form("users_add", clear_on_submit=False):
    st.text_input(_("User name"), key="users_new_name", max_chars=64,
                  help=_("Letters, digits and . _ @ - (at most 64)."))
    st.selectbox(_("Role"), ROLES, index=0, key="users_new_role", format_func=_role)
    st.text_input(_("Password"), type="password", key="users_new_password", autocomplete="new-password",
                  help=_("At least {count} characters. Tell it to the person by a safe channel.").format(
                      count=MIN_PASSWORD_LENGTH))
    st.text_input(_("Password again"), type="password", key="users_new_password2", autocomplete="new-password")
    st.form_submit_button(_("Add user"), on_click=_add, icon=":material/person_add:")

st.markdown("## " + _("Change a user"))
for user in users:
    you = " " + _("(you)") if me and user.name == me.name else ""
    with st.expander(f"{user.name}{you} · {_role(user.role)}"):
        st.selectbox(_("Role"), ROLES, index=ROLES.index(user.role), key=f"users_role_{user.name}",
                     format_func=_role)
        st.button(_("Set role"), key=f"users_setrole_{user.name}", on_click=_set_role, args=(user.name,))
        st.text_input(_("New password"), type="password", key=f"users_password_{user.name}",
                      autocomplete="new-password")
        st.button(_("Set password"), key=f"users_setpw_{user.name}", on_click=_set_password, args=(user.name,))
        st.checkbox(_("Yes, remove {name}").format(name=user.name), key=f"users_confirm_{user.name}")
        st.button(_("Remove user"), key=f"users_remove_{user.name}", on_click=_remove, args=(user.name,),
                  icon=":material/person_remove:")
session.write_url({})
