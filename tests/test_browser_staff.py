"""The staff workspace in a real headless Chromium: the whole reviewer path from a TOTP sign-in
to a closed case (with the complainant answering in a second browser), and axe-core on every
staff page, in English and Spanish.

Like tests/test_browser.py, every test also fails on a console error, an uncaught script error
or a Content-Security-Policy report; axe-core runs through the DevTools protocol, so the
site's CSP stays enforced.
"""

import re
from urllib.parse import quote

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from intake.attachments.models import Attachment
from intake.audit.models import AuditEvent
from intake.audit.services import verify_chain
from intake.complaints.models import Complaint
from intake.extensions import db
from intake.review.models import Recommendation
from tests.browser import Visit, assert_accessible, tiny_png, translator
from tests.filing import file_complaint
from tests.staff import log_in, make_user
from tests.test_browser import look_up, path_is, starts_with
from tests.test_staff_entry import enter

pytestmark = pytest.mark.browser


RARE_WORD = "Quillwort"  # in one narrative only: the search must find that case and no other
NARRATIVE = f"An officer said the {RARE_WORD} sticker on the car was suspicious and held him."
REQUEST = "Please send the booking sheet and tell us the officer's badge number."
ANSWER = "The badge number was 4471. The booking sheet is attached."
RECOMMENDATION = "Stop holding people past their release date on a detainer alone."


def complaint_row(app, tracking) -> Complaint:
    with app.app_context():
        return db.session.execute(
            select(Complaint).where(Complaint.tracking_number == tracking)
        ).scalar_one()


def expect_status(page, label):
    expect(page.locator("#case-status")).to_have_text(label)


def expect_done(page, message):
    """The success alert a saved change leaves on the case page."""
    expect(page.get_by_role("status").filter(has_text=message)).to_be_visible()


def act(page, label):
    """Press a workflow action that needs nothing typed: its form is one button."""
    page.locator(".intake-action--direct").get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def open_action(page, name):
    """Unfold an action that needs input (a <details> box); return its form."""
    box = page.locator(f"#action-{name}-form")
    box.locator("summary").click()
    expect(box).to_have_attribute("open", "")
    return box.locator("form")


def accept_refusal(v: Visit, path, status):
    """Chromium logs every 4xx page load as a console error. A refused action answers with
    its status code on purpose: take exactly that one entry off the list, nothing else."""
    expected = [
        problem
        for problem in v.console.problems
        if f"{path}'" in problem and f"status of {status} " in problem
    ]
    assert len(expected) == 1, v.console.problems
    v.console.problems.remove(expected[0])


def switch_language(page, lang, path):
    page.goto(f"/language/{lang}?next={quote(path)}")
    expect(page.locator("html")).to_have_attribute("lang", lang)


def copy_session(client, live_server, page):
    """Give the browser the session cookie a Flask test client holds now."""
    cookie = client.get_cookie("intake_session")
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])


def sign_in_with_cookie(app, live_server, page, staff):
    """A live staff session without the sign-in pages (those are the reviewer path's)."""
    client = app.test_client()
    log_in(app, client, staff)
    copy_session(client, live_server, page)


# --- 1. the full reviewer path --------------------------------------------------------------


def test_reviewer_path(visit_factory, app, tmp_path):
    tracking, access_code = file_complaint(
        app.test_client(), overrides={"story": {"narrative": NARRATIVE}}
    )
    other_tracking, _ = file_complaint(app.test_client())  # must not match the search
    supervisor = make_user(app, "supervisor", name="Sam Supervisor")

    staff = visit_factory("en")
    page = staff.page

    # Sign in: password, then the code from the authenticator app.
    page.goto("/staff/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
    assert_accessible(page, "sign-in")
    page.get_by_label("Email address").fill(supervisor.email)
    page.get_by_label("Password").fill(supervisor.password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(path_is("staff/sign-in/code"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert_accessible(page, "sign-in code")
    page.get_by_label("6-digit code from your authenticator app").fill(
        pyotp.TOTP(supervisor.totp_secret).now()
    )
    page.get_by_role("button", name="Sign in").click()

    # The queue; the search finds the case by a word of its story, and only that case.
    page.wait_for_url(re.compile(r"/staff/queue/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    page.get_by_label("Search", exact=True).fill(RARE_WORD.lower())
    page.get_by_role("button", name="Show cases").click()
    page.wait_for_load_state()
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=tracking)).to_be_visible()
    expect(results.get_by_role("link", name=other_tracking)).to_have_count(0)
    expect(page.locator("#queue-count")).to_contain_text("1 case matches.")
    expect(page.get_by_label("Search", exact=True)).to_have_value(RARE_WORD.lower())
    assert_accessible(page, "queue with search results")
    results.get_by_role("link", name=tracking).click()
    page.wait_for_url(re.compile(r"/staff/cases/\d+$"))
    case_url = page.url

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {tracking}")
    expect(page.locator("#story")).to_contain_text(RARE_WORD)
    expect_status(page, "Received")
    assert_accessible(page, "case, received")

    # Claim it.
    act(page, "Claim this case")
    expect_done(page, "Done: Claim this case.")
    expect_status(page, "Triage")
    expect(page.locator("#case-assignee")).to_contain_text("Sam Supervisor (you)")
    assert_accessible(page, "case, triage")

    # Ask the complainant for information.
    form = open_action(page, "request_information")
    form.get_by_label(starts_with("Message to the complainant")).fill(REQUEST)
    form.get_by_role("button", name="Ask the complainant for information").click()
    page.wait_for_load_state()
    expect_done(page, "Done: Ask the complainant for information.")
    expect_status(page, "Awaiting information")
    expect(page.locator("#timeline")).to_contain_text(REQUEST)
    assert_accessible(page, "case, awaiting information")

    # The complainant, in a browser of their own, reads the request and answers it.
    public = visit_factory("en")
    their = public.page
    their.goto("/status/")
    look_up(public, tracking, access_code)
    their.wait_for_url(path_is("status/case"))
    expect(their.locator("#public-status")).to_have_text("Information requested")
    expect(their.locator(".intake-message--to_complainant")).to_contain_text(REQUEST)
    assert_accessible(their, "status page with the answer form")
    their.get_by_label(starts_with("Your answer")).fill(ANSWER)
    scan = tmp_path / "booking-sheet.png"
    scan.write_bytes(tiny_png())
    their.locator("#documents").set_input_files(scan)
    their.get_by_role("button", name="Send answer").click()
    their.wait_for_url(path_is("status/case"))
    confirmation = their.get_by_role("status").filter(has_text="We received your answer")
    expect(confirmation).to_contain_text("It came with 1 document.")
    expect(their.locator(".intake-message--from_complainant")).to_contain_text(ANSWER)
    expect(their.locator(".intake-message--from_complainant")).to_contain_text("booking-sheet.png")
    expect(their.locator("#public-status")).to_have_text("Under review")
    expect(their.get_by_role("button", name="Send answer")).to_have_count(0)
    assert_accessible(their, "status page after answering")

    # Back to staff: the answer is on the timeline and the case is in triage again.
    page.reload()
    expect_status(page, "Triage")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("The complainant replied")
    expect(timeline).to_contain_text(ANSWER)
    expect(page.locator("#attachments")).to_contain_text("booking-sheet.png")

    # Retain it for investigation.
    act(page, "Retain for investigation")
    expect_done(page, "Done: Retain for investigation.")
    expect_status(page, "Investigation")
    assert_accessible(page, "case, investigation")

    # A finding for every allegation, and a recommendation.
    findings = page.locator("#findings-form")
    findings.get_by_label("Racial or ethnic profiling", exact=True).select_option(
        label="Substantiated"
    )
    findings.get_by_label("Held past the release date", exact=True).select_option(
        label="Not substantiated"
    )
    findings.get_by_role("button", name="Save findings").click()
    page.wait_for_load_state()
    expect_done(page, "Findings saved.")
    expect(page.locator("#story")).to_contain_text("finding: Substantiated")

    adding = page.locator("#recommendation-new-form")
    adding.get_by_label(starts_with("Recommendation to the agency")).fill(RECOMMENDATION)
    adding.get_by_role("button", name="Add recommendation").click()
    page.wait_for_load_state()
    expect_done(page, "Recommendation added.")
    expect(page.locator("#recommendations")).to_contain_text(RECOMMENDATION)

    act(page, "Submit findings for approval")
    expect_done(page, "Done: Submit findings for approval.")
    expect_status(page, "Findings review")
    assert_accessible(page, "case, findings review")

    # Whoever submitted the findings does not approve them: the page says so, and another
    # supervisor approves. The recommendations go to the agency.
    expect(page.locator("#actions")).to_contain_text("another supervisor approves them")
    case_url = page.url.split("#", 1)[0]
    approver = make_user(app, "supervisor", name="Alex Approver")
    sign_in_with_cookie(app, page.url.split("/staff/", 1)[0], page, approver)
    page.goto(case_url)
    act(page, "Approve findings and issue recommendations")
    expect_done(page, "Done: Approve findings and issue recommendations.")
    expect_status(page, "Recommendations issued")
    assert_accessible(page, "case, recommendations issued")

    # The agency's response (its form is open while none is recorded).
    responding = page.locator("details[id^='response-'] form")
    responding.get_by_label("The agency's response").select_option(label="Concur")
    responding.get_by_label("Notes on the response").fill("The sheriff changed the policy.")
    responding.get_by_role("button", name="Save the response").click()
    page.wait_for_load_state()
    expect_done(page, "The agency's response is recorded.")
    expect(page.locator("#recommendations")).to_contain_text("Agency response: Concur")

    # Close, saying why.
    form = open_action(page, "close")
    form.get_by_label("Closure reason").select_option(label="Recommendations resolved")
    form.get_by_role("button", name="Close the case").click()
    page.wait_for_load_state()
    expect_done(page, "Done: Close the case.")
    expect_status(page, "Closed")
    expect(page.locator("#summary")).to_contain_text("Recommendations resolved")
    assert page.url.split("#")[0] == case_url
    assert_accessible(page, "case, closed")

    staff.console.assert_clean()
    public.console.assert_clean()

    # What the database holds now.
    with app.app_context():
        complaint = db.session.execute(
            select(Complaint).where(Complaint.tracking_number == tracking)
        ).scalar_one()
        assert complaint.status == "closed"
        assert complaint.closure_reason == "recommendations_resolved"
        assert complaint.assignee_id == supervisor.id
        assert {a.category: a.finding for a in complaint.allegations} == {
            "racial_profiling": "substantiated",
            "due_process_overdetention": "not_substantiated",
        }
        (recommendation,) = db.session.execute(
            select(Recommendation).where(Recommendation.complaint_id == complaint.id)
        ).scalars()
        assert (recommendation.body, recommendation.agency_response) == (RECOMMENDATION, "concur")
        reply_documents = db.session.execute(
            select(Attachment.filename).where(
                Attachment.complaint_id == complaint.id,
                Attachment.source == "complainant_reply",
            )
        ).scalars()
        assert list(reply_documents) == ["booking-sheet.png"]
        actions = db.session.execute(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "complaint", AuditEvent.object_id == complaint.id)
            .order_by(AuditEvent.seq)
        ).scalars()
        workflow = [a for a in actions if a.startswith("case.") and a != "case.viewed"]
        assert workflow == [
            "case.claim",
            "case.request_information",
            "case.complainant_replied",
            "case.retain",
            "case.findings.recorded",
            "case.recommendation.added",
            "case.submit_findings",
            "case.approve_findings",
            "case.agency_response.recorded",
            "case.close",
        ]
        report = verify_chain()
        assert report.ok, report


# --- 2. axe-core on the staff pages, in English and Spanish ---------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_staff_pages_pass_axe(visit_factory, app, live_server, lang):
    t = translator(app, lang)
    found: dict[str, str] = {}
    visits: list[Visit] = []

    def visit_as(staff):
        v = visit_factory(lang)
        visits.append(v)
        sign_in_with_cookie(app, live_server, v.page, staff)
        switch_language(v.page, lang, "/staff/")
        return v

    def check(page, name, heading):
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        try:
            assert_accessible(page, name)
        except AssertionError as problem:
            found[name] = str(problem)

    tracking, _ = file_complaint(app.test_client())
    case_id = complaint_row(app, tracking).id

    # Administrator: accounts, and the wording of letters.
    admin = make_user(app, "administrator", name="Ada Admin")
    other = make_user(app, "investigator", name="Ivan Investigator")
    page = visit_as(admin).page
    page.goto("/staff/")
    page.wait_for_url(re.compile(r"/staff/accounts$"))
    check(page, "accounts list", t("Staff accounts"))
    page.goto("/staff/accounts/new")
    check(page, "new account", t("Create a staff account"))
    page.get_by_role("button", name=t("Create account")).click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_visible()
    check(page, "new account, errors", t("Create a staff account"))
    page.goto(f"/staff/accounts/{other.id}")
    check(page, "edit account", t("Edit account: %(name)s", name="Ivan Investigator"))
    page.goto("/staff/documents/letter-templates")
    check(page, "letter wording", t("Letter wording"))
    letter, language = t("Acknowledgment"), t("English")
    page.get_by_role("link", name=f"{t('Change')} {letter}, {language}").click()
    page.wait_for_url(path_is("staff/documents/letter-templates/acknowledgment/en"))
    heading = t("%(letter)s in %(language)s", letter=letter, language=language)
    check(page, "letter wording, one letter", heading)

    # Intake specialist: the queue filtered, a search that finds nothing, entering a complaint.
    specialist = make_user(app, "intake_specialist", name="Iris Intake")
    page = visit_as(specialist).page
    page.goto("/staff/queue/")
    check(page, "queue", t("Review queue"))
    # By id: Spanish names both "Status" and "State" "Estado" (reported for the catalogue).
    page.locator("#status").select_option("received")
    page.get_by_label(t("Allegation"), exact=True).select_option("racial_profiling")
    page.locator("#state").select_option("TX")
    page.get_by_role("button", name=t("Show cases")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("table").get_by_role("link", name=tracking)).to_be_visible()
    check(page, "queue, filtered", t("Review queue"))
    page.get_by_label(t("Search"), exact=True).fill("zzyzxnothingmatches")
    page.get_by_role("button", name=t("Show cases")).click()
    page.wait_for_load_state()
    expect(page.locator("#queue-count")).to_contain_text(t("No cases match."))
    check(page, "queue, empty search", t("Review queue"))

    page.goto("/staff/complaints/new")
    check(page, "entry form", t("Enter a complaint"))
    page.get_by_role("button", name=t("Enter the complaint")).click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_visible()
    check(page, "entry form, errors", t("Enter a complaint"))
    # The confirmation page: entered through a test client, shown in the browser.
    client = app.test_client()
    log_in(app, client, specialist)
    client.get(f"/language/{lang}")
    assert enter(client).status_code == 302
    copy_session(client, live_server, page)
    page.goto("/staff/complaints/entered")
    expect(page.locator("#access-code")).to_be_visible()
    check(page, "complaint entered", t("Complaint entered"))

    # Supervisor: the case page, a refused action, the audit trail.
    supervisor = make_user(app, "supervisor", name="Sam Supervisor")
    supervising = visit_as(supervisor)
    page = supervising.page
    page.goto(f"/staff/cases/{case_id}")
    check(page, "case, received", t("Case %(number)s", number=tracking))
    page.locator(".intake-action--direct").get_by_role(
        "button", name=t("Claim this case"), exact=True
    ).click()
    page.wait_for_load_state()
    expect(page.locator("#case-status")).to_have_text(t("Triage"))
    page.get_by_label(starts_with(t("Internal note"))).fill("Called the jail; no answer yet.")
    page.get_by_role("button", name=t("Add note")).click()
    page.wait_for_load_state()
    check(page, "case, triage, with a note", t("Case %(number)s", number=tracking))
    form = open_action(page, "close")
    form.get_by_role("button", name=t("Close the case")).click()  # no closure reason
    page.wait_for_load_state()
    expect(page.locator("#action-close-form")).to_have_attribute("open", "")
    expect(page.locator("#action-close-form")).to_contain_text(t("Choose why the case is closed."))
    expect(page.locator("#case-status")).to_have_text(t("Triage"))
    accept_refusal(supervising, f"/staff/cases/{case_id}/actions/close", 400)
    check(page, "case, refused action", t("Case %(number)s", number=tracking))
    page.goto(f"/staff/cases/{case_id}/trail")
    check(page, "audit trail", t("Audit trail of case %(number)s", number=tracking))

    # Oversight analyst: the staff home page (no queue, no cases).
    analyst = make_user(app, "analyst", name="Ana Analyst")
    page = visit_as(analyst).page
    page.goto("/staff/")
    check(page, "staff home", t("Staff workspace"))

    assert found == {}, f"axe-core violations ({lang}):\n" + "\n".join(found.values())
    for v in visits:
        v.console.assert_clean()
