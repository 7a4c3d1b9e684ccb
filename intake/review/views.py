"""The case page and the workflow's actions. (Being built: issue 3.)"""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/staff/cases")
