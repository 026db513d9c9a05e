"""The audit log of administrative decisions.

Other apps' services call ``record`` inside their own transaction when an
administrator approves a college, decides a match or revokes a badge, so that
the event is stored if and only if the change is.
"""

import json
import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from accounts.models import AuditEvent

logger = logging.getLogger(__name__)


def _json_safe(value: dict[str, Any] | None) -> dict[str, Any]:
    """Return ``value`` with dates, decimals and UUIDs turned into strings."""
    if not value:
        return {}
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``actor`` is the user who decided (None for the system), ``action`` a dotted
    verb such as ``"organization.approve"``, ``obj`` the saved row acted on,
    ``before`` and ``after`` the fields that changed as JSON-ready dicts
    (dates, decimals and UUIDs are converted to strings). Not idempotent: each
    call appends a row. Call it in the same transaction as the change.
    """
    if obj.pk is None:
        raise ValueError(f"Cannot audit {action!r} on an unsaved {obj!r}.")
    actor_is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent.objects.create(
        actor=actor if actor_is_user else None,
        actor_email=actor.email if actor_is_user else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=_json_safe(before),
        after=_json_safe(after),
    )
    logger.info(
        "Audit event %s: %s on %s %s by user %s",
        event.pk,
        action,
        event.content_type.model,
        event.object_id,
        event.actor_id,
    )
    return event


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """Return the audit events recorded about ``obj``, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    )
