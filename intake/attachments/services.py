"""Adding and removing a draft's documents. Services flush; the view commits."""

import hashlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.datastructures import FileStorage

from intake.extensions import db

from .models import MAX_ATTACHMENT_BYTES, Attachment
from .sniffing import detect_type, name_for_type, safe_filename


def draft_attachments(draft_id: int) -> list[Attachment]:
    stmt = select(Attachment).where(Attachment.draft_id == draft_id).order_by(Attachment.id)
    return list(db.session.execute(stmt).scalars())


def add_to_draft(draft_id: int, files: list[FileStorage]) -> list[str]:
    """Store the acceptable files; return one message for each file refused, naming it."""
    max_count = current_app.config["ATTACHMENT_MAX_COUNT"]
    count = db.session.execute(
        select(func.count()).select_from(Attachment).where(Attachment.draft_id == draft_id)
    ).scalar_one()
    errors = []
    for upload in chosen(files):
        if count >= max_count:
            errors.append(
                _(
                    "%(name)s was not added: you can add up to %(max)d files.",
                    name=safe_filename(upload.filename),
                    max=max_count,
                )
            )
            continue
        try:
            checked = check_upload(upload)
        except FileRefused as refused:
            errors.append(refused.message)
            continue
        db.session.add(new_attachment(checked, draft_id=draft_id, source="filer"))
        count += 1
    db.session.flush()
    return errors


def remove_from_draft(draft_id: int, attachment_id: int) -> None:
    # Scoped to the draft: an id from the form cannot touch anyone else's file.
    db.session.execute(
        delete(Attachment).where(Attachment.id == attachment_id, Attachment.draft_id == draft_id)
    )


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file that passed the checks: safe name, type from its bytes, the bytes."""

    filename: str
    content_type: str
    data: bytes


class FileRefused(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def chosen(files: list[FileStorage]) -> list[FileStorage]:
    """The file inputs a person actually used (an empty input still sends a nameless part)."""
    return [upload for upload in files if upload and upload.filename]


def check_upload(upload: FileStorage) -> CheckedFile:
    """Read one upload within the size limit and type it; FileRefused names what is wrong."""
    name = safe_filename(upload.filename)
    data = upload.stream.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise FileRefused(_("%(name)s is larger than 10 MB. Choose a smaller file.", name=name))
    if not data:
        raise FileRefused(_("%(name)s is empty.", name=name))
    content_type = detect_type(data)
    if content_type is None:
        raise FileRefused(_("%(name)s is not a PDF, JPEG, PNG or plain text file.", name=name))
    return CheckedFile(name_for_type(name, content_type), content_type, data)


def check_uploads(files: list[FileStorage]) -> tuple[list[CheckedFile], list[str]]:
    """All-or-nothing uploads (a reply, a staff-entered original): the files and the refusals."""
    uploads = chosen(files)
    max_count = current_app.config["ATTACHMENT_MAX_COUNT"]
    if len(uploads) > max_count:
        return [], [_("Choose up to %(max)d files.", max=max_count)]
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except FileRefused as refused:
            errors.append(refused.message)
    return checked, errors


def new_attachment(checked: CheckedFile, **owner_and_source) -> Attachment:
    """An Attachment row for a checked file; the caller says whose it is and where it came from."""
    return Attachment(
        filename=checked.filename,
        content_type=checked.content_type,
        size_bytes=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        data=checked.data,
        **owner_and_source,
    )
