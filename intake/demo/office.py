"""The office at work: demo staff, and each generated case worked to its status.

With staff to act, a case past "received" gets the history the review workflow would have
written to reach its status: claimed by an intake specialist, perhaps a request for
information and the complainant's reply, offered to the Inspector General, referred or
retained and assigned to an investigator, findings recorded and submitted, recommendations
issued and answered by the agency, closed with a reason. Each step is an audit event like the
one the workflow or the review services write (same action names and details), dated between
the filing and the case's last change; findings, recommendations, agency answers and messages
are rows like the ones those steps create. Without a supervisor, cases keep only their status
and an assignee whose role fits it, if there is one (triage statuses to intake specialists,
casework to investigators, 80% of closed cases).
"""

import random
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from intake.accounts import services as accounts
from intake.accounts.models import User, UserRole
from intake.accounts.roles import CASE_ROLES
from intake.extensions import db
from intake.reference.categories import AGENCIES, CLOSURE_REASONS

from .data import Corpus
from .rand import Choice

# (role, how many) of the demo staff made for an office that has none.
DEMO_STAFF = (("supervisor", 1), ("intake_specialist", 2), ("investigator", 3))
DEMO_STAFF_DOMAIN = "example.org"

# How closed cases ended; "duplicate" needs an original, so it is not generated.
CLOSURE_WEIGHTS = {
    "recommendations_resolved": 30,
    "no_violation": 20,
    "investigated_by_oig": 8,
    "referred_elsewhere": 10,
    "no_jurisdiction": 10,
    "insufficient_information": 14,
    "withdrawn": 8,
}
TRIAGE_STATUSES = ("triage", "awaiting_information", "oig_review")
UNSTAFFED_ASSIGNED_CLOSED = 0.8
UNSTAFFED_CLOSURE_REASONS = [code for code in CLOSURE_REASONS if code != "duplicate"]
NO_VIOLATION_FINDINGS = {"not_substantiated": 5, "unfounded": 3, "unable_to_determine": 2}
ANY_FINDING = {"substantiated": 4, **NO_VIOLATION_FINDINGS, "no_jurisdiction": 1}
RESPONSE_WEIGHTS = {"concur": 6, "partially_concur": 3, "non_concur": 1}
OFFICE_HOURS_UTC = [14 + hour % 9 for hour in range(24)]  # any hour -> one in 14..22
ASKED_FOR_INFORMATION = 0.3  # share of investigated cases that went through a request first


def ensure_demo_staff(data: Corpus) -> list[User]:
    """A handful of staff accounts, if the office has no active case staff: make run's demo.

    Their passwords are random and never shown: nobody signs in as them (the development
    account does); they are who the demo cases are assigned to.
    """
    existing = db.session.execute(
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active, UserRole.role.in_(CASE_ROLES))
        .limit(1)
    ).first()
    if existing:
        return []
    rng = random.Random(len(DEMO_STAFF))  # the same names every time
    made: list[User] = []
    for role, count in DEMO_STAFF:
        for _ in range(count):
            group = "hispanic" if rng.random() < 0.5 else "anglo"
            males, females, surnames = data.names[group]
            first = rng.choice(males if rng.random() < 0.5 else females)
            last = rng.choice(surnames)
            email = f"demo.{role.replace('_', '-')}.{len(made) + 1}@{DEMO_STAFF_DOMAIN}"
            password = secrets.token_urlsafe(24)
            made.append(accounts.create_user(email, f"{first} {last}", (role,), None, password))
    return made


class Office:
    """Works generated cases to their status (see the module docstring)."""

    def __init__(self, rng: random.Random, data: Corpus, staff: dict[str, list[int]], now):
        self.rng, self.office, self.now = rng, data.office, now
        supervisors = staff.get("supervisor", [])
        self.intake = staff.get("intake_specialist", []) + supervisors
        self.casework = staff.get("investigator", []) + supervisors
        self.supervisors = supervisors
        # Only a supervisor may retain, refer, approve and close: without one, no history.
        self.staffed = bool(supervisors)
        self.closure = Choice(CLOSURE_WEIGHTS)
        self.any_finding = Choice(ANY_FINDING)
        self.no_violation = Choice(NO_VIOLATION_FINDINGS)
        self.response = Choice(RESPONSE_WEIGHTS)

    def work(self, c: dict) -> None:
        """Bring case ``c`` (ComplaintMaker.values()) to its status; adds ``recommendations``,
        ``messages`` and ``history`` (the audit events after the filing) to it."""
        rng = self.rng
        c["recommendations"], c["messages"], c["history"] = [], [], []
        status, start = c["status"], c["submitted_at"]
        if self.staffed and c["channel"] != "web":
            # Mail, email, fax and phone complaints are typed in by intake staff.
            c["created_by_id"] = self.staff_for(self.intake)
        if status == "received":
            return
        age = int((self.now - start).total_seconds())
        end = min(start + timedelta(seconds=rng.randint(3600, max(3600, age))), self.now)
        if not self.staffed:
            self._unstaffed(c, end)
            return
        steps = _Steps(self, c)
        steps.to_status(status)
        steps.date(start, end)

    def _unstaffed(self, c: dict, end: datetime) -> None:
        """Only the status, and an assignee from whatever staff there is whose role fits."""
        rng, status = self.rng, c["status"]
        c["updated_at"] = c["status_changed_at"] = end
        if status == "closed":
            c["closure_reason"] = rng.choice(UNSTAFFED_CLOSURE_REASONS)
            if rng.random() >= UNSTAFFED_ASSIGNED_CLOSED:
                return
        pool = self.intake if status in TRIAGE_STATUSES else (self.casework or self.intake)
        c["assignee_id"] = rng.choice(pool) if pool else None

    def staff_for(self, pool: list[int]) -> int:
        return self.rng.choice(pool)


class _Steps:
    """The steps of one case, in order; dated once all are known."""

    def __init__(self, office: Office, c: dict):
        self.office, self.rng, self.c = office, office.rng, c
        self.status = "received"
        self.events: list[dict] = []  # each with "_at" for the dating, "_status" if it moved
        self.dated: list = []  # rows to date with their step: (row, key, event index)

    def _event(self, action: str, actor_id: int | None, details: dict, moves_to=None) -> dict:
        event = {
            "action": action,
            "actor_type": "public" if actor_id is None else "staff",
            "actor_id": actor_id,
            "object_type": "complaint",
            "details": details,
        }
        if moves_to is not None:
            details.update({"from": self.status, "to": moves_to})
            event["_moved"] = moves_to != self.status
            self.status = moves_to
        self.events.append(event)
        return event

    def _message(self, direction: str, section: str, sent_by: int | None) -> int:
        lang = self.c["language"]
        body = self.rng.choice(self.office.office[f"{section}.{lang}"])
        row = {"direction": direction, "body": body, "sent_by_id": sent_by}
        self.c["messages"].append(row)
        self.dated.append((row, ("created_at",), len(self.events)))
        return len(self.c["messages"]) - 1

    # -- the workflow's steps ----------------------------------------------------------------

    def claim(self) -> None:
        self.intake_id = self.office.staff_for(self.office.intake)
        self.c["assignee_id"] = self.intake_id
        self._event("case.claim", self.intake_id, {"assignee_id": self.intake_id}, "triage")

    def request_information(self, replied: bool) -> None:
        index = self._message("to_complainant", "request_information", self.intake_id)
        event = self._event("case.request_information", self.intake_id, {}, "awaiting_information")
        event["_message"] = index
        if replied:
            index = self._message("from_complainant", "reply", None)
            event = self._event("case.complainant_replied", None, {}, "triage")
            event["_message"] = index

    def offer_to_oig(self, accepted: bool) -> None:
        self._event("case.offer_to_oig", self.intake_id, {}, "oig_review")
        if accepted:
            self.c["closure_reason"] = "investigated_by_oig"
            details = {"closure_reason": "investigated_by_oig"}
            self._event("case.oig_accepted", self.intake_id, details, "closed")

    def investigate(self, referred: bool) -> None:
        office, c = self.office, self.c
        supervisor = office.staff_for(office.supervisors)
        if referred:
            agency = next((a for a in c["agencies"] if a in AGENCIES and a != "not_sure"), "ice")
            c["referral_agency"] = agency
            details = {"referral_agency": agency}
            self._event("case.refer_to_component", supervisor, details, "component_referral")
        else:
            self._event("case.retain", supervisor, {}, "investigation")
        self.investigator = office.staff_for(office.casework)
        c["assignee_id"] = self.investigator
        details = {"assignee_id": self.investigator}
        self._event("case.assign", supervisor, details, self.status)
        self.supervisor = supervisor

    def record_findings(self, violation: bool) -> None:
        rng, allegations = self.rng, self.c["allegations"]
        pick = self.office.any_finding if violation else self.office.no_violation
        findings = [pick.pick(rng) for _ in allegations]
        if violation and "substantiated" not in findings:
            findings[rng.randint(0, len(findings) - 1)] = "substantiated"
        event_index = len(self.events)
        for allegation, finding in zip(allegations, findings, strict=True):
            allegation.update(finding=finding, finding_by_id=self.investigator)
            self.dated.append((allegation, ("finding_at",), event_index))
        details = {"findings": findings, "fields": ["finding"]}
        self._event("case.findings.recorded", self.investigator, details)["_allegations"] = True

    def recommend(self) -> None:
        for _ in range(1 + int(self.rng.random() ** 2 * 3)):
            body = self.rng.choice(self.office.office["recommendation"])
            row = {
                "body": body,
                "agency_response": None,
                "response_notes": None,
                "response_recorded_at": None,
                "response_recorded_by_id": None,
                "created_by_id": self.investigator,
                "updated_by_id": self.investigator,
            }
            self.c["recommendations"].append(row)
            self.dated.append((row, ("created_at", "updated_at"), len(self.events)))
            details = {"fields": ["body"]}
            event = self._event("case.recommendation.added", self.investigator, details)
            event["_recommendation"] = len(self.c["recommendations"]) - 1
        self._event("case.submit_findings", self.investigator, {}, "findings_review")
        self._event("case.approve_findings", self.supervisor, {}, "recommendations_issued")

    def agency_answers(self, share: float) -> None:
        for index, row in enumerate(self.c["recommendations"]):
            if self.rng.random() >= share:
                continue
            response = self.office.response.pick(self.rng)
            notes = self.rng.choice(self.office.office[f"response.{response}"])
            row.update(
                agency_response=response,
                response_notes=notes if self.rng.random() < 0.8 else None,
                response_recorded_by_id=self.supervisor,
                updated_by_id=self.supervisor,
            )
            self.dated.append((row, ("response_recorded_at", "updated_at"), len(self.events)))
            details = {
                "agency_response": response,
                "fields": ["agency_response", "response_notes"],
            }
            event = self._event("case.agency_response.recorded", self.supervisor, details)
            event["_recommendation"] = index

    def close(self, reason: str) -> None:
        self.c["closure_reason"] = reason
        supervisor = self.office.staff_for(self.office.supervisors)
        self._event("case.close", supervisor, {"closure_reason": reason}, "closed")

    # -- to a status -------------------------------------------------------------------------

    def to_status(self, status: str) -> None:
        rng = self.rng
        reason = self.office.closure.pick(rng) if status == "closed" else None
        self.claim()
        if status == "awaiting_information" or reason == "insufficient_information":
            self.request_information(replied=False)
        elif status == "oig_review" or reason == "investigated_by_oig":
            self.offer_to_oig(accepted=reason is not None)
        elif status == "triage" or reason in ("referred_elsewhere", "no_jurisdiction"):
            pass
        elif reason != "withdrawn":
            if rng.random() < ASKED_FOR_INFORMATION:
                self.request_information(replied=True)
            self.investigate(referred=status == "component_referral" or rng.random() < 0.2)
            if status == "investigation" and self.status == "component_referral":
                self._event("case.retain", self.supervisor, {}, "investigation")
            if status == "findings_review" or reason == "no_violation":
                self.record_findings(violation=reason != "no_violation")
                if status == "findings_review":
                    self._event("case.submit_findings", self.investigator, {}, "findings_review")
            elif status == "recommendations_issued" or reason == "recommendations_resolved":
                self.record_findings(violation=True)
                self.recommend()
                self.agency_answers(1.0 if reason else 0.4)
        if reason is not None and self.status != "closed":
            self.close(reason)

    def date(self, start: datetime, end: datetime) -> None:
        """Spread the steps between the filing and the case's last change, in order, in
        office hours (14:00 to 22:59 UTC: the morning to the late afternoon in the states)."""
        rng, c, events = self.rng, self.c, self.events
        span = (end - start).total_seconds()
        times = [start + timedelta(seconds=rng.random() * span) for _ in events[:-1]]
        times.append(end)
        times = sorted(
            max(start, min(self.office.now, at.replace(hour=OFFICE_HOURS_UTC[at.hour])))
            for at in times
        )
        end = times[-1]
        for event, at in zip(events, times, strict=True):
            event["occurred_at"] = at
            if event.pop("_moved", False):
                c["status_changed_at"] = at
            if event["actor_id"] is not None:
                c["updated_by_id"] = event["actor_id"]
        for row, keys, index in self.dated:
            for key in keys:
                row[key] = times[min(index, len(times) - 1)]
        c["updated_at"] = end
        c["version"] = 1 + len(events)
        c["history"] = events
