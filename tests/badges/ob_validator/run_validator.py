"""Run the IMS Open Badges validator on one badge with HTTP answered locally.

Runs in the validator's own virtualenv, not MEX's, because the validator
pins old versions of packages MEX uses. Reads a JSON request from standard
input and prints the validator's report as JSON:

    {"input": "<URL or JSON text>" | null,
     "input_file": "<path of a baked PNG or SVG>" | null,
     "recipient_email": "<email>" | null,
     "responses": [{"url": ..., "status": 200,
                    "content_type": ..., "body_file": "<path>"}]}

Every HTTP request the validator makes is answered from "responses"; any
other URL raises a connection error inside the validator.
"""

import json
import sys

import responses
from openbadges import verify


def main() -> None:
    request = json.load(sys.stdin)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for answer in request["responses"]:
            with open(answer["body_file"], "rb") as file:
                body = file.read()
            mock.add(
                responses.GET,
                answer["url"],
                body=body,
                status=answer.get("status", 200),
                content_type=answer.get("content_type", "application/ld+json"),
            )
        recipient = None
        if request.get("recipient_email"):
            recipient = {"email": request["recipient_email"]}
        options = {"use_cache": False}
        if request.get("input_file"):
            with open(request["input_file"], "rb") as badge:
                report = verify(badge, recipient, **options)
        else:
            report = verify(request["input"], recipient, **options)
    json.dump(report, sys.stdout, default=str)


if __name__ == "__main__":
    main()
