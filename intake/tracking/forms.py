from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from intake.forms import Form, strip


class StatusLookupForm(Form):
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


class ReceiptCodeForm(Form):
    """The access code typed again on the status page, to have it printed on the receipt:
    the office keeps only its hash, so nothing else could put it there."""

    access_code = StringField(
        _l("Access code"),
        description=_l(
            "We keep no copy of your access code that we can read. Type it here to have it"
            " printed on the receipt."
        ),
        validators=[DataRequired(message=_l("Enter your access code."))],
        filters=[strip],
    )


REPLY_MAX_CHARS = 10_000


def one_kind_of_newline(value):
    # Browsers send CRLF; count and keep a line break as one character, as it is shown.
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class ReplyForm(Form):
    """The complainant's answer to a request for information, with optional documents."""

    body = TextAreaField(
        _l("Your answer"),
        description=_l("Answer our questions in your own words. Up to 10,000 characters."),
        validators=[
            DataRequired(message=_l("Write your answer before you send it.")),
            Length(
                max=REPLY_MAX_CHARS,
                message=_l(
                    "Your answer is too long: use 10,000 characters or fewer."
                    " You can attach a document with the rest."
                ),
            ),
        ],
        filters=[one_kind_of_newline, strip],
    )
    documents = MultipleFileField(
        _l("Add documents (optional)"),
        description=_l(
            "Up to 5 files, 10 MB each: PDF, JPEG, PNG or plain text. Photos of papers you"
            " were given are helpful."
        ),
    )
    # The case's version when the page was shown: a reply to a case the office changed
    # meanwhile is refused with an explanation instead of answering a question no longer asked.
    version = HiddenField()
