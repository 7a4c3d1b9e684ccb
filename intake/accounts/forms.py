from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from intake.complaints.fields import MultiCheckboxField, strip

from .roles import ROLES


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Enter your email address."))],
        filters=[strip],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password."))]
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("6-digit code from your authenticator app"),
        validators=[DataRequired(message=_l("Enter the 6-digit code."))],
        filters=[strip],
    )


class AccountForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter an email address.")),
            Email(
                message=_l("Enter an email address like name@example.gov."),
                check_deliverability=False,
            ),
        ],
        filters=[strip],
    )
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter the person's name.")), Length(max=200)],
        filters=[strip],
    )
    roles = MultiCheckboxField(_l("Roles"), choices=list(ROLES.items()))
    active = BooleanField(_l("Account is active"), default=True)
