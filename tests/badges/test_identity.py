import hashlib

from badges.identity import hash_identity, identity_matches, normalise_email


def test_normalise_trims_and_lowercases():
    assert (
        normalise_email("  Amina.Okafor@Example.ORG \n") == "amina.okafor@example.org"
    )


def test_hash_is_salted_sha256():
    expected = hashlib.sha256(b"amina@example.org" + b"pepper").hexdigest()

    assert hash_identity("Amina@Example.org", "pepper") == "sha256$" + expected


def test_matches_email_in_other_case():
    identity = hash_identity("amina@example.org", "salt")

    assert identity_matches(email=" AMINA@example.org ", identity=identity, salt="salt")


def test_matches_upper_case_hex():
    identity = hash_identity("amina@example.org", "salt")
    upper = "sha256$" + identity.removeprefix("sha256$").upper()

    assert identity_matches(email="amina@example.org", identity=upper, salt="salt")


def test_rejects_other_email():
    identity = hash_identity("amina@example.org", "salt")

    assert not identity_matches(email="bo@example.org", identity=identity, salt="salt")
