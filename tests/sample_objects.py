"""One of each object a URL can name, for tests that walk every route."""

import hashlib
from datetime import date, timedelta

from sqlalchemy import select

from intake.attachments.models import Attachment
from intake.complaints.models import Complaint
from intake.database import utcnow
from intake.demo.generator import generate_complaints
from intake.documents.models import CaseLetter, DocumentExport
from intake.extensions import db
from intake.oversight.models import Jurisdiction
from intake.review.models import Recommendation
from tests.staff import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_sample_objects(app) -> dict:
    target = make_user(app, "investigator", name="Target Account")
    author = make_user(app, "supervisor", name="Sample Author")
    with app.app_context():
        generate_complaints(2, seed=7)
        complaint, other = (
            db.session.execute(select(Complaint).order_by(Complaint.id)).scalars().all()
        )
        attachment = Attachment(
            complaint_id=complaint.id,
            filename="statement.pdf",
            content_type="application/pdf",
            size_bytes=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
            source="filer",
            data=PDF,
        )
        recommendation = Recommendation(
            complaint_id=complaint.id, body="Retrain the unit.", created_by_id=author.id
        )
        letter = CaseLetter(
            complaint_id=complaint.id,
            kind="acknowledgment",
            language="en",
            subject="We received your complaint",
            body="Thank you.",
            size_bytes=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
            created_by_id=author.id,
            pdf=PDF,
        )
        export = DocumentExport(
            requested_by_id=author.id,
            status="done",
            complaint_ids=[complaint.id],
            total=1,
            done=1,
            expires_at=utcnow() + timedelta(hours=1),
        )
        jurisdiction = Jurisdiction(
            county_fips="48479",
            name="Webb County",
            program="Secure Communities",
            activation_date=date(2009, 6, 16),
            date_precision="day",
        )
        db.session.add_all([attachment, recommendation, letter, export, jurisdiction])
        db.session.commit()
        ids = {
            "complaint": complaint.id,
            "other_complaint": other.id,
            "attachment": attachment.id,
            "recommendation": recommendation.id,
            "letter": letter.id,
            "export": export.id,
            "jurisdiction": jurisdiction.id,
        }
    return {
        "ids": ids,
        "url_values": {
            "complaint_id": ids["complaint"],
            "attachment_id": ids["attachment"],
            "recommendation_id": ids["recommendation"],
            "user_id": target.id,
            "step": "filer",
            "code": "es",
            "state": "TX",
            "filename": "css/app.css",
            "action": "claim",
            "letter_id": ids["letter"],
            "export_id": ids["export"],
            "kind": "closure",
            "language": "es",
            "jurisdiction_id": ids["jurisdiction"],
        },
        # Posted with every POST: enough for the forms to get past CSRF; content is not needed
        # to tell an access refusal from a validation message.
        "form_data": {},
    }
