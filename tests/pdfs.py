"""Reading PDFs back for tests: text per page, metadata, attachments, and a page as a PNG."""

import io
import shutil
import subprocess
from pathlib import Path

import pypdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "test-output" / "pdf"


def reader(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-"), data[:40]
    return pypdf.PdfReader(io.BytesIO(data))


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(data).pages]


def text(data: bytes) -> str:
    """All the text, with line breaks and runs of spaces made single spaces."""
    return " ".join(" ".join(pages_text(data)).split())


def embedded_files(data: bytes) -> dict:
    pdf = reader(data)
    names = pdf.trailer["/Root"].get("/Names")
    found = dict(pdf.attachments)
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found["/EmbeddedFiles"] = True
    return found


def save_sample(data: bytes, name: str, page: int = 1) -> Path:
    """Keep one page as a PNG under test-output/pdf/ (not in the repository) to look at."""
    SAMPLES.mkdir(parents=True, exist_ok=True)
    pdf_path = SAMPLES / f"{name}.pdf"
    pdf_path.write_bytes(data)
    if shutil.which("pdftoppm") is None:
        return pdf_path
    prefix = SAMPLES / f"{name}-page{page}"
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(page), "-l", str(page),
         str(pdf_path), str(prefix)],
        check=True, timeout=60,
    )  # fmt: skip
    return prefix.with_suffix(".png")


# --- cases to render --------------------------------------------------------------------------


def complaint_id_for(app, tracking_number: str) -> int:
    from intake.complaints.models import Complaint
    from intake.extensions import db

    with app.app_context():
        return db.session.execute(
            db.select(Complaint.id).where(Complaint.tracking_number == tracking_number)
        ).scalar_one()


def work_case(
    app,
    complaint_id: int,
    supervisor_id: int,
    *,
    assignee_id: int | None = None,
    notes: list[str] = (),
    close: bool = True,
) -> None:
    """Take a case through the whole workflow as a supervisor: assigned, a question and its
    answer, notes, retained, findings, a recommendation, the agency's response, closed. The
    findings are approved by a second supervisor (separation of duties)."""
    from tests.staff import make_user

    approver_id = make_user(app, "supervisor", name="Approving Supervisor").id
    from intake.accounts.models import User
    from intake.complaints.models import Complaint
    from intake.extensions import db
    from intake.review import services
    from intake.review.workflow import apply_action

    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        supervisor = db.session.get(User, supervisor_id)
        assignee = db.session.get(User, assignee_id or supervisor_id)

        def act(name, actor=supervisor, **inputs):
            apply_action(complaint, name, actor, expected_version=complaint.version, **inputs)
            db.session.commit()

        act("assign", assignee=assignee)
        for body in notes:
            services.add_note(complaint, supervisor, body, expected_version=complaint.version)
            db.session.commit()
        act("request_information", message="Please send the booking record from the jail.")
        act("complainant_replied", None, message="I attached what the jail gave me.")
        act("retain")
        findings = dict(
            zip(
                [a.id for a in complaint.allegations],
                ["substantiated", "unable_to_determine", "unfounded", "not_substantiated"],
                strict=False,
            )
        )
        services.record_findings(
            complaint, supervisor, findings, expected_version=complaint.version
        )
        db.session.commit()
        recommendation = services.add_recommendation(
            complaint,
            supervisor,
            "Retrain booking staff on release dates.",
            expected_version=complaint.version,
        )
        db.session.commit()
        act("submit_findings")
        act("approve_findings", db.session.get(User, approver_id))
        services.record_agency_response(
            complaint,
            recommendation,
            supervisor,
            "partially_concur",
            "Training scheduled for March.",
            expected_version=complaint.version,
        )
        db.session.commit()
        if close:
            act("close", closure_reason="recommendations_resolved")
