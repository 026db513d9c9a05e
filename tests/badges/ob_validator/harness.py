"""Drive the IMS Open Badges validator from tests.

The validator runs in its own virtualenv (``make ob-validator``) as a
subprocess; the HTTP answers it gets are the bytes MEX's views return to the
Django test client, so it validates what MEX really serves.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.services import data_dir

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DRIVER = Path(__file__).with_name("run_validator.py")
TIMEOUT_SECONDS = 120
OB2_CONTEXT_URLS = (
    "https://w3id.org/openbadges/v2",
    "https://openbadgespec.org/v2/context.json",
)


def validator_python() -> Path:
    """Return the validator virtualenv's Python, or skip the test."""
    configured = os.environ.get("MEX_OB_VALIDATOR_PYTHON")
    path = (
        Path(configured)
        if configured
        else PROJECT_ROOT / ".venv-ob-validator/bin/python"
    )
    if not path.exists():
        pytest.skip(
            f"The Open Badges validator is not installed at {path}: run "
            "`make ob-validator` or set MEX_OB_VALIDATOR_PYTHON."
        )
    return path


class Validator:
    def __init__(self, python: Path, folder: Path) -> None:
        self.python = python
        self.folder = folder
        self.answers: dict[str, dict] = {}
        self.files_written = 0
        context = data_dir() / "openbadges" / "ob2-context-v2.json"
        for url in OB2_CONTEXT_URLS:
            self.answer(url, context.read_bytes(), content_type="application/ld+json")

    def answer(self, url: str, body: bytes, *, status=200, content_type=None):
        self.files_written += 1
        path = self.folder / f"answer-{self.files_written}"
        path.write_bytes(body)
        self.answers[url] = {
            "url": url,
            "status": status,
            "content_type": content_type or "application/ld+json",
            "body_file": str(path),
        }

    def serve_from(self, client, url: str, **overrides) -> None:
        """Answer ``url`` with what MEX's view returns, changed by overrides."""
        path = url.removeprefix("http://testserver")
        response = client.get(path)
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        self.answer(
            url,
            overrides.get("body", body),
            status=overrides.get("status", response.status_code),
            content_type=response["Content-Type"].split(";")[0],
        )

    def run(self, *, badge=None, badge_bytes=None, recipient_email=None) -> dict:
        request = {
            "input": badge,
            "input_file": None,
            "recipient_email": recipient_email,
            "responses": list(self.answers.values()),
        }
        if badge_bytes is not None:
            image = self.folder / "badge-input"
            image.write_bytes(badge_bytes)
            request["input_file"] = str(image)
        completed = subprocess.run(
            [str(self.python), str(DRIVER)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if completed.returncode != 0:
            pytest.fail(f"The validator crashed:\n{completed.stderr}")
        return json.loads(completed.stdout)


def serve_badge(validator: Validator, client, assertion) -> None:
    """Answer every URL a validator follows for ``assertion``."""
    from badges import links

    college_id = assertion.badge_class.course.college_id
    for url in (
        links.assertion_url(assertion),
        links.assertion_image_url(assertion),
        links.badge_class_url(assertion.badge_class),
        links.absolute_url("badges:badge_class_image", assertion.badge_class.public_id),
        links.issuer_url(college_id),
        links.absolute_url("badges:revocation_list", college_id),
    ):
        validator.serve_from(client, url)


def errors_of(report: dict) -> list[str]:
    return [
        f"{message.get('name')}: {message.get('result')}"
        for message in report["report"]["messages"]
        if message.get("messageLevel") == "ERROR"
    ]
