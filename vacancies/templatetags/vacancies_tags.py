import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The characters that could end the script element or start markup inside it,
# replaced by JSON escapes as django.utils.html.json_script does.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value) -> str:
    """Render ``value`` as a JSON-LD script element that text cannot break out of."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    escaped = text.translate(_SCRIPT_ESCAPES)
    # Safe: the translation above leaves no character that HTML parses here.
    safe_json = mark_safe(escaped)  # noqa: S308
    return format_html('<script type="application/ld+json">{}</script>', safe_json)
