"""Badge signing keys: the current key, and rotation."""

import jwt

from badges.keys import current_signing_key, rotate_signing_key, sign_jwt


def test_rotation_applies_to_next_signature():
    # given: a key already read and used
    before = current_signing_key()
    sign_jwt({"sub": "first"}, typ="JWT")

    # when
    rotated = rotate_signing_key()

    # then
    token = sign_jwt({"sub": "second"}, typ="JWT")
    assert current_signing_key().kid == rotated.kid
    assert rotated.kid != before.kid
    assert jwt.get_unverified_header(token)["kid"] == rotated.kid
