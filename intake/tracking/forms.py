from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from intake.complaints.fields import strip


class StatusLookupForm(FlaskForm):
    tracking_number = StringField(
        _l("Tracking number"),
        description=_l("It looks like 7KQ4M-9XPT3."),
        validators=[DataRequired(message=_l("Enter your tracking number."))],
        filters=[strip],
    )
    access_code = StringField(
        _l("Access code"),
        description=_l("The code you were given when you filed, like ABCD-EFGH-JKMN-PQRS."),
        validators=[DataRequired(message=_l("Enter your access code."))],
        filters=[strip],
    )
