"""The public pages in a real headless Chromium: filing in English and Spanish, axe-core
accessibility checks on every page, and the whole form by keyboard alone.

Every test also fails on a browser console error, an uncaught script error or a
Content-Security-Policy report. axe-core is injected through the DevTools protocol
(``page.evaluate``), so the site's CSP stays enforced in every context here.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from intake.attachments.models import Attachment
from intake.complaints.models import Complaint
from intake.extensions import db
from tests.browser import (
    Visit,
    axe_violations,
    focused_matches,
    format_violations,
    tab_to,
    tiny_png,
)
from tests.filing import VALID_ANSWERS

pytestmark = pytest.mark.browser

LANGS = ["en", "es"]
LANGUAGE_LINK = {"es": "Español", "en": "English"}  # config LANGUAGES: names in their own tongue
BAD_A_NUMBER = "B12"
A_NUMBER_MESSAGE = "Enter an A-number as the letter A followed by 8 or 9 digits, like A012345678."
FILER = VALID_ANSWERS["filer"]
AFFECTED = VALID_ANSWERS["affected"]
INCIDENT = VALID_ANSWERS["incident"]
STORY = VALID_ANSWERS["story"]
DETAILS = VALID_ANSWERS["allegations"]["details_racial_profiling"]


# The `browser` and `visit_factory` fixtures live in tests/conftest.py: one Chromium per run.


def starts_with(text):
    """A label whose text starts with ``text`` (labels of required fields end in "(required)")."""
    return re.compile(r"^\s*" + re.escape(text))


def tick(control):
    """Check a USWDS radio or checkbox as a person does: its input is visually hidden (the
    styled box is drawn by the label), so click the label that names it."""
    control_id = control.get_attribute("id")
    control.page.locator(f"label[for='{control_id}']").click()
    expect(control).to_be_checked()


def path_is(step):
    return re.compile(rf"/{step}(\?.*)?$")


def open_home(v: Visit):
    page = v.page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if v.lang != "en":
        link = page.get_by_role("navigation").get_by_role("link", name=LANGUAGE_LINK[v.lang])
        expect(link).to_have_attribute("href", re.compile(rf"^/language/{v.lang}\b"))
        link.click()
        page.wait_for_url(re.compile(r"/$"))
        expect(page.locator("html")).to_have_attribute("lang", v.lang)
        expect(page.get_by_role("navigation").get_by_role("link", name="English")).to_be_visible()


def continue_to(v: Visit, next_step):
    v.page.get_by_role("button", name=v.t("Save and continue")).click()
    v.page.wait_for_url(path_is(f"file/{next_step}"))


def expect_error(v: Visit, field_id, message):
    """The error summary (focused) and the message beside the field, in the page's language."""
    page, t = v.page, v.t
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(t("There is a problem"))
    expect(summary.get_by_role("link", name=message)).to_have_attribute(
        "href", re.compile(rf"^#{field_id}")
    )
    beside = page.locator(f"#{field_id}-error")
    expect(beside).to_contain_text(message)
    expect(beside).to_contain_text(t("Error:"))


# --- the steps, filled through their visible labels -----------------------------------------


def fill_filer(v: Visit):
    page, t = v.page, v.t
    tick(page.get_by_label(t("A relative or friend"), exact=True))
    page.get_by_label(t("Your full name"), exact=True).fill(FILER["name"])
    # Spanish names the e-mail field and the e-mail way of contact alike: tell them by role.
    page.get_by_role("textbox", name=t("Email address"), exact=True).fill(FILER["email"])
    page.get_by_role("textbox", name=t("Phone number"), exact=True).fill(FILER["phone"])
    page.get_by_label(t("Language we should write to you in")).select_option(label=t("Spanish"))
    contact = page.get_by_role("group", name=t("How should we contact you?"))
    tick(contact.get_by_label(t("Email"), exact=True))


def fill_affected(v: Visit, a_number=AFFECTED["a_number"]):
    page, t = v.page, v.t
    page.get_by_label(t("Their full name"), exact=True).fill(AFFECTED["name"])
    page.get_by_label(t("Month"), exact=True).select_option(label=t("March"))
    page.get_by_label(t("Day"), exact=True).fill(AFFECTED["dob_day"])
    page.get_by_label(t("Year"), exact=True).fill(AFFECTED["dob_year"])
    page.get_by_label(starts_with(t("A-number (Alien Registration Number), if known"))).fill(
        a_number
    )
    page.get_by_label(t("Country of birth")).select_option(AFFECTED["country_of_birth"])
    custody = page.get_by_role("group", name=t("Are they in custody now?"))
    tick(custody.get_by_label(t("Yes"), exact=True))
    page.get_by_label(t("Name of the jail or detention facility")).fill(AFFECTED["facility_name"])
    page.get_by_label(t("State of the facility")).select_option(AFFECTED["facility_state"])
    tick(page.get_by_label(t("The person affected agrees to my filing this complaint for them")))


def fill_incident(v: Visit):
    page, t = v.page, v.t
    page.get_by_label(t("Month"), exact=True).select_option(label=t("June"))
    page.get_by_label(t("Day (if you know it)")).fill(INCIDENT["incident_day"])
    page.get_by_label(t("Year"), exact=True).fill(INCIDENT["incident_year"])
    page.get_by_label(t("State"), exact=True).select_option(INCIDENT["incident_state"])
    # app.js fetches the state's counties when the state changes.
    county = page.get_by_label(t("County"), exact=True)
    expect(county.locator(f"option[value='{INCIDENT['incident_county']}']")).to_be_attached()
    county.select_option(INCIDENT["incident_county"])
    page.get_by_label(t("City or town")).fill(INCIDENT["incident_city"])
    tick(page.get_by_label(t("Jail or booking"), exact=True))
    tick(page.get_by_label(t("Immigration and Customs Enforcement (ICE)"), exact=True))
    tick(page.get_by_label(t("Local or state police, sheriff or jail"), exact=True))
    page.get_by_label(t("Name of the local or state agency")).fill(INCIDENT["local_agency_name"])
    tick(
        page.get_by_label(
            t("Fingerprints taken at a jail were shared with immigration authorities"), exact=True
        )
    )


def fill_allegations(v: Visit):
    page, t = v.page, v.t
    profiling = t("Racial or ethnic profiling")
    tick(page.get_by_label(profiling, exact=True))
    page.locator("summary").filter(has_text=profiling).click()
    page.get_by_label(t("Details: %(label)s", label=profiling), exact=True).fill(DETAILS)
    tick(page.get_by_label(t("Held past the release date"), exact=True))


def fill_consent(v: Visit):
    yes = v.t("Yes, you may share it if needed to look into the complaint")
    tick(v.page.get_by_label(yes, exact=True))


def stored(app, tracking) -> dict:
    """What the database holds for the complaint with this tracking number."""
    with app.app_context():
        complaint = db.session.execute(
            select(Complaint).where(Complaint.tracking_number == tracking)
        ).scalar_one()
        documents = select(Attachment.filename).where(Attachment.complaint_id == complaint.id)
        return {
            "language": complaint.language,
            "status": complaint.status,
            "documents": list(db.session.execute(documents).scalars()),
        }


def look_up(v: Visit, tracking, code):
    page, t = v.page, v.t
    page.get_by_label(starts_with(t("Tracking number"))).fill(tracking)
    page.get_by_label(starts_with(t("Access code"))).fill(code)
    page.get_by_role("button", name=t("Check status")).click()


# --- 1. filing end to end, in each language -----------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_file_a_complaint_end_to_end(visit_factory, app, lang, tmp_path):
    v = visit_factory(lang)
    page, t = v.page, v.t
    open_home(v)
    page.get_by_role("main").get_by_role("link", name=t("Start a complaint")).click()
    page.wait_for_url(path_is("file/filer"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("About you"))

    fill_filer(v)
    continue_to(v, "affected")

    # An invalid A-number: the errors show in this language, and every answer stays.
    fill_affected(v, a_number=BAD_A_NUMBER)
    page.get_by_role("button", name=t("Save and continue")).click()
    page.wait_for_load_state()
    expect_error(v, "a_number", t(A_NUMBER_MESSAGE))
    a_number = page.get_by_label(starts_with(t("A-number (Alien Registration Number), if known")))
    expect(a_number).to_have_value(BAD_A_NUMBER)
    expect(a_number).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(t("Their full name"), exact=True)).to_have_value(AFFECTED["name"])
    expect(page.get_by_label(t("Year"), exact=True)).to_have_value(AFFECTED["dob_year"])
    expect(page.get_by_label(t("Name of the jail or detention facility"))).to_have_value(
        AFFECTED["facility_name"]
    )
    expect(page.get_by_label(t("Country of birth"))).to_have_value(AFFECTED["country_of_birth"])
    expect(
        page.get_by_role("group", name=t("Are they in custody now?")).get_by_label(
            t("Yes"), exact=True
        )
    ).to_be_checked()
    a_number.fill(AFFECTED["a_number"])
    continue_to(v, "incident")

    fill_incident(v)
    continue_to(v, "allegations")
    fill_allegations(v)
    continue_to(v, "story")

    # No narrative, but a document and the desired outcome: the narrative is required,
    # the document is kept, the other answer stays.
    png = tmp_path / "evidence.png"
    png.write_bytes(tiny_png())
    page.get_by_label(t("What would you like to happen as a result?")).fill(
        STORY["desired_outcome"]
    )
    page.locator("#documents").set_input_files(png)
    page.get_by_role("button", name=t("Save and continue")).click()
    page.wait_for_load_state()
    expect_error(v, "narrative", t("Tell us what happened."))
    expect(page.get_by_label(t("What would you like to happen as a result?"))).to_have_value(
        STORY["desired_outcome"]
    )
    attachments = page.locator("table.intake-attachments")
    expect(attachments).to_contain_text("evidence.png")
    expect(attachments.locator("caption")).to_have_text(
        t("Documents added (%(count)d of %(max)d)", count=1, max=5)
    )
    page.get_by_label(starts_with(t("Tell us what happened"))).fill(STORY["narrative"])
    continue_to(v, "consent")

    fill_consent(v)
    continue_to(v, "review")
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Review and submit"))
    expect(page.locator("#error-summary")).to_have_count(0)
    main = page.get_by_role("main")
    for shown in (FILER["name"], AFFECTED["name"], STORY["narrative"], DETAILS, "evidence.png"):
        expect(main).to_contain_text(shown)

    page.get_by_role("button", name=t("Submit complaint")).click()
    page.wait_for_url(path_is("file/confirmation"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("We received your complaint"))
    tracking = page.locator("#tracking-number").inner_text().strip()
    code = page.locator("#access-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", tracking), tracking
    assert len(code.replace("-", "")) >= 16, code

    page.get_by_role("main").get_by_role("link", name=t("Check your complaint")).click()
    page.wait_for_url(path_is("status/"))
    look_up(v, tracking, code)
    page.wait_for_url(path_is("status/case"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your complaint"))
    expect(page.locator("#public-status")).to_have_text(t("Received"))
    expect(page.get_by_role("main")).to_contain_text(tracking)

    assert stored(app, tracking) == {
        "language": lang,
        "status": "received",
        "documents": ["evidence.png"],
    }
    v.console.assert_clean()


# --- 2. axe-core on every public page, in each language -------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_passes_axe(visit_factory, lang, tmp_path):
    v = visit_factory(lang)
    page, t = v.page, v.t
    found: dict[str, list] = {}

    def check(name):
        violations = axe_violations(page)
        if violations:
            found[name] = violations

    def submit_step():
        page.get_by_role("button", name=t("Save and continue")).click()
        page.wait_for_load_state()

    open_home(v)
    check("home")

    page.goto("/file/filer")
    check("filer")
    submit_step()  # nobody said who is filing
    expect_error(v, "relationship", t("Tell us who is filing this complaint."))
    check("filer, error")
    page.goto("/file/review")
    expect(page.locator("#error-summary")).to_be_visible()
    check("review, incomplete")

    page.goto("/file/filer")
    fill_filer(v)
    continue_to(v, "affected")
    check("affected")
    page.get_by_label(starts_with(t("A-number (Alien Registration Number), if known"))).fill(
        BAD_A_NUMBER
    )
    submit_step()
    expect_error(v, "a_number", t(A_NUMBER_MESSAGE))
    check("affected, error")
    fill_affected(v)
    continue_to(v, "incident")
    check("incident")
    fill_incident(v)
    continue_to(v, "allegations")
    check("allegations")
    submit_step()  # nothing chosen
    expect_error(v, "allegations", t("Choose at least one thing that happened."))
    check("allegations, error")
    fill_allegations(v)
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    check("allegations, every details box open")
    continue_to(v, "story")
    check("story")
    png = tmp_path / "evidence.png"
    png.write_bytes(tiny_png())
    page.locator("#documents").set_input_files(png)
    check("story, document chosen")
    submit_step()  # empty narrative
    expect_error(v, "narrative", t("Tell us what happened."))
    check("story, error, document listed")
    page.get_by_label(starts_with(t("Tell us what happened"))).fill(STORY["narrative"])
    continue_to(v, "consent")
    check("consent")
    fill_consent(v)
    continue_to(v, "review")
    check("review")
    page.get_by_role("button", name=t("Submit complaint")).click()
    page.wait_for_url(path_is("file/confirmation"))
    check("confirmation")
    tracking = page.locator("#tracking-number").inner_text().strip()
    code = page.locator("#access-code").inner_text().strip()

    page.goto("/status/")
    check("status lookup")
    page.get_by_role("button", name=t("Check status")).click()
    page.wait_for_load_state()
    expect_error(v, "tracking_number", t("Enter your tracking number."))
    check("status lookup, empty fields")
    look_up(v, tracking, "WRONG-CODE-0000-0000")
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_contain_text(
        t(
            "We could not find a complaint with that tracking number and access code."
            " Check both and try again."
        )
    )
    check("status lookup, not found")
    look_up(v, tracking, code)
    page.wait_for_url(path_is("status/case"))
    expect(page.locator("#public-status")).to_have_text(t("Received"))
    check("status")

    report = "\n".join(f"== {name}\n{format_violations(found[name])}" for name in found)
    assert found == {}, f"axe-core violations ({lang}):\n{report}"
    v.console.assert_clean()


# --- 3. the whole form by keyboard alone ---------------------------------------------------


def press_and_wait(page, key, step):
    """Press a key that loads a page (maybe the same address again) and wait for it."""
    with page.expect_navigation(url=path_is(step)):
        page.keyboard.press(key)


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_in_select(page, selector, typed, expected_value):
    """Focus a closed <select> by Tab and type the start of an option, as a keyboard user does."""
    tab_to(page, selector)
    page.keyboard.type(typed)
    expect(page.locator(selector)).to_have_value(expected_value)


def next_step(page, step):
    tab_to(page, "button[name=action][value=next]")
    press_and_wait(page, "Enter", f"file/{step}")


def test_whole_form_by_keyboard_alone(visit_factory, app, tmp_path):
    v = visit_factory("en")
    page = v.page
    # Listening for file dialogs from the start turns Chromium's interception of them on long
    # before the Space press below; turned on only by expect_file_chooser, the switch can arrive
    # after the key on a loaded machine, and the dialog then opens unseen.
    page.on("filechooser", lambda _chooser: None)
    page.goto("/")

    # The skip link comes first and moves focus to the main content.
    page.keyboard.press("Tab")
    assert focused_matches(page, "a.usa-skipnav")
    page.keyboard.press("Enter")
    assert focused_matches(page, "main#main-content")

    tab_to(page, "main a[href$='/file/']")
    press_and_wait(page, "Enter", "file/filer")

    # Filer: a radio group is one Tab stop; arrows move the choice.
    tab_to(page, "input[name=relationship]")
    assert focused_matches(page, "#relationship-0")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#relationship-1")).to_be_checked()  # a relative or friend
    type_into(page, "#name", FILER["name"])
    type_into(page, "#email", FILER["email"])
    type_into(page, "#phone", FILER["phone"])
    choose_in_select(page, "#preferred_language", "Spanish", "es")
    tab_to(page, "input[name=contact_method]")
    page.keyboard.press("Space")
    expect(page.locator("#contact_method-0")).to_be_checked()  # email
    next_step(page, "affected")

    type_into(page, "#name", AFFECTED["name"])
    choose_in_select(page, "#dob_month", "March", "3")
    type_into(page, "#dob_day", AFFECTED["dob_day"])
    type_into(page, "#dob_year", AFFECTED["dob_year"])
    type_into(page, "#a_number", BAD_A_NUMBER)
    choose_in_select(page, "#country_of_birth", "Mexico", "MX")
    tab_to(page, "input[name=in_custody]")
    page.keyboard.press("Space")
    expect(page.locator("#in_custody-0")).to_be_checked()
    type_into(page, "#facility_name", AFFECTED["facility_name"])
    choose_in_select(page, "#facility_state", "Texas", "TX")
    tab_to(page, "#consent_attested")
    page.keyboard.press("Space")
    expect(page.locator("#consent_attested")).to_be_checked()
    tab_to(page, "button[name=action][value=next]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    # The error summary takes focus; its link leads to the field, which takes the fix.
    expect(page.locator("#error-summary")).to_be_focused()
    tab_to(page, "#error-summary a[href='#a_number']", max_tabs=5)
    page.keyboard.press("Enter")
    expect(page.locator("#a_number")).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(AFFECTED["a_number"])
    # Enter in a text field continues, as the primary button does (not "Back").
    press_and_wait(page, "Enter", "file/incident")

    choose_in_select(page, "#incident_month", "June", "6")
    type_into(page, "#incident_day", INCIDENT["incident_day"])
    type_into(page, "#incident_year", INCIDENT["incident_year"])
    choose_in_select(page, "#incident_state", "Texas", "TX")
    expect(
        page.locator(f"#incident_county option[value='{INCIDENT['incident_county']}']")
    ).to_be_attached()
    choose_in_select(page, "#incident_county", "Webb", INCIDENT["incident_county"])
    type_into(page, "#incident_city", INCIDENT["incident_city"])
    tab_to(page, "input[name=place_kind]")
    page.keyboard.press("ArrowDown")  # street stop -> jail or booking
    expect(page.locator("input[name=place_kind][value=jail]")).to_be_checked()
    for agency in INCIDENT["agencies"]:
        tab_to(page, f"input[name=agencies][value={agency}]")
        page.keyboard.press("Space")
    tab_to(page, "input[name=program_contexts][value=detainer]")
    page.keyboard.press("Space")
    # Enter in a text field continues, not "Update county list" (the form's first button).
    type_into(page, "#local_agency_name", INCIDENT["local_agency_name"])
    press_and_wait(page, "Enter", "file/allegations")

    tab_to(page, "input[name=allegations][value=racial_profiling]")
    page.keyboard.press("Space")
    tab_to(page, "details:has(#details_racial_profiling) > summary")
    page.keyboard.press("Enter")
    type_into(page, "#details_racial_profiling", DETAILS)
    tab_to(page, "input[name=allegations][value=due_process_overdetention]")
    page.keyboard.press("Space")
    next_step(page, "story")

    type_into(page, "#narrative", STORY["narrative"])
    type_into(page, "#desired_outcome", STORY["desired_outcome"])
    notes = tmp_path / "notes.txt"
    notes.write_text("Release date: June 16. Held until June 19.\n", encoding="utf-8")
    tab_to(page, "#documents")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")  # the operating system's file dialog opens
    chooser.value.set_files(notes)
    tab_to(page, "button[name=action][value=upload]")
    press_and_wait(page, "Enter", "file/story")
    expect(page.locator("table.intake-attachments")).to_contain_text("notes.txt")
    expect(page.locator("#narrative")).to_have_value(STORY["narrative"])
    next_step(page, "consent")

    tab_to(page, "input[name=privacy_consent]")
    page.keyboard.press("Space")
    expect(page.locator("#privacy_consent-0")).to_be_checked()
    next_step(page, "review")

    expect(page.locator("#error-summary")).to_have_count(0)
    tab_to(page, "button[data-prevent-double-submit]")
    press_and_wait(page, "Space", "file/confirmation")
    tracking = page.locator("#tracking-number").inner_text().strip()
    code = page.locator("#access-code").inner_text().strip()

    tab_to(page, "main a[href$='/status/']")
    press_and_wait(page, "Enter", "status/")
    type_into(page, "#tracking_number", tracking)
    type_into(page, "#access_code", code)
    page.keyboard.press("Enter")  # submits the form from its last field
    page.wait_for_url(path_is("status/case"))
    expect(page.locator("#public-status")).to_have_text("Received")

    assert stored(app, tracking) == {
        "language": "en",
        "status": "received",
        "documents": ["notes.txt"],
    }
    v.console.assert_clean()
