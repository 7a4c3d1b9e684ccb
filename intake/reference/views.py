from flask import Blueprint, abort, jsonify

from . import lookups

bp = Blueprint("reference", __name__, url_prefix="/reference")


@bp.route("/counties/<state>")
def counties(state: str):
    """County options for one state: lets the form refresh its list without a page load."""
    if lookups.state_name(state) is None:
        abort(404)
    return jsonify(
        [{"fips": fips, "name": name} for fips, name in lookups.county_choices(state, "")[1:]]
    )
