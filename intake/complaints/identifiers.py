"""Tracking numbers and access codes.

A tracking number is random (not sequential, not guessable) and easy to read aloud: Crockford
base32, no I, L, O or U. The access code is derived from the draft's secret token, which only
the filer's browser holds, so the confirmation page can be shown again after a browser retry
while the database keeps nothing but the code's hash.
"""

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def _encode(data: bytes, length: int) -> str:
    number = int.from_bytes(data, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, 32)
        chars.append(ALPHABET[index])
    return "".join(chars)


def _group(code: str, size: int) -> str:
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def normalize(code: str | None) -> str:
    """What a person typed, as the canonical characters (case, spaces, dashes, O/0 forgiven)."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return cleaned.translate(_CONFUSABLE)


def new_tracking_number() -> str:
    return _group(_encode(secrets.token_bytes(8), 10), 5)


def new_draft_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(b"intake-draft:" + token.encode()).hexdigest()


def access_code_for(access_code_key: bytes, draft_token: str) -> str:
    digest = hmac.new(access_code_key, b"access-code:" + draft_token.encode(), "sha256")
    return _group(_encode(digest.digest()[:10], 16), 4)


def access_code_hash(tracking_number: str, access_code: str) -> str:
    # The code has 80 random bits, so a fast hash is enough; the tracking number salts it.
    material = f"intake-access:{normalize(tracking_number)}:{normalize(access_code)}"
    return hashlib.sha256(material.encode()).hexdigest()


def access_code_matches(tracking_number: str, access_code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(access_code_hash(tracking_number, access_code), stored_hash)


def canonical_tracking_number(text: str | None) -> str:
    return _group(normalize(text), 5)


def canonical_access_code(text: str | None) -> str:
    """A typed access code as it was given out (ABCD-EFGH-JKMN-PQRS), e.g. to print it."""
    return _group(normalize(text), 4)
