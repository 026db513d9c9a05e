"""The append-only transparency log of badge issues and revocations.

Every issue and revocation appends one leaf, hashed as in RFC 6962, and a new
tree head signed with the badge signing key. Anyone can fetch the signed
heads and an assertion's inclusion proof and check that the event is in the
log that MEX signed. ``verify_log`` recomputes the whole log from its rows.
"""

import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists
from django.utils import timezone

from badges import links, merkle, openbadges2
from badges.keys import SignatureError, sign_jwt, verify_jws
from badges.models import Assertion, LogEntry, TreeHead

logger = logging.getLogger(__name__)

TREE_HEAD_TYPE = "mex-badge-log-tree-head+jwt"
# Key of the PostgreSQL advisory lock that serialises appends; any constant
# that no other part of MEX uses.
APPEND_LOCK_KEY = 0x4D45_5842


def canonical_json(document: dict) -> bytes:
    return json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def event_payload(assertion: Assertion, kind: str) -> dict:
    """Return the facts a log entry fixes about an assertion event."""
    payload = {
        "kind": kind,
        "assertion": links.assertion_url(assertion),
        "credential": links.absolute_url("badges:credential", assertion.public_id),
    }
    if kind == LogEntry.Kind.ISSUE:
        ob2_document = openbadges2.issued_assertion_document(assertion)
        payload.update(
            {
                "issuer": links.issuer_url(assertion.badge_class.college_id),
                "badge": links.badge_class_url(assertion.badge_class),
                "recipient": assertion.recipient_hash,
                "issuedOn": openbadges2.isoformat(assertion.issued_on),
                "assertionSha256": sha256_hex(openbadges2.dumps(ob2_document)),
                "credentialSha256": sha256_hex(assertion.credential_jwt.encode()),
            }
        )
    else:
        payload.update(
            {
                "revokedAt": openbadges2.isoformat(assertion.revoked_at),
                "revocationReason": assertion.revocation_reason,
            }
        )
    return payload


def _lock_log() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])
    # SQLite runs one write transaction at a time, which serialises appends.


def append_event(*, assertion: Assertion, kind: str) -> LogEntry:
    """Append an issue or revoke event of ``assertion`` and sign the new head.

    Must run inside the caller's transaction, so that the event and the badge
    change commit together. Holds an advisory lock on PostgreSQL until the
    transaction ends. Idempotent per (assertion, kind).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_event must run inside a transaction.")
    _lock_log()
    # One query, after the lock, reads the latest head and whether the event
    # is logged already. An entry and its head commit together, so a log
    # without a head has no entry.
    head = (
        TreeHead.objects.annotate(
            event_logged=Exists(LogEntry.objects.filter(assertion=assertion, kind=kind))
        )
        .order_by("-tree_size")
        .first()
    )
    if head is not None and head.event_logged:
        return LogEntry.objects.get(assertion=assertion, kind=kind)

    if head is None:
        frontier = merkle.Frontier()
    else:
        nodes = [bytes.fromhex(node) for node in head.frontier]
        frontier = merkle.Frontier(nodes, head.tree_size)

    payload = canonical_json(event_payload(assertion, kind))
    leaf = merkle.leaf_hash(payload)
    entry = LogEntry.objects.create(
        index=frontier.size,
        kind=kind,
        assertion=assertion,
        payload=payload.decode("utf-8"),
        leaf_hash=leaf.hex(),
    )
    frontier.append(leaf)
    _sign_tree_head(frontier)
    logger.info(
        "Badge log entry %s appended for assertion %s", entry.index, assertion.pk
    )
    return entry


def tree_head_claims(*, tree_size: int, root_hash: str, timestamp) -> dict:
    return {
        "iss": links.absolute_url("badges:log"),
        "tree_size": tree_size,
        "timestamp": int(timestamp.timestamp() * 1000),
        "sha256_root_hash": root_hash,
    }


def _sign_tree_head(frontier: merkle.Frontier) -> TreeHead:
    timestamp = timezone.now()
    root_hash = frontier.root().hex()
    claims = tree_head_claims(
        tree_size=frontier.size, root_hash=root_hash, timestamp=timestamp
    )
    return TreeHead.objects.create(
        tree_size=frontier.size,
        root_hash=root_hash,
        timestamp=timestamp,
        frontier=[node.hex() for node in frontier.nodes],
        signature=sign_jwt(claims, typ=TREE_HEAD_TYPE),
    )


def latest_tree_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size").first()


def inclusion_proofs(assertion: Assertion) -> list[dict]:
    """Return each log entry of ``assertion`` with its proof to the latest head.

    NOTE: reads every leaf hash of the log, which is fine for thousands of
    badges; a larger log would store interior nodes.
    """
    head = latest_tree_head()
    if head is None:
        return []
    leaves = [
        bytes.fromhex(value)
        for value in LogEntry.objects.filter(index__lt=head.tree_size)
        .order_by("index")
        .values_list("leaf_hash", flat=True)
    ]
    proofs = []
    for entry in assertion.log_entries.filter(index__lt=head.tree_size):
        path = merkle.inclusion_path(entry.index, leaves)
        proofs.append(
            {
                "leaf_index": entry.index,
                "kind": entry.kind,
                "entry": json.loads(entry.payload),
                "leaf_hash": entry.leaf_hash,
                "tree_size": head.tree_size,
                "audit_path": [node.hex() for node in path],
                "signed_tree_head": head.signature,
            }
        )
    return proofs


@dataclass
class LogProblem:
    index: int | None
    message: str


def verify_log() -> list[LogProblem]:
    """Recompute the log from its rows; return problems, first altered first.

    Checks that indexes run without gaps, that each leaf hash covers its
    payload, that each payload still describes its assertion, and that every
    signed tree head verifies and matches the root of its prefix.
    """
    problems: list[LogProblem] = []
    entries = list(LogEntry.objects.select_related("assertion__badge_class"))
    leaves: list[bytes] = []
    for position, entry in enumerate(entries):
        if entry.index != position:
            problems.append(
                LogProblem(position, f"Entry {position} is missing from the log.")
            )
            return problems
        recomputed = merkle.leaf_hash(entry.payload.encode("utf-8"))
        if recomputed.hex() != entry.leaf_hash:
            problems.append(
                LogProblem(
                    entry.index,
                    f"Entry {entry.index} was altered: its "
                    "payload no longer matches its leaf hash.",
                )
            )
        expected = canonical_json(event_payload(entry.assertion, entry.kind))
        if expected.decode("utf-8") != entry.payload:
            problems.append(
                LogProblem(
                    entry.index,
                    f"Assertion {entry.assertion.public_id} "
                    f"differs from what log entry {entry.index} recorded.",
                )
            )
        leaves.append(recomputed)

    frontier = merkle.Frontier()
    heads = {head.tree_size: head for head in TreeHead.objects.all()}
    for size, leaf in enumerate(leaves, start=1):
        frontier.append(leaf)
        head = heads.pop(size, None)
        if head is None:
            problems.append(LogProblem(size - 1, f"Tree head {size} is missing."))
            continue
        problems.extend(_check_tree_head(head, frontier.root().hex()))
    problems.extend(_unlogged_events(entries))
    for size in sorted(heads):
        problems.append(
            LogProblem(
                None,
                f"Tree head {size} is signed but the log has only "
                f"{len(leaves)} entries: entries were deleted.",
            )
        )
    problems.sort(key=lambda problem: (problem.index is None, problem.index or 0))
    return problems


def _unlogged_events(entries: list[LogEntry]) -> list[LogProblem]:
    """Report assertions whose issue or revocation has no log entry."""
    logged = {(entry.assertion_id, entry.kind) for entry in entries}
    problems = []
    for assertion_id, public_id, revoked in Assertion.objects.values_list(
        "pk", "public_id", "revoked"
    ):
        if (assertion_id, LogEntry.Kind.ISSUE) not in logged:
            problems.append(
                LogProblem(None, f"Assertion {public_id} was never logged as issued.")
            )
        if revoked and (assertion_id, LogEntry.Kind.REVOKE) not in logged:
            problems.append(
                LogProblem(
                    None,
                    f"Assertion {public_id} is revoked but the log has no revocation.",
                )
            )
    return problems


def _check_tree_head(head: TreeHead, recomputed_root: str) -> list[LogProblem]:
    index = head.tree_size - 1
    try:
        _header, payload = verify_jws(head.signature)
    except SignatureError as error:
        return [LogProblem(index, f"Tree head {head.tree_size}: {error}")]
    signed = json.loads(payload)
    if (
        signed.get("tree_size") != head.tree_size
        or signed.get("sha256_root_hash") != head.root_hash
    ):
        return [
            LogProblem(
                index,
                f"Tree head {head.tree_size} differs from what its signature covers.",
            )
        ]
    if recomputed_root != head.root_hash:
        return [
            LogProblem(
                index,
                f"Entry {index} was altered: the root of the "
                f"first {head.tree_size} entries no longer matches its signed "
                "tree head.",
            )
        ]
    return []
