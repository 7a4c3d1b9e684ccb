"""Headers every response carries, ids in URLs that fit the database, and text that cannot
reorder what is shown around it."""

from flask import Flask, request
from werkzeug.routing import IntegerConverter

# Every id column is a 32-bit integer on both databases: a larger number in a URL is no record.
MAX_ID = 2**31 - 1

# Bidirectional embedding, override and isolate controls. Typed into an answer they would
# reorder what a reader sees (a name, a date, a tracking number); shown as their code instead.
_BIDI_CONTROLS = {
    code: f"[U+{code:04X}]" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: 0 to MAX_ID, anything else is not found."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def visible_bidi_controls(value):
    """Jinja's finalize: every printed value shows bidirectional controls as their codes."""
    if isinstance(value, str) and not value.isascii():
        return value.translate(_BIDI_CONTROLS)  # Markup's translate keeps it Markup
    return value


def init_url_converters(app: Flask) -> None:
    """Before any route is added: their converters are taken when they are."""
    app.url_map.converters["int"] = IdConverter


CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    app.jinja_env.finalize = visible_bidi_controls

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if request.endpoint != "static":
            # Pages may show a complainant's data: never keep them in a shared cache
            # or the browser's back-forward history on a shared computer.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response
