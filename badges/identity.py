"""Recipient identities: salted SHA-256 hashes of normalised email addresses.

Open Badges 2.0 publishes ``sha256$`` followed by the hex digest of the
identity concatenated with the salt. MEX hashes the normalised address
(surrounding spaces trimmed, lower-cased) so that a verifier who types the
address in another case still matches it.
"""

import hashlib
import hmac
import secrets

HASH_PREFIX = "sha256$"
SALT_BYTES = 16


def normalise_email(email: str) -> str:
    return email.strip().lower()


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def hash_identity(email: str, salt: str) -> str:
    """Return ``sha256$<hex>`` for the normalised ``email`` and ``salt``."""
    digest = hashlib.sha256((normalise_email(email) + salt).encode("utf-8"))
    return HASH_PREFIX + digest.hexdigest()


def identity_matches(*, email: str, identity: str, salt: str | None) -> bool:
    """Tell whether ``email`` is the recipient named by ``identity``.

    ``identity`` is either a ``sha256$`` hash, whose hex digits may be in
    either case, or a plain address. The comparison takes constant time.
    """
    identity = identity.strip()
    if not identity.lower().startswith(HASH_PREFIX):
        return hmac.compare_digest(
            normalise_email(identity).encode(), normalise_email(email).encode()
        )
    expected = hash_identity(email, salt or "")
    return hmac.compare_digest(expected.lower().encode(), identity.lower().encode())
