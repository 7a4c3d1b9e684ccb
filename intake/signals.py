"""The named signals through which one feature reacts to another's change without importing it.

A lower package sends; a higher one connects a receiver when it is imported (the app factory
imports every feature). Receivers run inside the sender's transaction, so what they write is
committed, or rolled back, with the change itself.
"""

from blinker import Namespace

_signals = Namespace()

#: A complaint was filed (online or entered by staff) and flushed. Sent with the complaint.
#: The review queue indexes it for full-text search.
complaint_filed = _signals.signal("complaint-filed")

#: A workflow action was applied and flushed (review.workflow.apply_action). Sent with the
#: complaint and ``action`` (its name), ``actor`` (the staff user, or None for the
#: complainant), ``from_status``, ``to_status`` and ``message`` (the Message written with the
#: action, or None). Notices to the complainant and to staff are queued from it.
case_moved = _signals.signal("case-moved")

#: A letter was generated for a case and flushed (documents.letters.generate_letter). Sent with
#: the complaint and ``letter`` (the CaseLetter).
letter_issued = _signals.signal("letter-issued")

#: The complainant added something to an open case from the status page outside a workflow
#: action (information, documents, new contact details). Sent with the complaint and
#: ``what`` ("information", "documents" or "contact"). Staff are told.
complainant_wrote = _signals.signal("complainant-wrote")
