"""Ed25519 signing keys of badges, kept in files outside the database.

``settings.MEX_BADGE_KEY_DIR`` holds one file per key, ``<kid>.json``, with
the private JWK and its creation time, and a file ``current`` naming the key
that signs new badges. The key id is the key's RFC 7638 thumbprint. Rotating
adds a key and moves ``current``; old keys stay in the folder and in the
published key set, so badges they signed still verify. A folder without keys
gets a development key on first use.
"""

import fcntl
import json
import logging
import os
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

logger = logging.getLogger(__name__)

ALGORITHM = "EdDSA"
CURRENT_FILE = "current"
LOCK_FILE = ".lock"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    key: OKPKey
    created_at: datetime

    def public_jwk(self) -> dict:
        public = self.key.as_dict(private=False)
        return {**public, "kid": self.kid, "use": "sig", "alg": ALGORITHM}


def key_dir() -> Path:
    return Path(settings.MEX_BADGE_KEY_DIR)


@contextmanager
def _locked_dir():
    """Hold an exclusive lock on the key folder across processes."""
    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (folder / LOCK_FILE).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_new_key(folder: Path) -> SigningKey:
    key = OKPKey.generate_key("Ed25519")
    kid = key.thumbprint()
    created_at = timezone.now()
    record = {"created_at": created_at.isoformat(), "jwk": key.as_dict(private=True)}
    path = folder / f"{kid}.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(record, file)
    temporary = folder / f"{CURRENT_FILE}.tmp"
    temporary.write_text(kid)
    temporary.replace(folder / CURRENT_FILE)
    logger.info("Badge signing key %s created", kid)
    return SigningKey(kid=kid, key=key, created_at=created_at)


# A key file is created once, with O_EXCL, and never rewritten, so a key
# parsed once per folder and key id stays valid for the life of the process.
@lru_cache(maxsize=64)
def _read_key(folder: Path, kid: str) -> SigningKey:
    record = json.loads((folder / f"{kid}.json").read_text())
    key = OKPKey.import_key(record["jwk"])
    if key.thumbprint() != kid:
        raise ValueError(f"Key file {kid}.json holds a key with another thumbprint.")
    created_at = datetime.fromisoformat(record["created_at"])
    return SigningKey(kid=kid, key=key, created_at=created_at)


def current_signing_key() -> SigningKey:
    """Return the key that signs new badges, creating one if there is none.

    Reads the ``current`` file on every call, so a rotation by another
    process applies to the next signature.
    """
    folder = key_dir()
    try:
        # ``current`` is replaced by an atomic rename after its key file is
        # complete, so reading it needs no lock.
        kid = (folder / CURRENT_FILE).read_text().strip()
    except FileNotFoundError:
        kid = ""
    if kid:
        return _read_key(folder, kid)
    with _locked_dir() as folder:
        current = folder / CURRENT_FILE
        if not current.exists():
            logger.warning("No badge signing key in %s; creating one", folder)
            return _write_new_key(folder)
        return _read_key(folder, current.read_text().strip())


def rotate_signing_key() -> SigningKey:
    """Create a new current key; earlier keys stay published."""
    with _locked_dir() as folder:
        return _write_new_key(folder)


def all_signing_keys() -> list[SigningKey]:
    """Return every key in the folder, oldest first."""
    current_signing_key()
    folder = key_dir()
    keys = [_read_key(folder, path.stem) for path in folder.glob("*.json")]
    return sorted(keys, key=lambda signing_key: signing_key.created_at)


def public_jwks() -> dict:
    return {"keys": [signing_key.public_jwk() for signing_key in all_signing_keys()]}


def sign_jwt(claims: dict, *, typ: str) -> str:
    """Return a compact JWS of ``claims`` signed with the current key."""
    signing_key = current_signing_key()
    header = {"alg": ALGORITHM, "kid": signing_key.kid, "typ": typ}
    with warnings.catch_warnings():
        # joserfc 1.x warns that RFC 9864 prefers the name "Ed25519"; most
        # verifiers (PyJWT 2.x among them) know only "EdDSA" for Ed25519.
        warnings.simplefilter("ignore")
        return jwt.encode(header, claims, signing_key.key, algorithms=[ALGORITHM])


class SignatureError(ValueError):
    """Raised when a JWS does not verify with any published key."""


def verify_jws(token: str) -> tuple[dict, bytes]:
    """Verify ``token`` with the published key its ``kid`` names.

    Returns the protected header and the payload bytes.
    """
    keys = {signing_key.kid: signing_key.key for signing_key in all_signing_keys()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            header = jws.extract_compact(token.encode()).headers()
            key = keys.get(header.get("kid"))
            if key is None:
                raise SignatureError(
                    _("The token's key id %(kid)s is not one of MEX's published keys.")
                    % {"kid": header.get("kid")}
                )
            verified = jws.deserialize_compact(token, key, algorithms=[ALGORITHM])
    except JoseError as error:
        raise SignatureError(
            _("The signature is invalid: %(error)s.") % {"error": error}
        ) from None
    return verified.headers(), verified.payload
