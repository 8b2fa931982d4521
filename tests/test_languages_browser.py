"""The three languages in Chromium: the Map and Statistics pages in English, Russian and Korean,
with the sidebar, the counts, the legend inside the map and a marker's tooltip in the language —
Hangul and Cyrillic drawn with real glyphs (fonts-nanum). Screenshots go to test-artifacts/."""
import pytest

from tests.browser import map_frame, offline_page, screenshot, url_params, wait_until_idle

pytest.importorskip("playwright.sync_api")

EXPECTED = {   # (page heading, a sidebar label, the map's legend summary, a site layer in it, a type in the page's legend)
    "en": ("Documented incidents: North Korean workers and refugees in Russia", "Time window", "Legend", "Courts",
           "Court decision"),
    "ru": ("Задокументированные инциденты: северокорейские работники и беженцы в России", "Временное окно",
           "Легенда", "Суды", "Решение суда"),
    "ko": ("기록된 사건: 러시아의 북한 노동자와 난민", "기간", "범례", "법원", "법원 결정"),
}


def _glyph_width(page, text: str) -> float:
    """The width Chromium gives `text`: a font without its script draws nothing or a box of the
    same width for every character, so a real font makes two different strings differ."""
    return page.evaluate("""(t) => { const c = document.createElement('canvas').getContext('2d');
        c.font = '16px sans-serif'; return c.measureText(t).width; }""", text)


@pytest.mark.parametrize("lang", ["en", "ru", "ko"])
def test_the_map_page_in_each_language(lang, server, playwright, chromium):
    heading, sidebar_label, legend, courts, court = EXPECTED[lang]
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/?lang={lang}&type=court_decision")
        frame = map_frame(page)
        page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
        assert page.get_by_text(sidebar_label, exact=True).first.is_visible()
        frame.locator(".leaflet-interactive, .leaflet-marker-icon").first.wait_for(timeout=60_000)
        frame.locator("summary", has_text=legend).first.click()       # the legend inside the map opens
        assert frame.locator(".map-legend li", has_text=courts).first.is_visible()
        assert page.locator(".app-legend li", has_text=court).first.is_visible()   # beside the map
        wait_until_idle(page)
        screenshot(page, f"languages-map-{lang}")
        assert (url_params(page).get("lang") or "en") == lang
        if lang == "ko":   # Hangul is drawn with a font that has it: different syllables, different widths
            assert _glyph_width(page, "범례") != _glyph_width(page, "사건 지도")


STATISTICS = {"en": ("Statistics", "Statistics from the sources"), "ru": ("Статистика", "Статистика из источников"),
              "ko": ("통계", "출처의 통계")}


@pytest.mark.parametrize("lang", ["en", "ru", "ko"])
def test_the_statistics_page_in_each_language(lang, server, playwright, chromium):
    heading, section = STATISTICS[lang]
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/statistics?lang={lang}")
        page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=60_000)
        page.get_by_role("heading", name=section, exact=True).wait_for(timeout=60_000)
        page.locator("canvas, svg.marks").first.wait_for(timeout=60_000)   # the Vega-Lite charts
        wait_until_idle(page)
        screenshot(page, f"languages-statistics-{lang}")


def test_switching_language_keeps_the_view(server, playwright, chromium):
    """The switch in the sidebar: the page speaks Russian, the filters stay, and no label of the old
    language is read back as a value (the record picker once took its Korean placeholder for an id)."""
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/?lang=ko&type=court_decision")
        map_frame(page)
        wait_until_idle(page)
        page.locator('[data-testid="stSelectbox"]', has_text="Language").click()
        page.get_by_role("option", name="Русский").click()
        page.get_by_role("heading", name=EXPECTED["ru"][0]).wait_for(timeout=60_000)
        wait_until_idle(page)
        params = url_params(page)
        assert params.get("lang") == "ru" and params.get("type") == "court_decision"
        assert "rec" not in params, params
        assert page.get_by_text("Инцидентов в выборке", exact=False).first.is_visible()
        assert not page.locator('[data-testid="stException"]').count()
