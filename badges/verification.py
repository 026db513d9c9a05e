"""Check a badge someone presents: a baked image, pasted JSON or a VC-JWT.

MEX verifies the badges it issued. A presented badge is tied to its stored
assertion through the assertion or credential URL it names. The checks are
the signature (3.0), equality with what MEX issued (2.0, hosted
verification), revocation and expiry, and, when an email address is given,
whether it is the recipient's.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from badges import links, openbadges2
from badges.baking import OB2_KEYWORD, OB3_KEYWORD, BakingError, unbake
from badges.identity import identity_matches
from badges.keys import SignatureError, verify_jws
from badges.selectors import public_assertion, revoked_assertions_of_issuer

JWT_PATTERN = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class VerificationResult:
    """The badge found in a presented file and the outcome of each check."""

    format: str = ""
    document: dict | None = None
    assertion: object | None = None
    checks: list[Check] = field(default_factory=list)
    error: str = ""

    @property
    def valid(self) -> bool:
        return (
            not self.error
            and bool(self.checks)
            and all(check.passed for check in self.checks)
        )

    def add(self, name: str, passed: bool, detail: str) -> None:
        self.checks.append(Check(name=name, passed=passed, detail=detail))


def _assertion_for_url(url: str, route: str):
    """Return the stored assertion that a MEX badge URL names, or None."""
    if not isinstance(url, str) or not url.startswith(links.absolute_url("home")):
        return None
    path = "/" + url.removeprefix(links.absolute_url("home"))
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name != route:
        return None
    return public_assertion(match.kwargs["public_id"])


def verify_presented(
    *, data: bytes | None = None, text: str = "", email: str = ""
) -> VerificationResult:
    """Extract and check a badge from image bytes or pasted text."""
    result = VerificationResult()
    try:
        ob2_text, ob3_token = _extract(data=data, text=text)
    except BakingError as error:
        result.error = str(error)
        return result

    if ob3_token:
        _verify_credential(result, ob3_token)
    if ob2_text:
        _verify_assertion(result, ob2_text)
    if not ob3_token and not ob2_text:
        result.error = _(
            "No badge found: the image carries no Open Badges metadata, or the "
            "text is neither badge JSON nor a VC-JWT."
        )
        return result

    if email and result.document is not None:
        _check_recipient(result, email)
    return result


def _extract(*, data: bytes | None, text: str) -> tuple[str | None, str | None]:
    if data:
        return unbake(data, keyword=OB2_KEYWORD), unbake(data, keyword=OB3_KEYWORD)
    text = text.strip()
    if JWT_PATTERN.match(text):
        return None, text
    if text.startswith("{"):
        return text, None
    return None, None


def _add_format(result: VerificationResult, name: str) -> None:
    result.format = f"{result.format}, {name}" if result.format else name


def _verify_credential(result: VerificationResult, token: str) -> None:
    _add_format(result, "Open Badges 3.0 (VC-JWT)")
    try:
        header, payload = verify_jws(token)
        claims = json.loads(payload)
    except SignatureError as error:
        result.add(_("Signature"), False, str(error))
        return
    except ValueError:
        result.add(_("Signature"), False, _("The token's payload is not JSON."))
        return
    result.document = claims
    result.add(
        _("Signature"),
        True,
        _("Signed by MEX key %(kid)s.") % {"kid": header.get("kid")},
    )

    assertion = _assertion_for_url(claims.get("id"), "badges:credential")
    if assertion is None or assertion.credential_jwt != token:
        result.add(
            _("Issued by MEX"),
            False,
            _("MEX has no record of issuing this credential."),
        )
        return
    result.assertion = assertion
    issuer = claims.get("issuer", {})
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    expected_issuer = links.issuer_url(assertion.badge_class.college_id)
    result.add(
        _("Issuer"),
        claims.get("iss") == issuer_id == expected_issuer,
        assertion.badge_class.college.name,
    )
    _check_dates(result, claims.get("nbf"), claims.get("exp"))
    _check_status(result, assertion)


def _verify_assertion(result: VerificationResult, text: str) -> None:
    _add_format(result, "Open Badges 2.0 (hosted)")
    try:
        document = json.loads(text)
    except ValueError as error:
        result.error = _("The badge JSON is invalid: %(error)s.") % {"error": error}
        return
    if not isinstance(document, dict):
        result.error = _("The badge JSON must be an object.")
        return
    if result.document is None:
        result.document = document

    assertion = _assertion_for_url(document.get("id"), "badges:assertion")
    if assertion is None:
        result.add(
            _("Issued by MEX"),
            False,
            _("The assertion id %(id)s is not a badge MEX issued.")
            % {"id": document.get("id")},
        )
        return
    result.assertion = assertion
    issued = openbadges2.issued_assertion_document(assertion)
    result.add(
        _("Hosted copy"),
        document == issued,
        _("The badge matches the assertion MEX hosts.")
        if document == issued
        else _("The badge differs from the assertion MEX hosts: it was altered."),
    )
    expires = assertion.expires_on.timestamp() if assertion.expires_on else None
    _check_dates(result, assertion.issued_on.timestamp(), expires)
    _check_status(result, assertion)


def _check_dates(result, not_before, expires) -> None:
    now = timezone.now().timestamp()
    if isinstance(not_before, int | float) and not_before > now + 60:
        result.add(_("Validity"), False, _("The badge is not valid yet."))
        return
    if isinstance(expires, int | float) and expires <= now:
        when = datetime.fromtimestamp(expires, tz=UTC).date().isoformat()
        result.add(_("Expiry"), False, _("The badge expired on %(d)s.") % {"d": when})
        return
    result.add(_("Expiry"), True, _("The badge has not expired."))


def _check_status(result, assertion) -> None:
    college = assertion.badge_class.college
    revocation_list = openbadges2.revocation_list_document(
        college, revoked_assertions_of_issuer(college.pk)
    )
    listed = revocation_list_names(
        revocation_list,
        assertion_url=links.assertion_url(assertion),
        uid=str(assertion.public_id),
    )
    if assertion.revoked or listed:
        result.add(
            _("Revocation"),
            False,
            _("Revoked: %(reason)s") % {"reason": assertion.revocation_reason},
        )
    else:
        result.add(_("Revocation"), True, _("The badge has not been revoked."))


def revocation_list_names(document: dict, *, assertion_url: str, uid: str) -> bool:
    """Tell whether an Open Badges 2.0 revocation list names an assertion.

    Entries may be the assertion URL, an object with ``id``, or an object
    with ``uid``. JSON-LD compaction turns a list of one entry into the
    entry itself, so a single value counts as a list of one.
    """
    entries = document.get("revokedAssertions") or []
    if not isinstance(entries, list):
        entries = [entries]
    for entry in entries:
        if isinstance(entry, str) and entry == assertion_url:
            return True
        if isinstance(entry, dict) and (
            entry.get("id") == assertion_url or entry.get("uid") == uid
        ):
            return True
    return False


def recipient_identity(document: dict) -> tuple[str | None, str | None]:
    """Return the (identity, salt) a 2.0 or 3.0 document names."""
    recipient = document.get("recipient")
    if isinstance(recipient, dict):
        return recipient.get("identity"), recipient.get("salt")
    subject = document.get("credentialSubject")
    if isinstance(subject, dict):
        for identifier in subject.get("identifier") or []:
            if isinstance(identifier, dict):
                return identifier.get("identityHash"), identifier.get("salt")
    return None, None


def _check_recipient(result: VerificationResult, email: str) -> None:
    identity, salt = recipient_identity(result.document)
    if not identity:
        result.add(_("Recipient"), False, _("The badge names no recipient."))
        return
    matches = identity_matches(email=email, identity=identity, salt=salt)
    detail = (
        _("The badge was issued to this email address.")
        if matches
        else _("The badge was not issued to this email address.")
    )
    result.add(_("Recipient"), matches, detail)
