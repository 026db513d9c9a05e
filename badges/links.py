"""Absolute URLs of public badge resources.

Badge JSON, baked images and QR codes leave the site, so every URL in them is
absolute and built from ``settings.MEX_SITE_URL`` without a request.
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(name: str, *args, **kwargs) -> str:
    return settings.MEX_SITE_URL + reverse(name, args=args, kwargs=kwargs)


def issuer_url(organization_id: int) -> str:
    return absolute_url("badges:issuer", organization_id)


def badge_class_url(badge_class) -> str:
    return absolute_url("badges:badge_class", badge_class.public_id)


def assertion_url(assertion) -> str:
    return absolute_url("badges:assertion", assertion.public_id)


def verify_url(assertion) -> str:
    return absolute_url("badges:verify", assertion.public_id)


def assertion_image_url(assertion) -> str:
    return absolute_url("badges:assertion_image", assertion.public_id)
