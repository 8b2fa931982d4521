"""Remember a "show description" click for the session, in a standalone map's popups.

A popup is made afresh each time it opens, so the <details class="graphic"> in it
(geo.outputs.details.incident_html) would close again. This remembers which records' descriptions
the reader opened (sessionStorage: this tab, until it is closed) and opens them again. Constant
script, no data.
"""
from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


class DescriptionMemory(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var key = 'incident-map-descriptions';
            function opened() {
                try { return JSON.parse(sessionStorage.getItem(key) || '[]'); } catch (e) { return []; }
            }
            document.addEventListener('toggle', function (e) {
                var el = e.target;
                if (!el.classList || !el.classList.contains('graphic') || !el.open) { return; }
                var ids = opened(), id = el.getAttribute('data-record');
                if (ids.indexOf(id) < 0) { ids.push(id); }
                try { sessionStorage.setItem(key, JSON.stringify(ids)); } catch (e) { /* private mode */ }
            }, true);
            map.on('popupopen', function (e) {
                var ids = opened();
                e.popup.getElement().querySelectorAll('details.graphic').forEach(function (el) {
                    if (ids.indexOf(el.getAttribute('data-record')) >= 0) { el.open = true; }
                });
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self):
        super().__init__()
        self._name = "DescriptionMemory"
