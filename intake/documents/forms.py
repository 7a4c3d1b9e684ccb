"""Forms for letters and their wording, and for bulk exports."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from intake.forms import Form

from .letters import LANGUAGE_LABELS, LETTER_KIND_LABELS


class LetterForm(Form):
    kind = SelectField(
        _l("Letter"),
        choices=list(LETTER_KIND_LABELS.items()),
        validators=[InputRequired(_l("Choose a letter."))],
    )
    language = SelectField(
        _l("Language"),
        choices=list(LANGUAGE_LABELS.items()),
        validators=[InputRequired(_l("Choose a language."))],
        description=_l("The complainant's preferred language is chosen for you."),
    )


class WordingForm(Form):
    subject = StringField(_l("Subject"))
    body = TextAreaField(
        _l("Text"),
        description=_l(
            "Leave a blank line between paragraphs. Use the placeholders listed on this page."
        ),
    )


class ExportForm(Form):
    redacted = BooleanField(_l("Redacted copies (without the people's identities)"))
