"""Staff sign-in (password, then TOTP; enrolment at first sign-in), sessions that really end,
throttling, safe redirects, account administration and the `flask accounts` commands."""

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import segno
from sqlalchemy import select, update

from intake.accounts import services
from intake.accounts.models import StaffSession, User
from intake.audit.models import AuditEvent
from intake.audit.services import verify_chain
from intake.database import utcnow
from intake.extensions import db
from intake.factory import create_app
from tests.conftest import _test_config, csrf_token
from tests.filing import error_messages
from tests.staff import PASSWORD, log_in, make_user, staff_client

SIGN_IN = "/staff/sign-in"
CODE = "/staff/sign-in/code"
ENROL = "/staff/sign-in/enrol"
GENERIC_FAILURE = "That email address and password do not match an active account."
WRONG_CODE = "That code is not right, or it was already used."
COOKIE = "intake_session"


# --- helpers --------------------------------------------------------------------------------


def token_for(client) -> str:
    # Any public page carries the session's CSRF token, without side effects.
    return csrf_token(client, "/status/")


def post_password(client, email, password, next_url=None):
    token = token_for(client)
    url = SIGN_IN if next_url is None else f"{SIGN_IN}?next={next_url}"
    return client.post(url, data={"csrf_token": token, "email": email, "password": password})


def post_code(client, code, url=CODE):
    token = token_for(client)
    return client.post(url, data={"csrf_token": token, "code": code})


def sign_in(client, staff, code=None, next_url=None):
    """Password then code, as a browser does; returns the response to the code."""
    response = post_password(client, staff.email, staff.password, next_url)
    assert response.status_code == 302 and response.headers["Location"] == CODE
    return post_code(client, code or staff.totp_now())


def is_signed_in(client) -> bool:
    response = client.get("/staff/accounts")
    if response.status_code == 302:
        assert response.headers["Location"].startswith(f"{SIGN_IN}?next=")
        return False
    assert response.status_code in (200, 403)
    return True


def session_cookie(client) -> str:
    return client.get_cookie(COOKIE).value


def client_with_cookie(app, value):
    copy = app.test_client()
    copy.set_cookie(COOKIE, value)
    return copy


def events(app, action=None):
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.seq)
        if action:
            query = query.where(AuditEvent.action == action)
        return [
            (event.action, event.actor_id, event.object_id, event.details)
            for event in db.session.execute(query).scalars()
        ]


def assert_no_personal_data_in_audit(app, *values):
    with app.app_context():
        for event in db.session.execute(select(AuditEvent)).scalars():
            text = json.dumps(event.details or {})
            assert "@" not in text, event.action
            for value in values:
                assert value.lower() not in text.lower(), (event.action, value)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)


def user_row(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


# --- signing in -----------------------------------------------------------------------------


def test_password_then_code_signs_in_and_returns_to_the_page_asked_for(app, client):
    admin = make_user(app, "administrator", name="Ada Admin")
    first = client.get("/staff/accounts")
    assert first.status_code == 302
    assert first.headers["Location"] == f"{SIGN_IN}?next=/staff/accounts"
    form = client.get(first.headers["Location"])
    assert 'action="/staff/sign-in?next=/staff/accounts"' in form.get_data(as_text=True)

    response = sign_in(client, admin, next_url="/staff/accounts")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/accounts"
    page = client.get("/staff/accounts")
    assert page.status_code == 200 and "Ada Admin" in page.get_data(as_text=True)
    # Signed in, the sign-in page sends you on instead of asking again.
    assert client.get(SIGN_IN).headers["Location"] == "/staff/"
    assert events(app, "auth.sign_in") == [("auth.sign_in", admin.id, admin.id, {"reason": "totp"})]
    assert_no_personal_data_in_audit(app, "Ada")


def test_the_code_step_cannot_be_skipped(app, client):
    admin = make_user(app, "administrator")
    assert post_password(client, admin.email, admin.password).status_code == 302
    # Password right, no code yet: nothing staff-only opens.
    assert not is_signed_in(client)
    # Without the password step, the code page sends you to sign in.
    stranger = app.test_client()
    assert stranger.get(CODE).headers["Location"] == SIGN_IN
    assert post_code(stranger, admin.totp_now()).headers["Location"] == SIGN_IN
    assert not is_signed_in(stranger)


def test_wrong_password_and_unknown_email_get_the_same_generic_message(app, client):
    staff = make_user(app, "intake_specialist")
    wrong_password = post_password(client, staff.email, "not the password")
    unknown_email = post_password(client, "nobody.here@example.gov", staff.password)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert GENERIC_FAILURE in page_text(response)
    # The typed email is kept; nothing says whether the account exists.
    assert f'value="{staff.email}"' in wrong_password.get_data(as_text=True)
    # CSRF tokens carry a timestamp: two renders a second apart differ there and only there.
    assert _without_tokens(page_text(wrong_password).replace(staff.email, "X")) == (
        _without_tokens(page_text(unknown_email).replace("nobody.here@example.gov", "X"))
    )
    failures = events(app, "auth.sign_in_failed")
    assert failures == [
        ("auth.sign_in_failed", staff.id, staff.id, {"reason": "password"}),
        ("auth.sign_in_failed", None, None, {"reason": "password"}),
    ]
    assert_no_personal_data_in_audit(app, "nobody.here")


def test_empty_fields_are_explained(client):
    token = csrf_token(client, SIGN_IN)
    response = client.post(SIGN_IN, data={"csrf_token": token, "email": "", "password": ""})
    messages = error_messages(response.get_data(as_text=True))
    assert "Enter your email address." in messages
    assert "Enter your password." in messages


def test_wrong_code_is_refused_and_audited(app, client):
    staff = make_user(app, "supervisor")
    response = post_password(client, staff.email, staff.password)
    assert response.headers["Location"] == CODE
    wrong = f"{(int(staff.totp_now()) + 1) % 1_000_000:06d}"
    refused = post_code(client, wrong)
    assert refused.status_code == 200
    assert WRONG_CODE in page_text(refused)
    assert not is_signed_in(client)
    assert events(app, "auth.sign_in_failed") == [
        ("auth.sign_in_failed", staff.id, staff.id, {"reason": "totp"})
    ]
    # The right code still works afterwards.
    assert post_code(client, staff.totp_now()).status_code == 302
    assert is_signed_in(client)


def test_a_code_is_good_once(app):
    staff = make_user(app, "supervisor")
    code = staff.totp_now()
    first = app.test_client()
    assert sign_in(first, staff, code=code).status_code == 302
    second = app.test_client()
    replayed = sign_in(second, staff, code=code)
    assert replayed.status_code == 200
    assert WRONG_CODE in page_text(replayed)
    assert not is_signed_in(second)


def test_a_code_posted_twice_at_once_is_accepted_once(app):
    """Two requests that both read the account before either saved the used code: the
    conditional update lets only the first through."""
    staff = make_user(app, "supervisor")
    code = staff.totp_now()
    stale = user_row(app, staff.id)  # what the slower request read
    with app.test_request_context(method="POST"):
        user = db.session.get(User, staff.id)
        assert services.verify_totp(user, code)
        db.session.commit()
    with app.test_request_context(method="POST"):
        assert stale.totp_last_step == 0
        assert not services.verify_totp(stale, code)
        db.session.rollback()


def test_throttling_per_account_refuses_even_the_right_password(app, client):
    staff = make_user(app, "investigator")
    other = make_user(app, "investigator")
    limit = app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert post_password(client, staff.email, "guess").status_code == 200
    blocked = post_password(client, staff.email, staff.password)
    assert blocked.status_code == 429
    text = page_text(blocked)
    assert "Too many tries" in text
    assert f"Wait {app.config['SIGNIN_WINDOW_MINUTES']} minutes" in text
    # From another address too: it is the account that is protected.
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert post_password(elsewhere, staff.email.upper(), staff.password).status_code == 429
    # Another account from the first address is not locked out by it.
    assert post_password(client, other.email, other.password).status_code == 302
    assert ("auth.sign_in_failed", staff.id, staff.id, {"reason": "throttled"}) in events(app)


def test_once_the_window_passes_the_account_can_sign_in(app, client):
    staff = make_user(app, "investigator")
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]):
        post_password(client, staff.email, "guess")
    assert post_password(client, staff.email, staff.password).status_code == 429
    with app.app_context():
        window = timedelta(minutes=app.config["SIGNIN_WINDOW_MINUTES"] + 1)
        db.session.execute(update(services.SignInAttempt).values(attempted_at=utcnow() - window))
        db.session.commit()
    assert post_password(client, staff.email, staff.password).status_code == 302


def test_a_successful_sign_in_forgives_the_accounts_earlier_failures(app, client):
    staff = make_user(app, "investigator")
    limit = app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit - 1):
        post_password(client, staff.email, "typo")
    assert sign_in(client, staff).status_code == 302
    later = app.test_client()
    for _ in range(limit - 1):
        assert post_password(later, staff.email, "typo").status_code == 200
    assert post_password(later, staff.email, staff.password).status_code == 302


def test_wrong_codes_are_throttled_too(app, client):
    staff = make_user(app, "investigator")
    post_password(client, staff.email, staff.password)
    wrong = f"{(int(staff.totp_now()) + 7) % 1_000_000:06d}"
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert post_code(client, wrong).status_code == 200
    blocked = post_code(client, staff.totp_now())
    assert blocked.status_code == 429
    assert "Too many tries" in page_text(blocked)
    assert not is_signed_in(client)


@pytest.mark.parametrize("app_config", [{"SIGNIN_MAX_FAILURES_PER_CLIENT": 3}])
def test_throttling_per_address_across_accounts(app, client):
    staff = make_user(app, "investigator")
    for n in range(3):
        assert post_password(client, f"guess{n}@example.gov", "guess").status_code == 200
    blocked = post_password(client, staff.email, staff.password)
    assert blocked.status_code == 429
    assert "Too many tries" in page_text(blocked)
    # The account itself is fine from another address.
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert post_password(elsewhere, staff.email, staff.password).status_code == 302
    assert_no_personal_data_in_audit(app, "guess0", "guess1")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/staff",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/%0d%0aLocation:%20https://evil.example",
    ],
)
def test_next_never_leads_off_the_site(app, client, target):
    staff = make_user(app, "analyst")
    response = sign_in(client, staff, next_url=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/staff/"
    assert urlsplit(location).netloc == ""


def test_next_keeps_a_path_with_its_query(app, client):
    staff = make_user(app, "analyst")
    response = sign_in(client, staff, next_url="/staff/accounts%3Fpage%3D2")
    assert response.headers["Location"] == "/staff/accounts?page=2"


# --- first sign-in: enrolment -------------------------------------------------------------


def test_first_sign_in_shows_qr_and_secret_then_confirms_a_code_and_a_new_password(app, client):
    new = make_user(app, "administrator", enrolled=False, name="Nia New")
    response = post_password(client, new.email, new.password)
    assert response.headers["Location"] == ENROL
    page = client.get(ENROL).get_data(as_text=True)
    with app.app_context():
        uri = services.totp_uri(db.session.get(User, new.id))
    assert "issuer=intake" in uri and "secret=" + new.totp_secret in uri
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=4)
    assert f'src="{qr}"' in page
    assert re.search(r'<img class="intake-qr" src="data:image/svg\+xml[^"]*" alt="QR code', page)
    groups = re.findall(r"<span>([A-Z2-7]{4})</span>", page.split('id="totp-secret"')[1])
    assert "".join(groups) == new.totp_secret and len(groups) == len(new.totp_secret) // 4
    assert not is_signed_in(client)

    wrong = post_code(client, "000000" if new.totp_now() != "000000" else "111111", ENROL)
    assert WRONG_CODE in page_text(wrong)
    confirmed = post_code(client, new.totp_now(), ENROL)
    assert confirmed.headers["Location"] == ENROL
    assert not is_signed_in(client)  # not until the password is chosen

    def choose(password, confirmation):
        token = token_for(client)
        data = {"csrf_token": token, "password": password, "confirmation": confirmation}
        return client.post(ENROL, data=data)

    assert "Use at least 12 characters." in error_messages(
        choose("short", "short").get_data(as_text=True)
    )
    assert any(
        "temporary password" in m
        for m in error_messages(choose(PASSWORD, PASSWORD).get_data(as_text=True))
    )
    assert "The two passwords do not match." in error_messages(
        choose("a brand new passphrase", "a brand new passphrase!").get_data(as_text=True)
    )
    done = choose("a brand new passphrase", "a brand new passphrase")
    assert done.status_code == 302 and done.headers["Location"] == "/staff/"
    assert is_signed_in(client)
    with app.app_context():
        assert db.session.get(User, new.id).totp_enrolled_at is not None
    assert (
        "account.enrolled",
        new.id,
        new.id,
        {"fields": ["password", "totp"], "roles": ["administrator"]},
    ) in events(app)

    # From now on: the temporary password is dead; the chosen one leads to the code step.
    later = app.test_client()
    assert GENERIC_FAILURE in page_text(post_password(later, new.email, PASSWORD))
    chosen = post_password(later, new.email, "a brand new passphrase")
    assert chosen.headers["Location"] == CODE
    assert_no_personal_data_in_audit(app, "Nia")


def test_an_enrolled_account_cannot_be_enrolled_again_and_vice_versa(app, client):
    enrolled = make_user(app, "supervisor")
    post_password(client, enrolled.email, enrolled.password)
    assert client.get(ENROL).headers["Location"] == SIGN_IN
    fresh = make_user(app, "supervisor", enrolled=False)
    other = app.test_client()
    post_password(other, fresh.email, fresh.password)
    assert other.get(CODE).headers["Location"] == SIGN_IN


# --- sessions that end --------------------------------------------------------------------


def test_sign_out_ends_the_session_on_the_server(app, client):
    staff = make_user(app, "supervisor")
    sign_in(client, staff)
    assert is_signed_in(client)
    cookie = session_cookie(client)
    token = csrf_token(client, "/staff/accounts")  # the staff header's sign-out form
    response = client.post("/staff/sign-out", data={"csrf_token": token})
    assert response.headers["Location"] == SIGN_IN
    assert "You are signed out." in page_text(client.get(SIGN_IN))
    assert not is_signed_in(client)
    # A copy of the cookie from before signing out is worth nothing now.
    copy = client_with_cookie(app, cookie)
    replay = copy.get("/staff/")
    assert replay.status_code == 302
    assert replay.headers["Location"].startswith(f"{SIGN_IN}?next=")
    with app.app_context():
        ended = db.session.execute(select(StaffSession.ended_at)).scalar_one()
        assert ended is not None
    assert [e[0] for e in events(app) if e[0].startswith("auth.")] == [
        "auth.sign_in",
        "auth.sign_out",
    ]


def test_sign_out_needs_the_csrf_token(app, client):
    staff = make_user(app, "supervisor")
    sign_in(client, staff)
    assert client.post("/staff/sign-out").status_code == 400
    assert is_signed_in(client)


def test_a_disabled_account_is_signed_out_everywhere_and_cannot_sign_in(app):
    admin = staff_client(app, "administrator")
    staff = make_user(app, "intake_specialist", name="Dee Disabled")
    browser = app.test_client()
    sign_in(browser, staff)
    assert browser.get("/staff/").status_code == 302  # to the queue: signed in
    copy = client_with_cookie(app, session_cookie(browser))

    token = csrf_token(admin, f"/staff/accounts/{staff.id}")
    response = admin.post(
        f"/staff/accounts/{staff.id}",
        data={"csrf_token": token, "name": "Dee Disabled", "roles": ["intake_specialist"]},
    )
    assert response.status_code == 302

    for each in (browser, copy):
        refused = each.get("/staff/")
        assert refused.headers["Location"].startswith(f"{SIGN_IN}?next=")
    again = post_password(app.test_client(), staff.email, staff.password)
    assert again.status_code == 200 and GENERIC_FAILURE in page_text(again)
    assert (
        "auth.sign_in_failed",
        staff.id,
        staff.id,
        {"reason": "inactive_account"},
    ) in events(app)
    assert (
        "account.updated",
        admin.staff.id,
        staff.id,
        {"fields": ["active"], "roles": ["intake_specialist"]},
    ) in events(app)


@pytest.mark.parametrize("app_config", [{"STAFF_IDLE_MINUTES": 1}])
def test_an_idle_session_ends(app, client):
    staff = make_user(app, "administrator")
    sign_in(client, staff)
    assert is_signed_in(client)
    cookie = session_cookie(client)
    with app.app_context():
        db.session.execute(
            update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=2))
        )
        db.session.commit()
    response = client.get("/staff/accounts")
    assert response.headers["Location"] == f"{SIGN_IN}?next=/staff/accounts"
    assert "Your session ended" in page_text(client.get(response.headers["Location"]))
    # Ended for good: fresh activity times do not bring it back.
    with app.app_context():
        db.session.execute(update(StaffSession).values(last_seen_at=utcnow()))
        db.session.commit()
    assert not is_signed_in(client_with_cookie(app, cookie))
    assert (
        "auth.session_ended",
        None,
        staff.id,
        {"reason": "idle"},
    ) in events(app)


def test_activity_keeps_a_session_alive(app, client):
    staff = make_user(app, "administrator")
    sign_in(client, staff)
    idle = app.config["STAFF_IDLE_MINUTES"]
    with app.app_context():
        db.session.execute(
            update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=idle - 1))
        )
        db.session.commit()
    assert is_signed_in(client)
    with app.app_context():
        seen = db.session.execute(select(StaffSession.last_seen_at)).scalar_one()
        assert utcnow() - seen < timedelta(minutes=1)


def test_a_form_posted_after_the_session_ended_says_so(app, client):
    response = client.post("/staff/accounts/new", data={"csrf_token": csrf_token(client, SIGN_IN)})
    assert response.status_code == 401
    text = page_text(response)
    assert "Your session has ended" in text and "Back button" in text


def test_a_half_done_sign_in_dies_with_a_credentials_reset(app, client):
    admin = staff_client(app, "administrator")
    staff = make_user(app, "supervisor")
    post_password(client, staff.email, staff.password)
    token = csrf_token(admin, f"/staff/accounts/{staff.id}")
    admin.post(f"/staff/accounts/{staff.id}/reset", data={"csrf_token": token})
    response = post_code(client, staff.totp_now())
    assert response.headers["Location"] == SIGN_IN
    assert "no longer valid" in page_text(client.get(SIGN_IN))


# --- account administration ---------------------------------------------------------------


def test_administrator_creates_an_account_and_sees_its_password_once(app):
    admin = staff_client(app, "administrator")
    token = csrf_token(admin, "/staff/accounts/new")
    response = admin.post(
        "/staff/accounts/new",
        data={
            "csrf_token": token,
            "email": "  Carla.Case@Example.gov ",
            "name": "Carla Case",
            "roles": ["intake_specialist", "supervisor"],
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    password = re.search(r'id="temporary-password">([^<]+)<', html).group(1)
    assert len(password) >= 12
    assert response.headers["Cache-Control"] == "no-store"
    listing = admin.get("/staff/accounts").get_data(as_text=True)
    assert "Carla Case" in listing and "carla.case@example.gov" in listing
    assert password not in listing
    with app.app_context():
        user = services.user_by_email("carla.case@example.gov")
        assert user.roles == {"intake_specialist", "supervisor"}
        assert user.created_by_id == admin.staff.id and user.totp_enrolled_at is None
        user_id = user.id
    assert (
        "account.created",
        admin.staff.id,
        user_id,
        {"fields": ["email", "name", "roles"], "roles": ["intake_specialist", "supervisor"]},
    ) in events(app)
    assert_no_personal_data_in_audit(app, "carla")
    # The temporary password leads to enrolment.
    newcomer = app.test_client()
    first = post_password(newcomer, "carla.case@example.gov", password)
    assert first.headers["Location"] == ENROL


def test_account_form_errors_are_next_to_their_fields(app):
    admin = staff_client(app, "administrator")
    existing = make_user(app, "analyst")
    token = csrf_token(admin, "/staff/accounts/new")
    bad = admin.post(
        "/staff/accounts/new",
        data={"csrf_token": token, "email": "not-an-email", "name": "Kept Name"},
    )
    messages = error_messages(bad.get_data(as_text=True))
    assert "Enter an email address like name@example.gov." in messages
    assert "Choose at least one role." in messages
    assert 'value="Kept Name"' in bad.get_data(as_text=True)
    duplicate = admin.post(
        "/staff/accounts/new",
        data={
            "csrf_token": token,
            "email": existing.email.upper(),
            "name": "Twin",
            "roles": ["analyst"],
        },
    )
    assert "An account with that email address already exists." in error_messages(
        duplicate.get_data(as_text=True)
    )
    unknown_role = admin.post(
        "/staff/accounts/new",
        data={"csrf_token": token, "email": "r@example.gov", "name": "R", "roles": ["root"]},
    )
    assert "Choose from the options shown." in error_messages(unknown_role.get_data(as_text=True))


def test_administrator_edits_name_roles_and_active(app):
    admin = staff_client(app, "administrator")
    staff = make_user(app, "analyst", name="Old Name")
    url = f"/staff/accounts/{staff.id}"
    form = admin.get(url).get_data(as_text=True)
    assert staff.email in form and 'value="Old Name"' in form
    token = csrf_token(admin, url)
    response = admin.post(
        url,
        data={
            "csrf_token": token,
            "name": "New Name",
            "roles": ["investigator", "analyst"],
            "active": "y",
            "email": "ignored@example.gov",  # the email is not changed here
        },
    )
    assert response.headers["Location"] == f"/staff/accounts?saved={staff.id}"
    assert "Changes to New Name" in page_text(admin.get(response.headers["Location"]))
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert (user.name, user.roles, user.active, user.email) == (
            "New Name",
            {"investigator", "analyst"},
            True,
            staff.email,
        )
        assert user.updated_by_id == admin.staff.id
    assert (
        "account.updated",
        admin.staff.id,
        staff.id,
        {"fields": ["name", "roles"], "roles": ["analyst", "investigator"]},
    ) in events(app)
    assert_no_personal_data_in_audit(app, "New Name", "Old Name")


def test_administrator_cannot_disable_themselves_or_drop_their_own_admin_role(app):
    admin = staff_client(app, "administrator", name="Only Admin")
    url = f"/staff/accounts/{admin.staff.id}"
    token = csrf_token(admin, url)
    disable = admin.post(
        url, data={"csrf_token": token, "name": "Only Admin", "roles": ["administrator"]}
    )
    assert disable.status_code == 200
    assert "You cannot disable your own account." in error_messages(disable.get_data(as_text=True))
    demote = admin.post(
        url, data={"csrf_token": token, "name": "Only Admin", "roles": ["analyst"], "active": "y"}
    )
    assert "You cannot remove your own administrator role." in error_messages(
        demote.get_data(as_text=True)
    )
    with app.app_context():
        user = db.session.get(User, admin.staff.id)
        assert user.active and user.roles == {"administrator"}
    assert is_signed_in(admin)
    assert events(app, "account.updated") == []


def test_reset_gives_a_new_password_and_secret_and_ends_sessions(app):
    admin = staff_client(app, "administrator")
    staff = make_user(app, "investigator", name="Rey Reset")
    browser = app.test_client()
    sign_in(browser, staff)
    token = csrf_token(admin, f"/staff/accounts/{staff.id}")
    response = admin.post(f"/staff/accounts/{staff.id}/reset", data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert "Sign-in reset for Rey Reset" in html
    password = re.search(r'id="temporary-password">([^<]+)<', html).group(1)
    assert not is_signed_in(browser)
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert user.totp_secret != staff.totp_secret and user.totp_enrolled_at is None
    assert GENERIC_FAILURE in page_text(post_password(app.test_client(), staff.email, PASSWORD))
    assert post_password(app.test_client(), staff.email, password).headers["Location"] == ENROL
    assert (
        "account.credentials_reset",
        admin.staff.id,
        staff.id,
        {"fields": ["password", "totp"], "roles": ["investigator"]},
    ) in events(app)


@pytest.mark.parametrize("role", ["intake_specialist", "investigator", "supervisor", "analyst"])
def test_only_administrators_manage_accounts(app, role):
    someone = make_user(app, "analyst")
    client = staff_client(app, role)
    token = csrf_token(client, "/status/")
    assert client.get("/staff/accounts").status_code == 403
    assert client.get("/staff/accounts/new").status_code == 403
    assert client.get(f"/staff/accounts/{someone.id}").status_code == 403
    new = {"csrf_token": token, "email": "x@example.gov", "name": "X", "roles": ["administrator"]}
    assert client.post("/staff/accounts/new", data=new).status_code == 403
    edit = {"csrf_token": token, "name": "X", "roles": ["administrator"], "active": "y"}
    assert client.post(f"/staff/accounts/{someone.id}", data=edit).status_code == 403
    reset = client.post(f"/staff/accounts/{someone.id}/reset", data={"csrf_token": token})
    assert reset.status_code == 403
    with app.app_context():
        assert services.user_by_email("x@example.gov") is None
        assert db.session.get(User, someone.id).roles == {"analyst"}
    assert events(app, "account.updated") == events(app, "account.credentials_reset") == []


def test_an_unknown_account_is_404(app):
    admin = staff_client(app, "administrator")
    assert admin.get("/staff/accounts/999999").status_code == 404


# --- the staff header ---------------------------------------------------------------------


def test_staff_header_shows_what_each_role_may_use(app, client):
    public = page_text(client.get("/"))
    assert "Sign out" not in public and 'aria-label="Staff"' not in public

    admin = staff_client(app, "administrator", name="Ada Admin")
    page = page_text(admin.get("/staff/accounts"))
    assert 'aria-label="Staff"' in page and "Ada Admin" in page
    assert 'href="/staff/accounts" aria-current="page">Accounts<' in page
    assert 'action="/staff/sign-out"' in page
    assert "New complaint" not in page and ">Queue<" not in page

    specialist = staff_client(app, "intake_specialist")
    page = page_text(specialist.get("/"))
    assert 'href="/staff/queue/"' in page and 'href="/staff/complaints/new"' in page
    assert ">Accounts<" not in page

    analyst = staff_client(app, "analyst", name="Ana Analyst")
    home = analyst.get("/staff/")
    assert home.status_code == 200
    page = page_text(home)
    assert "Oversight analyst" in page and "Ana Analyst" in page
    assert 'href="/staff/queue/"' not in page and "New complaint" not in page


def test_staff_home_sends_each_role_to_its_work(app):
    assert staff_client(app, "supervisor").get("/staff/").headers["Location"] == "/staff/queue/"
    admin = staff_client(app, "administrator")
    assert admin.get("/staff/").headers["Location"] == "/staff/accounts"


# --- the command line -----------------------------------------------------------------------


def test_create_admin_command(app, runner):
    result = runner.invoke(
        args=["accounts", "create-admin", "--email", "Root.Admin@Example.gov", "--name", "Root"]
    )
    assert result.exit_code == 0, result.output
    password = re.search(r"Temporary password: (\S+)", result.output).group(1)
    with app.app_context():
        user = services.user_by_email("root.admin@example.gov")
        assert user.roles == {"administrator"} and user.totp_enrolled_at is None
    assert events(app, "account.created")[0][1:3] == (None, user.id)
    client = app.test_client()
    assert post_password(client, "root.admin@example.gov", password).headers["Location"] == ENROL

    again = runner.invoke(
        args=["accounts", "create-admin", "--email", "root.admin@example.gov", "--name", "R"]
    )
    assert again.exit_code != 0 and "already exists" in again.output
    bad = runner.invoke(args=["accounts", "create-admin", "--email", "nope", "--name", "R"])
    assert bad.exit_code != 0 and "not a valid email address" in bad.output


@pytest.mark.parametrize("command", [["dev-user"], ["totp-code"]])
def test_development_commands_refuse_outside_development(app, runner, command):
    result = runner.invoke(args=["accounts", *command])
    assert result.exit_code != 0
    assert "only in the development configuration" in result.output
    with app.app_context():
        assert services.user_by_email("staff@example.gov") is None


@pytest.mark.parametrize("app_config", [{"INTAKE_ENV": "development"}])
def test_dev_user_prints_everything_needed_to_sign_in(app, runner):
    result = runner.invoke(args=["accounts", "dev-user", "--port", "5123"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "http://127.0.0.1:5123/staff/sign-in" in out
    email = re.search(r"email\s+(\S+)", out).group(1)
    password = re.search(r"password\s+(\S+)", out).group(1)
    assert ".venv/bin/flask --app app accounts totp-code" in out
    with app.app_context():
        user = services.user_by_email(email)
        secret = user.totp_secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in out

    # The printed instructions work, twice in a row (the second code is the next one).
    for _ in range(2):
        code = runner.invoke(args=["accounts", "totp-code"])
        assert code.exit_code == 0
        client = app.test_client()
        response = post_password(client, email, password)
        assert response.headers["Location"] == CODE
        assert post_code(client, code.stdout.strip()).status_code == 302
        assert client.get("/staff/").headers["Location"] == "/staff/queue/"

    # Running it again (every `make run`) repairs the account instead of failing.
    with app.app_context():
        user = services.user_by_email(email)
        user.active = False
        user.set_roles(["analyst"])
        user.password_hash = services.hash_password("changed by someone")
        db.session.commit()
    assert runner.invoke(args=["accounts", "dev-user"]).exit_code == 0
    client = app.test_client()
    assert post_password(client, email, password).headers["Location"] == CODE
    with app.app_context():
        assert len(services.user_by_email(email).roles) == 5


def test_the_audit_chain_holds_after_sign_ins_and_account_changes(app):
    admin = staff_client(app, "administrator")
    staff = make_user(app, "investigator")
    sign_in(app.test_client(), staff)
    post_password(app.test_client(), staff.email, "wrong")
    token = csrf_token(admin, f"/staff/accounts/{staff.id}")
    admin.post(f"/staff/accounts/{staff.id}/reset", data={"csrf_token": token})
    with app.app_context():
        assert verify_chain().ok


def test_log_in_helper_matches_the_real_thing(app):
    """tests/staff.py's shortcut gives the same kind of session the sign-in pages give."""
    staff = make_user(app, "administrator")
    client = app.test_client()
    log_in(app, client, staff)
    assert is_signed_in(client)


def test_a_password_hashed_at_a_lower_cost_is_hashed_again_at_sign_in(app, database_url):
    staff = make_user(app, "supervisor")
    stronger = create_app(_test_config(database_url, ARGON2_TIME_COST=2, ARGON2_MEMORY_KIB=2048))
    with stronger.app_context():
        user = db.session.get(User, staff.id)
        assert "t=1," in user.password_hash and "m=1024," in user.password_hash
        assert not services.check_password(user, "not the password")
        assert "t=1," in user.password_hash  # a wrong password changes nothing
        assert services.check_password(user, staff.password)
        db.session.commit()
    with stronger.app_context():
        user = db.session.get(User, staff.id)
        assert "t=2," in user.password_hash and "m=2048," in user.password_hash
        assert services.check_password(user, staff.password)
