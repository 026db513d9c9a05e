import pytest
from django.urls import reverse

from accounts import audit, services
from accounts.models import AuditEvent, Organization
from tests.factories import CollegeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_college(db):
    return CollegeFactory(
        approval_status=Organization.Approval.PENDING, approved_at=None
    )


def test_record_stores_who_what_and_when(administrator, pending_college):
    event = audit.record(
        actor=administrator,
        action="organization.approve",
        obj=pending_college,
        before={"approval_status": "pending"},
        after={"approval_status": "approved"},
    )

    assert event.actor == administrator
    assert event.object_id == str(pending_college.pk)
    assert event.after == {"approval_status": "approved"}
    assert event.created_at is not None


def test_events_cannot_be_changed(administrator, pending_college):
    event = audit.record(actor=administrator, action="x", obj=pending_college)
    event.action = "y"

    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_events_cannot_be_deleted(administrator, pending_college):
    event = audit.record(actor=administrator, action="x", obj=pending_college)

    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_approving_a_college_is_audited(administrator, pending_college):
    services.organization_approve(organization=pending_college, actor=administrator)

    event = audit.events_for(pending_college).get()
    assert event.action == "organization.approve"
    assert event.before["approval_status"] == "pending"
    assert event.after["approval_status"] == "approved"


def test_approving_twice_records_once(administrator, pending_college):
    services.organization_approve(organization=pending_college, actor=administrator)
    services.organization_approve(organization=pending_college, actor=administrator)

    assert audit.events_for(pending_college).count() == 1


def test_admin_action_approves_and_audits(admin_client_with_mfa, pending_college):
    admin_client_with_mfa.post(
        reverse("admin:accounts_organization_changelist"),
        {"action": "approve", "_selected_action": [pending_college.pk]},
    )

    pending_college.refresh_from_db()
    assert pending_college.is_approved
    assert audit.events_for(pending_college).count() == 1


def test_admin_action_rejects_and_audits(admin_client_with_mfa, pending_college):
    admin_client_with_mfa.post(
        reverse("admin:accounts_organization_changelist"),
        {"action": "reject", "_selected_action": [pending_college.pk]},
    )

    pending_college.refresh_from_db()
    assert pending_college.approval_status == Organization.Approval.REJECTED
    assert audit.events_for(pending_college).get().action == "organization.reject"


def test_admin_shows_audit_events_read_only(
    admin_client_with_mfa, administrator, pending_college
):
    event = audit.record(actor=administrator, action="x", obj=pending_college)
    change_url = reverse("admin:accounts_auditevent_change", args=[event.pk])

    page = admin_client_with_mfa.get(change_url)
    edit = admin_client_with_mfa.post(change_url, {"action": "edited"})

    event.refresh_from_db()
    assert page.status_code == 200
    assert edit.status_code == 403
    assert event.action == "x"


def test_admin_cannot_delete_audit_events(
    admin_client_with_mfa, administrator, pending_college
):
    event = audit.record(actor=administrator, action="x", obj=pending_college)

    response = admin_client_with_mfa.post(
        reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_cannot_bulk_delete_audit_events(
    admin_client_with_mfa, administrator, pending_college
):
    event = audit.record(actor=administrator, action="x", obj=pending_college)

    admin_client_with_mfa.post(
        reverse("admin:accounts_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_owners_hear_of_the_approval(
    administrator, pending_college, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.factories import MembershipFactory

    owner = MembershipFactory(organization=pending_college, role="owner")

    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(organization=pending_college, actor=administrator)

    assert mail.outbox[0].to == [owner.user.email]
    assert "is approved" in mail.outbox[0].subject


def test_admin_approval_of_one_says_singular(admin_client_with_mfa, pending_college):
    response = admin_client_with_mfa.post(
        reverse("admin:accounts_organization_changelist"),
        {"action": "approve", "_selected_action": [pending_college.pk]},
        follow=True,
    )

    assert "1 organization approved." in response.text
