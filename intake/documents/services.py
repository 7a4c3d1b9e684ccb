"""Adding and removing a draft's documents. Services flush; the view commits."""

import hashlib

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.datastructures import FileStorage

from intake.extensions import db

from .models import MAX_ATTACHMENT_BYTES, Attachment
from .sniffing import detect_type, safe_filename


def draft_attachments(draft_id: int) -> list[Attachment]:
    stmt = select(Attachment).where(Attachment.draft_id == draft_id).order_by(Attachment.id)
    return list(db.session.execute(stmt).scalars())


def add_to_draft(draft_id: int, files: list[FileStorage]) -> list[str]:
    """Store the acceptable files; return one message for each file refused, naming it."""
    max_count = current_app.config["ATTACHMENT_MAX_COUNT"]
    max_bytes = MAX_ATTACHMENT_BYTES
    count = db.session.execute(
        select(func.count()).select_from(Attachment).where(Attachment.draft_id == draft_id)
    ).scalar_one()
    errors = []
    for upload in files:
        if not upload or not upload.filename:
            continue
        name = safe_filename(upload.filename)
        if count >= max_count:
            errors.append(
                _(
                    "%(name)s was not added: you can add up to %(max)d files.",
                    name=name,
                    max=max_count,
                )
            )
            continue
        data = upload.stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            errors.append(_("%(name)s is larger than 10 MB. Choose a smaller file.", name=name))
            continue
        if not data:
            errors.append(_("%(name)s is empty.", name=name))
            continue
        content_type = detect_type(data)
        if content_type is None:
            errors.append(_("%(name)s is not a PDF, JPEG, PNG or plain text file.", name=name))
            continue
        db.session.add(
            Attachment(
                draft_id=draft_id,
                filename=name,
                content_type=content_type,
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                source="filer",
            )
        )
        count += 1
    db.session.flush()
    return errors


def remove_from_draft(draft_id: int, attachment_id: int) -> None:
    # Scoped to the draft: an id from the form cannot touch anyone else's file.
    db.session.execute(
        delete(Attachment).where(Attachment.id == attachment_id, Attachment.draft_id == draft_id)
    )
