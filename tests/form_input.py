"""Checks shared by the tests that send bad input to forms."""

import html
import re

XSS = '<script>alert("mex")</script>'


def assert_error_next_to(response, field: str, message: str) -> None:
    """Assert the form re-renders with ``message`` tied to ``field``'s input.

    crispy-bootstrap5 renders a field's errors in ``id_<field>_error`` and
    names that block in the input's aria-describedby.
    """
    body = response.content.decode()
    described_by = rf'aria-describedby="[^"]*\bid_{re.escape(field)}_error\b'

    assert response.status_code == 200
    assert re.search(described_by, body)
    error_block = body.split(f'id="id_{field}_error"', 1)[1].split("</div>", 1)[0]
    assert message in html.unescape(error_block)


def assert_escaped(body: str) -> None:
    assert XSS not in body
    assert "&lt;script&gt;" in body
