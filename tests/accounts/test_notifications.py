"""Events reach people once, in the app and by an email the worker sends."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import notifications, services
from accounts.models import Membership, Notification, Organization
from accounts.tasks import send_notification_email
from badges.services import badge_issue
from matching.models import Match
from tests.colleges.factories import CompletedEnrolmentFactory
from tests.factories import (
    CollegeFactory,
    MatchFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

XSS = '<img src=x onerror=alert(1)> & "Co"'


@pytest.fixture
def approved_match():
    employer = OrganizationFactory(name="Maple Care")
    MembershipFactory(organization=employer, role=Membership.Role.OWNER)
    MembershipFactory(organization=employer, role=Membership.Role.STAFF)
    return MatchFactory(
        vacancy__employer=employer,
        vacancy__title="Night PSW",
        # A fixed name: a random one such as Hamilton can also be a word of
        # the anonymous profile (Hamilton, ON) that the employer email shows.
        applicant__user__last_name="Quillfeather",
        status=Match.Status.APPROVED,
    )


def test_match_approval_notifies_applicant_and_members(
    approved_match, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        created = notifications.notify_match_approved(match_id=approved_match.pk)

    # then
    applicant_user = approved_match.applicant.user
    kinds = sorted(notification.kind for notification in created)
    assert kinds == ["candidate_approved", "candidate_approved", "match_approved"]
    assert Notification.objects.get(recipient=applicant_user).url == reverse(
        "applicants:matches"
    )
    assert len(mail.outbox) == 3
    assert all(
        notification.email_sent_at for notification in Notification.objects.all()
    )


def test_match_approval_twice_notifies_once(
    approved_match, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_match_approved(match_id=approved_match.pk)
        again = notifications.notify_match_approved(match_id=approved_match.pk)

    assert again == []
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


def test_employer_email_leaves_out_applicant(
    approved_match, django_capture_on_commit_callbacks
):
    applicant_user = approved_match.applicant.user

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_match_approved(match_id=approved_match.pk)

    employer_emails = [m for m in mail.outbox if applicant_user.email not in m.to]
    assert "A new candidate for Night PSW" in employer_emails[0].subject
    assert all(applicant_user.last_name not in m.body for m in employer_emails)
    assert all(applicant_user.email not in m.body for m in employer_emails)


def test_proposed_match_notifies_nobody():
    match = MatchFactory()

    assert notifications.notify_match_approved(match_id=match.pk) == []
    assert Notification.objects.count() == 0


def test_no_email_before_commit(approved_match, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notify_match_approved(match_id=approved_match.pk)

    assert len(callbacks) == 3
    assert mail.outbox == []


def test_task_twice_sends_once(approved_match):
    notification = notifications.notify_match_approved(match_id=approved_match.pk)[0]

    first = send_notification_email.delay(notification.pk).get()
    second = send_notification_email.delay(notification.pk).get()

    assert first is True
    assert second is False
    assert len(mail.outbox) == 1


def test_task_for_missing_notification_sends_nothing():
    assert send_notification_email.delay(987_654).get() is False
    assert mail.outbox == []


def test_email_has_text_and_html(approved_match):
    notification = notifications.notify_match_approved(match_id=approved_match.pk)[0]

    send_notification_email.delay(notification.pk).get()

    message = mail.outbox[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert notification.context["url"] in message.body
    assert notification.context["url"] in html


def test_email_escapes_html_not_text():
    # given
    match = MatchFactory(
        vacancy__title=XSS,
        vacancy__employer__name=XSS,
        status=Match.Status.APPROVED,
    )
    notification = notifications.notify_match_approved(match_id=match.pk)[0]

    # when
    send_notification_email.delay(notification.pk).get()

    # then
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;" in html
    assert XSS in message.body
    assert "\n" not in message.subject


def test_markup_in_names_is_escaped_in_the_list(client):
    match = MatchFactory(vacancy__title=XSS, status=Match.Status.APPROVED)
    notifications.notify_match_approved(match_id=match.pk)
    client.force_login(match.applicant.user)

    response = client.get(reverse("accounts:notifications"))

    assert "<img src=x" not in response.text
    assert "&lt;img src=x" in response.text


def test_markup_in_names_is_escaped_in_admin(admin_client_with_mfa):
    match = MatchFactory(vacancy__title=XSS, status=Match.Status.APPROVED)
    notifications.notify_match_approved(match_id=match.pk)

    response = admin_client_with_mfa.get(
        reverse("admin:accounts_notification_changelist")
    )

    assert response.status_code == 200
    assert "<img src=x" not in response.text


def test_badge_issue_notifies_recipient(django_capture_on_commit_callbacks):
    enrolment = CompletedEnrolmentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        assertion = badge_issue(enrolment_id=enrolment.pk)
        badge_issue(enrolment_id=enrolment.pk)

    notification = Notification.objects.get()
    assert notification.recipient == enrolment.applicant.user
    assert notification.kind == Notification.Kind.BADGE_ISSUED
    assert str(assertion.public_id) in notification.url
    assert len(mail.outbox) == 1


def test_college_approval_notifies_owners_only(
    administrator, django_capture_on_commit_callbacks
):
    # given
    college = CollegeFactory(
        approval_status=Organization.Approval.PENDING, approved_at=None
    )
    owner = MembershipFactory(organization=college, role=Membership.Role.OWNER)
    MembershipFactory(organization=college, role=Membership.Role.STAFF)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(organization=college, actor=administrator)

    # then
    notification = Notification.objects.get()
    assert notification.recipient == owner.user
    assert notification.kind == Notification.Kind.ORGANIZATION_APPROVED
    assert mail.outbox[0].to == [owner.user.email]


def test_rejection_then_approval_notifies_each_decision(
    administrator, django_capture_on_commit_callbacks
):
    college = CollegeFactory(
        approval_status=Organization.Approval.PENDING, approved_at=None
    )
    MembershipFactory(organization=college, role=Membership.Role.OWNER)

    with django_capture_on_commit_callbacks(execute=True):
        services.organization_reject(
            organization=college, actor=administrator, reason="No <b>licence</b>"
        )
        services.organization_approve(organization=college, actor=administrator)

    assert Notification.objects.count() == 2
    assert "No <b>licence</b>" in mail.outbox[0].body
    assert "No &lt;b&gt;licence&lt;/b&gt;" in mail.outbox[0].alternatives[0][0]


def test_unread_count_in_navigation(client, approved_match):
    notifications.notify_match_approved(match_id=approved_match.pk)
    client.force_login(approved_match.applicant.user)

    response = client.get(reverse("accounts:notifications"))

    assert response.context["unread_notifications"] == 1
    assert '1<span class="visually-hidden"> unread</span>' in response.text


def test_open_marks_read_and_redirects(client, approved_match):
    notification = notifications.notify_match_approved(match_id=approved_match.pk)[0]
    client.force_login(notification.recipient)

    response = client.post(
        reverse("accounts:notification_open", args=[notification.pk])
    )

    notification.refresh_from_db()
    assert response.headers["Location"] == notification.url
    assert notification.read_at is not None


def test_open_refuses_offsite_url(client):
    user = UserFactory()
    notification = Notification.objects.create(
        recipient=user,
        kind="match_approved",
        event_key="x",
        title="t",
        url="https://evil.test/",
    )
    client.force_login(user)

    response = client.post(
        reverse("accounts:notification_open", args=[notification.pk])
    )

    assert response.headers["Location"] == reverse("accounts:notifications")


def test_other_users_notification_is_404(client, approved_match):
    notification = notifications.notify_match_approved(match_id=approved_match.pk)[0]
    client.force_login(UserFactory())

    response = client.post(
        reverse("accounts:notification_open", args=[notification.pk])
    )

    notification.refresh_from_db()
    assert response.status_code == 404
    assert notification.read_at is None


def test_read_all_marks_only_own(client, approved_match):
    notifications.notify_match_approved(match_id=approved_match.pk)
    user = approved_match.applicant.user
    client.force_login(user)

    client.post(reverse("accounts:notifications_read_all"))

    assert notifications.unread_count(user) == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_match_approve_service_notifies(
    administrator, django_capture_on_commit_callbacks
):
    from matching.services import match_approve

    match = MatchFactory()

    with django_capture_on_commit_callbacks(execute=True):
        match_approve(match_id=match.pk, user=administrator)
        match_approve(match_id=match.pk, user=administrator)

    notification = Notification.objects.get()
    assert notification.recipient == match.applicant.user
    assert notification.kind == Notification.Kind.MATCH_APPROVED
    assert len(mail.outbox) == 1
