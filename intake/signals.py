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
