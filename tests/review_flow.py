"""One researcher's path through the Review & edit page in Chromium, step by step, counting what
they do (clicks, keys typed): shared by the browser test and the user-time benchmark
(bench/review_time.py). Each step waits for what the person would wait for on the screen."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

SELECT_SCRIPT = """([first, last]) => {
  const box = document.querySelector('.docview');
  const parts = Array.from(box.querySelectorAll('[data-o]'));
  const starts = []; let whole = '';
  parts.forEach((p) => { starts.push(whole.length); whole += p.textContent; });
  const a = whole.indexOf(first), b = whole.indexOf(last, a) + last.length;
  const at = (pos) => { let i = starts.length - 1; while (starts[i] > pos) i--; return [parts[i].firstChild, pos - starts[i]]; };
  const [startNode, startOffset] = at(a), [endNode, endOffset] = at(b - 1);
  const r = document.createRange();
  r.setStart(startNode, startOffset); r.setEnd(endNode, endOffset + 1);
  const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
  box.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""


@dataclass
class Researcher:
    """Drives the page like a person: every click and every character typed is counted."""
    page: object
    shots: list = field(default_factory=list)
    clicks: int = 0
    keys: int = 0
    started: float = field(default_factory=time.perf_counter)
    steps: list = field(default_factory=list)

    def settle(self, timeout: float = 60.0) -> None:
        """Wait until the app has finished the run an action started (Streamlit shows its status
        widget while a script runs), as a person waits for the page to stop changing."""
        self.page.wait_for_timeout(150)
        deadline = time.perf_counter() + timeout
        quiet = 0
        while time.perf_counter() < deadline and quiet < 3:
            running = self.page.locator('[data-testid="stStatusWidget"]').count()
            quiet = 0 if running else quiet + 1
            self.page.wait_for_timeout(100)

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1
        self.settle()

    def type(self, locator, text: str, enter: bool = False) -> None:
        locator.click()
        locator.fill(text)
        self.clicks += 1
        self.keys += len(text)
        if enter:
            locator.press("Enter")
            self.keys += 1
        self.settle()

    def drag_select(self, first: str, last: str) -> None:
        """Select from `first` to `last` in the document with the mouse (one press-drag-release)."""
        self.page.evaluate(SELECT_SCRIPT, [first, last])
        self.clicks += 1

    def step(self, name: str, screenshot=None) -> None:
        self.steps.append((name, round(time.perf_counter() - self.started, 2), self.clicks, self.keys))
        if screenshot:
            self.shots.append(screenshot(self.page, name))

    def wait(self, selector: str, timeout: float = 120_000):
        self.page.wait_for_selector(selector, timeout=timeout)


def sign(r: Researcher, name: str) -> None:
    r.type(r.page.get_by_role("textbox", name="Your name (for the change log)"), name, enter=True)
    r.page.wait_for_timeout(600)


def upload(r: Researcher, pdf, doc_id: str | None, title: str | None, published: str) -> None:
    """Upload a file; the id and title the form suggests (file name, the PDF's own title) are kept
    where doc_id / title are None."""
    page = r.page
    r.click(page.get_by_role("button", name="Add a new document…"))
    page.locator("input[type=file]").set_input_files(str(pdf))
    r.clicks += 2                                    # open the file dialog, pick the file
    page.get_by_role("textbox", name="Id (lowercase").wait_for()
    page.wait_for_function("() => document.querySelector('input[aria-label^=\"Id (lowercase\"]').value.length > 0")
    if title is None:      # the title the PDF declares is filled in by the same run
        page.wait_for_function("() => document.querySelector('input[aria-label=\"Full title\"]').value.length > 0")
    r.settle()
    if doc_id:
        r.type(page.get_by_role("textbox", name="Id (lowercase"), doc_id)
    if title:
        r.type(page.get_by_role("textbox", name="Full title"), title)
    r.type(page.get_by_role("textbox", name="Published"), published, enter=True)
    page.wait_for_timeout(500)
    r.click(page.get_by_role("button", name="Register the document"))
    try:
        r.wait(".docview mark")
    except Exception:
        page.screenshot(path="test-artifacts/review-upload-failed.png")
        raise


def find(r: Researcher, words: str) -> None:
    r.type(r.page.get_by_role("textbox", name="Find in the text"), words, enter=True)
    r.wait(".docview mark.m-found")


def open_proposal_at_found_text(r: Researcher) -> None:
    """Click the proposal marked where the text was found; its card comes first in the list."""
    r.click(r.page.locator(".docview mark.m-found").first)
    r.page.wait_for_timeout(1500)


def accept_card(r: Researcher, text: str) -> None:
    card = r.page.locator("[class*='st-key-candidate_']").filter(has_text=text).first
    r.click(card.get_by_role("button", name="Accept…"))
    r.wait("text=New record from the proposal")
    r.page.wait_for_timeout(1500)


def use_selection(r: Researcher, first: str, last: str) -> None:
    r.drag_select(first, last)
    r.click(r.page.get_by_role("button", name="Use the selected text as the quote of source 1"))
    r.page.wait_for_timeout(1500)


def choose(r: Researcher, widget_key: str, option: str) -> None:
    """A multiselect or selectbox: type the first letters and press Enter."""
    box = r.page.locator(f".st-key-{widget_key} input")
    r.type(box, option)
    box.press("Enter")
    box.press("Escape")
    r.keys += 2
    r.page.wait_for_timeout(800)


def save(r: Researcher) -> None:
    r.click(r.page.get_by_role("button", name="Save record"))
    r.wait("text=the map shows it")
