from flask import Blueprint

# One blueprint for the oversight section; each feature module adds its routes to it
# (dashboard, program oversight and the registry, the periodic report, open data).
bp = Blueprint("oversight", __name__, url_prefix="/staff/oversight")
