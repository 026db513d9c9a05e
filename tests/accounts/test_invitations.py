import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(employer_member, django_capture_on_commit_callbacks):
    """An invitation of lee@example.test to the employer, and its raw token."""
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitation_send(
            organization=employer_member.organization,
            email="lee@example.test",
            role=Membership.Role.MANAGER,
            invited_by=employer_member.user,
        )
    return sent.invitation, sent.token


def _accept(client, token):
    return client.post(reverse("accounts:invitation_accept", args=[token]))


def test_invitation_email_carries_the_link(sent):
    _invitation, token = sent

    assert services.invitation_url(token) in mail.outbox[0].body


def test_only_the_token_digest_is_stored(sent):
    invitation, token = sent

    assert token not in invitation.token_digest
    assert invitation.token_digest == services.invitation_token_digest(token)


def test_invited_user_joins_with_the_role(client, sent):
    _invitation, token = sent
    invitee = UserFactory(email="lee@example.test")
    client.force_login(invitee)

    response = _accept(client, token)

    assert response.headers["Location"] == reverse("accounts:organization")
    assert Membership.objects.get(user=invitee).role == Membership.Role.MANAGER


def test_reused_link_is_rejected(client, sent):
    # given
    _invitation, token = sent
    client.force_login(UserFactory(email="lee@example.test"))
    _accept(client, token)

    # when
    response = _accept(client, token)

    # then
    assert response.status_code == 410
    assert "already used" in response.text


def test_expired_link_is_rejected(client, sent):
    invitation, token = sent
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(UserFactory(email="lee@example.test"))

    response = _accept(client, token)

    assert response.status_code == 410
    assert "expired" in response.text
    assert not Membership.objects.filter(user__email="lee@example.test").exists()


def test_forged_link_is_rejected(client, sent):
    _invitation, token = sent
    client.force_login(UserFactory(email="lee@example.test"))

    response = _accept(client, token[:-4] + "AAAA")

    assert response.status_code == 404
    assert "not valid" in response.text


def test_digest_as_token_is_rejected(client, sent):
    invitation, _token = sent
    client.force_login(UserFactory(email="lee@example.test"))

    response = _accept(client, invitation.token_digest)

    assert response.status_code == 404


def test_withdrawn_link_is_rejected(client, sent, employer_member):
    invitation, token = sent
    services.invitation_revoke(invitation=invitation, actor=employer_member.user)
    client.force_login(UserFactory(email="lee@example.test"))

    response = _accept(client, token)

    assert response.status_code == 410
    assert "withdrawn" in response.text


def test_link_for_another_address_is_rejected(client, sent):
    client.force_login(UserFactory(email="someone.else@example.test"))

    response = _accept(client, sent[1])

    assert response.status_code == 403
    assert not Membership.objects.filter(
        user__email="someone.else@example.test"
    ).exists()


def test_new_invitation_replaces_the_pending_one(sent, employer_member):
    _first, first_token = sent

    again = services.invitation_send(
        organization=employer_member.organization,
        email="lee@example.test",
        role=Membership.Role.STAFF,
        invited_by=employer_member.user,
    )

    assert again.replaced == 1

    with pytest.raises(services.InvitationError) as error:
        services.invitation_check(first_token)
    assert error.value.code == "revoked"


def test_anonymous_visitor_is_asked_to_sign_in(client, sent):
    response = client.get(reverse("accounts:invitation_accept", args=[sent[1]]))

    assert response.status_code == 200
    assert reverse("account_login") in response.text


def test_staff_cannot_invite(client, employer_member):
    staff = MembershipFactory(
        organization=employer_member.organization, role=Membership.Role.STAFF
    )
    client.force_login(staff.user)

    response = client.post(
        reverse("accounts:invitation_create"),
        {"email": "lee@example.test", "role": "owner"},
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_owner_invites_through_the_page(client, employer_member):
    client.force_login(employer_member.user)

    client.post(
        reverse("accounts:invitation_create"),
        {"email": "lee@example.test", "role": "staff"},
    )

    assert Invitation.objects.get().email == "lee@example.test"


def test_new_user_signs_up_through_the_link(client, sent):
    # given
    invitation, token = sent
    accept_url = reverse("accounts:invitation_accept", args=[token])
    client.post(
        f"{reverse('account_signup')}?next={accept_url}",
        {
            "email": "lee@example.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Lee",
            "last_name": "Chan",
            "account_type": "invited",
            "next": accept_url,
        },
    )
    link = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    )[1]

    # when
    confirmed = client.post(link)
    accepted = client.post(confirmed.headers["Location"])

    # then
    assert confirmed.headers["Location"] == accept_url
    assert accepted.headers["Location"] == reverse("accounts:organization")
    assert Membership.objects.get(user__email="lee@example.test").organization_id == (
        invitation.organization_id
    )


def test_reinvite_reports_renewed_invitation(client, employer_member):
    # given
    client.force_login(employer_member.user)
    invite = {"email": "lee@example.test", "role": "staff"}
    first = client.post(reverse("accounts:invitation_create"), invite, follow=True)

    # when
    second = client.post(reverse("accounts:invitation_create"), invite, follow=True)

    # then
    first_messages = [str(message) for message in first.context["messages"]]
    second_messages = [str(message) for message in second.context["messages"]]
    assert first_messages == ["Invitation sent to lee@example.test."]
    assert second_messages == [
        "A new invitation was sent to lee@example.test; the earlier link no "
        "longer works."
    ]
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1
