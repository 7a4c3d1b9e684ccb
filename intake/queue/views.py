"""The review queue. (Being built: issue 3.)"""

from flask import Blueprint

bp = Blueprint("queue", __name__, url_prefix="/staff/queue")
