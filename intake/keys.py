"""The app's secret keys, one job each, so that each can be rotated on its own.

``SECRET_KEY`` signs sessions and CSRF tokens (with ``SECRET_KEY_FALLBACKS`` still accepted
while sessions signed with an old key run out). The others key a hash:

- ``ACCESS_CODE_KEY``: derives the complainant's access code from their draft's token;
- ``RECORD_ID_KEY``: the open data's record ids and row order;
- ``THROTTLE_KEY``: the client addresses, emails and tracking numbers that throttles count.

Production must set each (``config.py`` refuses to start otherwise); in development and tests
each is derived from ``SECRET_KEY``, so that only one needs setting there.
"""

import hashlib
import hmac

from flask import current_app

ACCESS_CODE_KEY = "ACCESS_CODE_KEY"
RECORD_ID_KEY = "RECORD_ID_KEY"
THROTTLE_KEY = "THROTTLE_KEY"
PURPOSE_KEYS = (ACCESS_CODE_KEY, RECORD_ID_KEY, THROTTLE_KEY)


def derived_key(secret_key: str, purpose: str) -> str:
    """A purpose's development key, from SECRET_KEY: distinct per purpose, never the same."""
    return hmac.new(secret_key.encode(), f"intake {purpose}".encode(), hashlib.sha256).hexdigest()


def key(purpose: str) -> bytes:
    return current_app.config[purpose].encode()


def keyed_hash(purpose: str, kind: str, value: str) -> str:
    """HMAC-SHA256 of ``kind:value`` under the purpose's key, as hex."""
    return hmac.new(key(purpose), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
