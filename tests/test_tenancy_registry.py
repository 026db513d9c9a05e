"""Every model that holds an organization's or an applicant's data is scoped."""

from django.apps import apps

from accounts.models import Organization
from accounts.tenancy import scoped_models
from applicants.models import ApplicantProfile

OWNER_MODELS = (Organization, ApplicantProfile)

# Models that hold no tenant's private data, with the reason.
PUBLIC_MODELS = {
    "accounts.User": "reached through request.user, never by id from a request",
    "matching.MatchingRun": "exchange-wide job record, read only in admin",
}


def _owned_models():
    """Yield models with a path of foreign keys to an organization or profile."""
    owned = set(OWNER_MODELS)
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in owned or model._meta.app_label not in _PROJECT_APPS:
                continue
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                is_single_link = field.many_to_one or field.one_to_one
                if is_single_link and field.concrete and target in owned:
                    owned.add(model)
                    changed = True
                    break
    return owned


_PROJECT_APPS = {
    "accounts",
    "vacancies",
    "applicants",
    "colleges",
    "matching",
    "badges",
}


def test_every_owned_model_has_scope():
    registered = scoped_models()
    missing = sorted(
        model._meta.label
        for model in _owned_models()
        if model not in registered and model._meta.label not in PUBLIC_MODELS
    )
    assert missing == [], f"models without a tenancy scope: {missing}"
