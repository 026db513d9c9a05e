import json

import jwt
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from badges import merkle
from badges.models import Assertion, LogEntry, TreeHead
from badges.services import badge_issue, badge_revoke
from badges.transparency import append_event, verify_log
from tests.colleges.factories import CompletedEnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_badges():
    assertions = [
        badge_issue(enrolment_id=CompletedEnrolmentFactory().pk) for _ in range(3)
    ]
    badge_revoke(assertion_id=assertions[0].pk, reason="Issued in error.")
    return assertions


def test_issue_and_revoke_are_logged(three_badges):
    kinds = list(LogEntry.objects.values_list("kind", flat=True))

    assert kinds == ["issue", "issue", "issue", "revoke"]


def test_each_append_signs_a_head(three_badges):
    sizes = list(TreeHead.objects.values_list("tree_size", flat=True))

    assert sizes == [1, 2, 3, 4]


def test_append_twice_logs_once(three_badges):
    revoked = three_badges[0]

    with transaction.atomic():
        entry = append_event(assertion=revoked, kind=LogEntry.Kind.REVOKE)

    assert entry == LogEntry.objects.get(assertion=revoked, kind="revoke")
    assert LogEntry.objects.count() == 4
    assert TreeHead.objects.count() == 4


def test_intact_log_verifies(three_badges):
    assert verify_log() == []


def test_command_reports_intact_log(three_badges, capsys):
    call_command("verify_badge_log")

    assert "4 entries" in capsys.readouterr().out


def test_altered_payload_is_named(three_badges):
    entry = LogEntry.objects.get(index=1)
    entry.payload = entry.payload.replace("sha256$", "sha256$0")
    entry.save()

    with pytest.raises(CommandError, match="Entry 1 was altered"):
        call_command("verify_badge_log")


def test_rehashed_entry_is_named(three_badges):
    # given an attacker who rewrites a payload and its leaf hash together
    entry = LogEntry.objects.get(index=2)
    entry.payload = entry.payload.replace("issue", "issue ")
    entry.leaf_hash = merkle.leaf_hash(entry.payload.encode()).hex()
    entry.save()

    # when
    problems = verify_log()

    # then
    messages = [problem.message for problem in problems if problem.index == 2]
    assert problems[0].index == 2
    assert any("Entry 2 was altered" in message for message in messages)


def test_altered_assertion_is_named(three_badges):
    Assertion.objects.filter(pk=three_badges[1].pk).update(recipient_hash="sha256$00")

    with pytest.raises(CommandError, match="differs from what log entry 1"):
        call_command("verify_badge_log")


def test_deleted_entry_is_detected(three_badges):
    LogEntry.objects.filter(index=3).delete()

    problems = verify_log()

    assert "entries were deleted" in problems[-1].message


def test_inclusion_proof_checks_out(client, three_badges):
    # given
    assertion = three_badges[1]
    jwks = client.get("/badges/log/keys.json").json()

    # when
    document = client.get(f"/badges/assertions/{assertion.public_id}/log/").json()

    # then
    proof = document["proofs"][0]
    head_token = proof["signed_tree_head"]
    kid = jwt.get_unverified_header(head_token)["kid"]
    key = next(key for key in jwks["keys"] if key["kid"] == kid)
    head = jwt.decode(head_token, key=jwt.PyJWK(key).key, algorithms=["EdDSA"])
    leaf = merkle.leaf_hash(
        json.dumps(
            proof["entry"], ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ).encode()
    )
    assert leaf.hex() == proof["leaf_hash"]
    assert merkle.verify_inclusion(
        leaf=leaf,
        index=proof["leaf_index"],
        size=head["tree_size"],
        path=[bytes.fromhex(node) for node in proof["audit_path"]],
        expected_root=bytes.fromhex(head["sha256_root_hash"]),
    )


def test_log_head_is_public(client, three_badges):
    document = client.get("/badges/log/").json()

    assert document["tree_size"] == 4
    assert document["sha256_root_hash"] == TreeHead.objects.last().root_hash


def test_unlogged_assertion_is_reported(three_badges):
    LogEntry.objects.filter(index=3).delete()
    TreeHead.objects.filter(tree_size=4).delete()

    messages = [problem.message for problem in verify_log()]

    assert any("no revocation" in message for message in messages)
