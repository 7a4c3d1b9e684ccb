"""Headers, cookies and configuration that every response and every start must respect."""

import pytest

from intake.config import ConfigError
from intake.factory import create_app
from tests.filing import VALID_ANSWERS, post_step


@pytest.mark.parametrize("path", ["/", "/file/filer", "/status/", "/nowhere"])
def test_every_page_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_templates_have_no_inline_script(client):
    for path in ["/", "/file/filer", "/file/incident", "/file/story", "/status/"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " on" + "click=" not in html


def test_session_cookie_is_http_only_and_same_site(client):
    response = post_step(client, "filer", VALID_ANSWERS["filer"])
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if "intake_session" in h)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # testing runs on plain http


def test_production_cookies_are_secure(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    for name in ("ACCESS_CODE_KEY", "RECORD_ID_KEY", "THROTTLE_KEY"):
        monkeypatch.setenv(name, name.lower() * 3)
    app = create_app({"INTAKE_ENV": "production", "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/")
    assert "Strict-Transport-Security" in response.headers


@pytest.mark.parametrize("secret", [None, "short"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, secret):
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"INTAKE_ENV": "production"})


def test_language_switch_never_redirects_off_site(client):
    for target in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        response = client.get("/language/es", query_string={"next": target})
        assert response.headers["Location"] == "/"
    response = client.get("/language/es", query_string={"next": "/file/filer"})
    assert response.headers["Location"] == "/file/filer"
    assert 'lang="es"' in client.get("/").get_data(as_text=True)


def test_typed_text_is_escaped_everywhere_it_is_shown(client):
    hostile = '<script>alert("x")</script>'
    answers = {**VALID_ANSWERS["filer"], "name": hostile}
    post_step(client, "filer", answers)
    for path in ["/file/filer", "/file/review"]:
        html = client.get(path).get_data(as_text=True)
        assert hostile not in html
