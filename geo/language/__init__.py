"""The interface's language: English, Russian or Korean, for the app, the exports and briefings.

Message catalogues are gettext `.po` files in `locale/<lang>/LC_MESSAGES/messages.po`, extracted with
Babel (`babel.cfg`; README: Languages). The active language is the app session's choice (the
sidebar switch, `?lang=`; read through a resolver ui.language registers) or one set for a block of
work in a context variable (`using`, `activate`: the command line's `--lang`, an export), so domain
code asks `_()` without knowing who asked:

    from geo.language import _, ngettext, N_
    _("Time window")                    # translated now, in the active language
    N_("Abduction")                     # marked for extraction only; translated where it is shown

Evidence is never translated: quotes, places as written, record titles (unless the register holds a
curated translation, shown marked as one: geo.language.curated).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from geo.language.catalogues import translations

# The languages offered, each named in itself (the switch shows these).
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "ko": "한국어"}
DEFAULT = "en"
# Babel locales for dates and numbers: British English writes "5 Oct 2018", as the register does.
LOCALES: dict[str, str] = {"en": "en_GB", "ru": "ru", "ko": "ko"}

_active: ContextVar[str | None] = ContextVar("language", default=None)
_resolver = None    # where a session keeps its language (ui.language registers Streamlit's session state)


class UnknownLanguage(ValueError):
    """A language code that is not offered; the message lists those that are."""


def check(code: str | None) -> str:
    """The code itself when offered (None: the default); UnknownLanguage names the offered ones."""
    if code is None:
        return DEFAULT
    if code not in LANGUAGES:
        raise UnknownLanguage(f"unknown language {code!r}; choose one of {', '.join(LANGUAGES)}")
    return code


def activate(code: str | None) -> str:
    """Make `code` the active language of this thread (a Streamlit session's run, a CLI command)."""
    code = check(code)
    _active.set(code)
    return code


def set_resolver(resolver) -> None:
    """`resolver()` names the language when none is active in this thread (the app: the session's
    choice, read in every script run and callback). Domain code never imports the UI for it."""
    global _resolver
    _resolver = resolver


def current() -> str:
    """The active language: set here (activate, using), else the resolver's, else English."""
    code = _active.get()
    if code is None and _resolver is not None:
        try:
            code = _resolver()
        except Exception:        # no session (a thread of its own, a test outside a run): the default
            code = None
    return code if code in LANGUAGES else DEFAULT


def locale() -> str:
    """The Babel locale of the active language (dates, numbers)."""
    return LOCALES[current()]


@contextmanager
def using(code: str | None) -> Iterator[str]:
    """The block runs in `code` (an export in another language than the app's); restored after."""
    token = _active.set(check(code))
    try:
        yield current()
    finally:
        _active.reset(token)


def gettext(message: str) -> str:
    """`message` in the active language (itself in English, or where no translation exists)."""
    if not message:
        return message
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` (Russian has three plural forms, Korean one); format it with n yourself."""
    return translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction where it is declared (a vocabulary, a layer title); it is
    translated where it is shown."""
    return message


_ = gettext


def number(n: int | float) -> str:
    """A count as the language writes it: 1,234 / 1 234 / 1,234."""
    from babel.numbers import format_decimal
    return format_decimal(n, locale=locale())


class Labels(Mapping):
    """A vocabulary's labels: keys are what records store, values are read in the active language.

    Declared once with English labels (the msgids, marked with N_ for extraction); every lookup —
    `labels[key]`, `.get`, `.items()`, a format_func — gives the translation of the moment."""

    def __init__(self, english: Mapping[str, str]):
        self._english = dict(english)

    def __getitem__(self, key: str) -> str:
        return gettext(self._english[key])

    def __iter__(self):
        return iter(self._english)

    def __len__(self) -> int:
        return len(self._english)

    def english(self, key: str) -> str:
        """The label in English whatever the active language (the msgid)."""
        return self._english[key]

    def __repr__(self) -> str:
        return f"Labels({self._english!r})"


def in_english(function):
    """Run `function` in English whatever the session's language: what it makes is stored (the
    built layers, the register), and stored labels are English (the interface translates them)."""
    from functools import wraps

    @wraps(function)
    def english(*args, **kwargs):
        with using("en"):
            return function(*args, **kwargs)
    return english


def in_every_language(message: str) -> set[str]:
    """`message` as each offered language has it (a default a switch of language may replace)."""
    return {translations(code).gettext(message) if code != "en" else message for code in LANGUAGES}
