import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_last_owner_cannot_be_demoted(employer_member):
    with pytest.raises(ValidationError) as error:
        services.membership_change_role(
            membership=employer_member, role="staff", actor=employer_member.user
        )

    assert error.value.code == "last_owner"


def test_last_owner_cannot_leave(employer_member):
    with pytest.raises(ValidationError):
        services.membership_remove(
            membership=employer_member, actor=employer_member.user
        )

    assert Membership.objects.filter(pk=employer_member.pk).exists()


def test_owner_can_leave_once_another_owner_exists(employer_member):
    MembershipFactory(organization=employer_member.organization, role="owner")

    services.membership_remove(membership=employer_member, actor=employer_member.user)

    assert not Membership.objects.filter(pk=employer_member.pk).exists()


def test_owner_changes_a_members_role(client, employer_member):
    staff = MembershipFactory(organization=employer_member.organization, role="staff")
    client.force_login(employer_member.user)

    client.post(
        reverse("accounts:membership_role", args=[staff.pk]), {"role": "manager"}
    )

    staff.refresh_from_db()
    assert staff.role == Membership.Role.MANAGER


def test_manager_cannot_change_roles(client, employer_member):
    manager = MembershipFactory(
        organization=employer_member.organization, role="manager"
    )
    client.force_login(manager.user)

    response = client.post(
        reverse("accounts:membership_role", args=[employer_member.pk]),
        {"role": "staff"},
    )

    employer_member.refresh_from_db()
    assert response.status_code == 403
    assert employer_member.role == Membership.Role.OWNER


def test_owner_removes_a_member(client, employer_member):
    staff = MembershipFactory(organization=employer_member.organization, role="staff")
    client.force_login(employer_member.user)

    client.post(reverse("accounts:membership_remove", args=[staff.pk]))

    assert not Membership.objects.filter(pk=staff.pk).exists()


def test_last_owner_demotion_through_page_shows_why(client, employer_member):
    client.force_login(employer_member.user)

    response = client.post(
        reverse("accounts:membership_role", args=[employer_member.pk]),
        {"role": "staff"},
        follow=True,
    )

    assert "is the last owner" in response.text


def test_user_switches_active_organization(client, employer_member):
    # given
    other = MembershipFactory(
        user=employer_member.user, organization=OrganizationFactory(name="Second")
    )
    client.force_login(employer_member.user)

    # when
    client.post(reverse("accounts:switch"), {"organization": other.organization_id})
    response = client.get(reverse("accounts:organization"))

    # then
    assert response.context["organization"] == other.organization


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 25])
def test_switching_to_a_bad_id_names_it(client, employer_member, value):
    client.force_login(employer_member.user)

    response = client.post(
        reverse("accounts:switch"), {"organization": value}, follow=True
    )

    assert response.status_code == 200
    assert f"Organization {value} is not one of yours" in response.text
    assert response.context["tenant"].organization == employer_member.organization


def test_switching_to_a_foreign_organization_is_404(client, employer_member):
    foreign = OrganizationFactory()
    client.force_login(employer_member.user)

    response = client.post(reverse("accounts:switch"), {"organization": foreign.pk})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("boss", "Role boss does not exist: choose owner, manager or staff."),
        ("", "Choose a role: owner, manager or staff."),
    ],
)
def test_role_change_names_bad_role(client, employer_member, role, message):
    staff = MembershipFactory(organization=employer_member.organization, role="staff")
    client.force_login(employer_member.user)

    response = client.post(
        reverse("accounts:membership_role", args=[staff.pk]),
        {"role": role},
        follow=True,
    )

    staff.refresh_from_db()
    assert message in [str(shown) for shown in response.context["messages"]]
    assert staff.role == Membership.Role.STAFF
