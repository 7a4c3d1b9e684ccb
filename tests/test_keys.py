"""One key a job, and each one's rotation as the README describes it."""

import pytest

from intake.config import ConfigError, Settings
from intake.factory import create_app
from intake.keys import PURPOSE_KEYS, derived_key
from intake.oversight import open_data
from tests.conftest import _test_config
from tests.filing import ACCESS_RE, fill_all_steps, submit
from tests.staff import staff_client
from tests.test_status_lookup import look_up

OLD, NEW = "old-session-key-" + "o" * 40, "new-session-key-" + "n" * 40


def _app(database_url, **keys):
    return create_app(_test_config(database_url, **keys))


def test_outside_production_each_key_is_derived_and_differs_from_the_others(app):
    secret = app.config["SECRET_KEY"]
    values = [app.config[name] for name in PURPOSE_KEYS]
    assert values == [derived_key(secret, name) for name in PURPOSE_KEYS]
    assert len({secret, *values}) == 1 + len(PURPOSE_KEYS)


@pytest.mark.parametrize("missing", PURPOSE_KEYS)
def test_production_refuses_to_start_without_each_key(missing):
    given = {name: name.lower() * 3 for name in PURPOSE_KEYS if name != missing}
    with pytest.raises(ConfigError, match=missing):
        Settings.load({"INTAKE_ENV": "production", "SECRET_KEY": "s" * 40, **given})


def test_production_refuses_one_key_for_two_jobs():
    keys = {name: "k" * 40 for name in PURPOSE_KEYS}
    with pytest.raises(ConfigError, match="must all differ"):
        Settings.load({"INTAKE_ENV": "production", "SECRET_KEY": "s" * 40, **keys})


def test_a_rotated_session_key_keeps_staff_signed_in_while_it_is_a_fallback(app, database_url):
    before = _app(database_url, SECRET_KEY=OLD)
    staff = staff_client(before, "supervisor")
    assert staff.get("/staff/queue/").status_code == 200
    cookie = staff.get_cookie("intake_session").value

    def queue_with(app_after):
        client = app_after.test_client()
        client.set_cookie("intake_session", cookie)
        return client.get("/staff/queue/")

    rotated = _app(database_url, SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=OLD)
    assert queue_with(rotated).status_code == 200
    # Once the old key is dropped, its cookies are no session: sign in again.
    dropped = queue_with(_app(database_url, SECRET_KEY=NEW))
    assert dropped.status_code == 302 and "/staff/sign-in" in dropped.headers["Location"]


def test_a_rotated_access_code_key_keeps_every_given_code_working(app, database_url):
    before = _app(database_url, ACCESS_CODE_KEY="a" * 40)
    filer = before.test_client()
    fill_all_steps(filer)
    submit(filer)
    page = filer.get("/file/confirmation").get_data(as_text=True)
    code = ACCESS_RE.search(page).group(1)
    tracking = page.split('id="tracking-number">', 1)[1].split("<", 1)[0]

    after = _app(database_url, ACCESS_CODE_KEY="b" * 40)
    response = look_up(after.test_client(), tracking, code)
    assert response.status_code == 302  # into the status page
    # The confirmation page no longer shows the code: it would no longer be derived the same.
    same_filer = after.test_client()
    same_filer.set_cookie("intake_session", filer.get_cookie("intake_session").value)
    confirmation = same_filer.get("/file/confirmation").get_data(as_text=True)
    assert tracking in confirmation and code not in confirmation


def test_the_record_id_key_alone_decides_the_open_datas_record_ids(app, database_url):
    def ids(**keys):
        with _app(database_url, **keys).app_context():
            record_id = open_data.record_id_hasher()
            return [record_id(n) for n in (1, 2, 3)], open_data.shuffle_multiplier()

    key = "r" * 40
    assert ids(SECRET_KEY=OLD, RECORD_ID_KEY=key) == ids(SECRET_KEY=NEW, RECORD_ID_KEY=key)
    first, other = ids(RECORD_ID_KEY="r" * 40), ids(RECORD_ID_KEY="q" * 40)
    assert not set(first[0]) & set(other[0]) and first[1] != other[1]


def test_a_rotated_throttle_key_starts_the_counts_again(app, database_url):
    limited = {"LOOKUP_MAX_FAILURES": 2, "THROTTLE_KEY": "t" * 40}
    before = _app(database_url, **limited)
    visitor = before.test_client()
    for _ in range(2):
        look_up(visitor, "AAAAA-BBBBB", "wrong")
    assert look_up(visitor, "AAAAA-BBBBB", "wrong").status_code == 429
    after = _app(database_url, **{**limited, "THROTTLE_KEY": "u" * 40})
    assert look_up(after.test_client(), "AAAAA-BBBBB", "wrong").status_code == 200
