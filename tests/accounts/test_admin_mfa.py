import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_without_mfa_goes_to_setup(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("admin:index"))

    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_administrator_without_mfa_cannot_open_admin_pages(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("admin:accounts_organization_changelist"))

    assert response.status_code == 302


def test_administrator_with_mfa_uses_admin(admin_client_with_mfa):
    response = admin_client_with_mfa.get(reverse("admin:index"))

    assert response.status_code == 200


def test_site_pages_do_not_require_mfa(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("vacancies:list"))

    assert response.status_code == 200


def test_login_asks_administrator_for_second_factor(client, administrator_with_mfa):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("account_login"),
        {"login": administrator_with_mfa.email, "password": PASSWORD},
    )

    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
