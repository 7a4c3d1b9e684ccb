from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from intake.forms import Form, MultiCheckboxField, strip

from .roles import ROLES


class SignInForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Enter your email address."))],
        filters=[strip],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password."))]
    )


class CodeForm(Form):
    code = StringField(
        _l("6-digit code from your authenticator app"),
        validators=[DataRequired(message=_l("Enter the 6-digit code."))],
        filters=[strip],
    )


class NewPasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A few unrelated words are easy to remember."),
        validators=[
            DataRequired(message=_l("Enter a new password.")),
            Length(max=200, message=_l("Use %(max)d characters or fewer.", max=200)),
        ],
    )
    confirmation = PasswordField(
        _l("New password again"),
        validators=[DataRequired(message=_l("Enter the new password again."))],
    )


class AccountForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter an email address.")),
            Email(
                message=_l("Enter an email address like name@example.gov."),
                check_deliverability=False,
            ),
            Length(max=254, message=_l("Use %(max)d characters or fewer.", max=254)),
        ],
        filters=[strip],
    )
    name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(message=_l("Enter the person's name.")),
            Length(max=200, message=_l("Use %(max)d characters or fewer.", max=200)),
        ],
        filters=[strip],
    )
    roles = MultiCheckboxField(
        _l("Roles"),
        description=_l("Choose every role this person needs."),
        choices=list(ROLES.items()),
        validators=[DataRequired(message=_l("Choose at least one role."))],
    )
    active = BooleanField(
        _l("Account is active"),
        description=_l("A disabled account cannot sign in, and its open sessions end at once."),
        default=True,
    )
