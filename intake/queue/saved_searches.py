"""Search words kept in the staff member's session, found again by a short random id.

Search words are personal data (names), so they are never put in a URL, where browser history,
server logs and the Referer header would keep them. The session cookie is signed, HttpOnly and,
in production, sent only over HTTPS; the URL carries only the id, meaningless without it.
"""

import secrets

from flask import session

SESSION_KEY = "queue_searches"
KEPT = 5  # a few, so Back to an earlier search still works


def remember(words: str) -> str:
    """Keep ``words`` and return the id to put in the URL."""
    kept = [entry for entry in session.get(SESSION_KEY, []) if entry[1] != words]
    search_id = secrets.token_urlsafe(6)
    session[SESSION_KEY] = [*kept[-(KEPT - 1) :], [search_id, words]]
    return search_id


def get(search_id: str | None) -> str | None:
    """The words kept under ``search_id``, or None if they are not (or no longer) there."""
    if not search_id:
        return None
    for entry_id, words in session.get(SESSION_KEY, []):
        if entry_id == search_id:
            return words
    return None
