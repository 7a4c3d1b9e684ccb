"""The documents pages in a real headless Chromium, in English and Spanish: axe-core (WCAG 2.1
AA) on the case letters page, letter wording (list, one letter, a refused save, its history),
the export form and the export's progress, and the status page's receipt section; each page
also at phone width (375 px) without sideways scrolling.

Set INTAKE_SCREENSHOTS to a folder to keep a full-page screenshot of each page at both widths.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import Visit, assert_accessible, translator
from tests.filing import file_complaint
from tests.pdfs import complaint_id_for
from tests.staff import make_user
from tests.test_browser import look_up, path_is, starts_with
from tests.test_browser_staff import accept_refusal, sign_in_with_cookie, switch_language

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
SCREENSHOTS = os.environ.get("INTAKE_SCREENSHOTS")


class Checker:
    """axe-core and the phone-width check on each page; problems collected, asserted at the end
    (so one run lists every page's problems)."""

    def __init__(self, lang):
        self.lang = lang
        self.found: dict[str, str] = {}

    def __call__(self, page, name, heading):
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", self.lang)
        try:
            assert_accessible(page, name)
        except AssertionError as problem:
            self.found[name] = str(problem)
        self._widths(page, name)

    def _widths(self, page, name):
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                self.found[f"{name} ({label})"] = f"{name}: {overflow}px wider than the {label}"
            if SCREENSHOTS:
                path = Path(SCREENSHOTS) / f"{slug}-{self.lang}-{label}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=path, full_page=True)
        page.set_viewport_size(DESKTOP)

    def assert_clean(self):
        assert self.found == {}, f"problems ({self.lang}):\n" + "\n".join(self.found.values())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_documents_pages_pass_axe(visit_factory, app, live_server, lang, jobs_worker):
    """The export is made by the run's real worker process (jobs_worker)."""
    t = translator(app, lang)
    check = Checker(lang)
    visits: list[Visit] = []

    def visit_as(staff):
        v = visit_factory(lang)
        visits.append(v)
        v.page.set_viewport_size(DESKTOP)
        sign_in_with_cookie(app, live_server, v.page, staff)
        switch_language(v.page, lang, "/staff/")
        return v

    tracking, access_code = file_complaint(app.test_client())
    case_id = complaint_id_for(app, tracking)
    letters_url = f"/staff/documents/cases/{case_id}/letters"

    # Supervisor: the case's letters (empty, a refused request, one letter kept).
    supervisor = make_user(app, "supervisor", name="Sam Supervisor")
    supervising = visit_as(supervisor)
    page = supervising.page
    page.goto(letters_url)
    heading = t("Letters for case %(number)s", number=tracking)
    check(page, "case letters", heading)
    expect(page.get_by_text(t("No letters yet."))).to_be_visible()
    # The closure letter is not for an open case: the choice says why.
    expect(page.locator("#kind-closure-hint")).to_be_visible()
    page.get_by_role("button", name=t("Generate and keep the letter")).click()  # no letter chosen
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_contain_text(t("Choose a letter."))
    accept_refusal(supervising, letters_url, 400)
    check(page, "case letters, errors", heading)
    page.get_by_text(t("Acknowledgment"), exact=True).click()
    page.get_by_role("button", name=t("Generate and keep the letter")).click()
    page.wait_for_url(path_is(letters_url.lstrip("/")))
    expect(page.get_by_role("status")).to_contain_text(
        t(
            "%(letter)s generated and kept with the case. Download it below.",
            letter=t("Acknowledgment"),
        )
    )
    expect(page.get_by_role("table")).to_contain_text(t("Acknowledgment"))
    check(page, "case letters, one kept", heading)

    # The export: from the queue's link, its form, then its progress until the ZIP is ready.
    page.goto("/staff/queue/?status=all")
    page.get_by_role("link", name=t("Export this selection (ZIP of case summaries)")).click()
    page.wait_for_url(re.compile(r"/staff/documents/exports/new\?status=all$"))
    check(page, "export form", t("Export case summaries"))
    page.get_by_text(t("Redacted copies (without the people's identities)")).click()
    page.get_by_role("button", name=t("Start the export")).click()
    page.wait_for_url(re.compile(r"/staff/documents/exports/\d+$"))
    progress_url = page.url + "?auto=0"  # still, for axe: the live page reloads itself
    page.goto(progress_url)
    check(page, "export progress", t("Export of case summaries"))
    for _ in range(120):
        if page.get_by_text(t("The ZIP file is ready.")).count():
            break
        page.wait_for_timeout(500)
        page.goto(progress_url)
    expect(page.get_by_role("link", name=t("Download the ZIP file"))).to_be_visible()
    check(page, "export ready", t("Export of case summaries"))

    # Administrator: letter wording, one letter's wording, a refused save, a saved change.
    admin = make_user(app, "administrator", name="Ada Admin")
    administering = visit_as(admin)
    page = administering.page
    page.goto("/staff/")
    page.get_by_role("link", name=t("Letter wording"), exact=True).click()  # the staff header
    page.wait_for_url(path_is("staff/documents/letter-templates"))
    check(page, "letter wording", t("Letter wording"))
    letter, language = t("Closure letter"), t("Spanish")
    page.get_by_role("link", name=f"{t('Change')} {letter}, {language}").click()
    wording_path = "staff/documents/letter-templates/closure/es"
    page.wait_for_url(path_is(wording_path))
    heading = t("%(letter)s in %(language)s", letter=letter, language=language)
    check(page, "letter wording, one letter", heading)
    page.get_by_label(starts_with(t("Subject"))).fill("")
    page.get_by_role("button", name=t("Save this wording")).click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_contain_text(t("Enter the letter's subject."))
    accept_refusal(administering, f"/{wording_path}", 400)
    check(page, "letter wording, errors", heading)
    page.get_by_label(starts_with(t("Subject"))).fill("Su queja {{ tracking_number }} está cerrada")
    page.get_by_role("button", name=t("Save this wording")).click()
    page.wait_for_url(path_is(wording_path))
    expect(page.get_by_role("status")).to_contain_text(
        t("The new wording is saved. Letters generated from now on use it.")
    )
    expect(page.get_by_role("table")).to_contain_text("Ada Admin")  # the earlier changes
    check(page, "letter wording, changed", heading)

    # The complainant: the status page's receipt section, and a wrongly typed access code.
    public = visit_factory(lang)
    visits.append(public)
    page = public.page
    page.set_viewport_size(DESKTOP)
    page.goto(f"/language/{lang}?next=/status/")
    look_up(public, tracking, access_code)
    page.wait_for_url(path_is("status/case"))
    expect(page.get_by_role("link", name=t("Download a receipt (PDF)"))).to_be_visible()
    check(page, "status page with the receipt", t("Your complaint"))
    page.get_by_label(starts_with(t("Access code"))).fill("ABCD-EFGH-JKMN-PQRS")
    page.get_by_role("button", name=t("Download the receipt with your access code on it")).click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_contain_text(
        t("That is not the access code of this complaint. Check it and try again.")
    )
    accept_refusal(public, "/status/case/receipt.pdf", 400)
    check(page, "status page, wrong access code", t("Your complaint"))

    check.assert_clean()
    for v in visits:
        v.console.assert_clean()
