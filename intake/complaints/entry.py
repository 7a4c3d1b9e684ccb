"""Complaints entered by staff from mail, email, fax or phone. (Being built: issue 3.)"""

from flask import Blueprint

bp = Blueprint("entry", __name__, url_prefix="/staff/complaints")
