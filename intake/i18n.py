"""Language choice: English or Spanish, remembered in the session, offered on every page."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    chosen = session.get("lang")
    if isinstance(chosen, str) and chosen in current_app.config["LANGUAGES"]:
        return chosen
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "en"


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never an open redirect.
    if not target:
        return url_for("pages.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("pages.home")
    return target


@bp.route("/language/<code>")
def choose(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))
