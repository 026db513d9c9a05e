"""Open vacancy pages carry schema.org JobPosting data."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from tests.factories import OrganizationFactory, VacancyFactory, VacancySkillFactory

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(
    r'<script type="application/ld\+json">(?P<body>.*?)</script>', re.DOTALL
)


def _posting(client, vacancy) -> dict:
    response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))
    found = SCRIPT.findall(response.text)
    assert len(found) == 1
    return json.loads(found[0])


def test_job_posting_has_the_fields(client):
    # given
    vacancy = VacancyFactory(
        title="Personal support worker",
        description="Nights in long-term care.",
        employer=OrganizationFactory(name="Maple Care", website="https://maple.test"),
        location="Hamilton",
        region="ON",
        country="CA",
        employment_type="part_time",
        wage_min=Decimal("21.50"),
        wage_max=Decimal("24.00"),
        wage_period="hour",
        noc_code="44101",
        closes_on=date(2030, 1, 31),
    )
    VacancySkillFactory(vacancy=vacancy, skill__name="Personal care")

    # when
    posting = _posting(client, vacancy)

    # then
    assert posting["@context"] == "https://schema.org/"
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == "Personal support worker"
    assert posting["description"] == "Nights in long-term care."
    assert posting["datePosted"] == localdate(vacancy.published_at).isoformat()
    assert posting["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Maple Care",
        "sameAs": "https://maple.test",
    }
    assert posting["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Hamilton",
        "addressRegion": "ON",
        "addressCountry": "CA",
    }
    assert posting["employmentType"] == "PART_TIME"
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "CAD",
        "value": {
            "@type": "QuantitativeValue",
            "unitText": "HOUR",
            "minValue": 21.5,
            "maxValue": 24.0,
        },
    }
    assert posting["validThrough"].startswith("2030-01-31T23:59:59")
    assert posting["occupationalCategory"] == "NOC 2021 44101"
    assert posting["skills"] == "Personal care"


def test_job_posting_leaves_out_unknown_fields(client):
    vacancy = VacancyFactory(location="", region="", country="")

    posting = _posting(client, vacancy)

    assert "baseSalary" not in posting
    assert "validThrough" not in posting
    assert "jobLocation" not in posting


def test_remote_job_is_telecommute(client):
    vacancy = VacancyFactory(work_mode="remote", country="CA")

    posting = _posting(client, vacancy)

    assert posting["jobLocationType"] == "TELECOMMUTE"


def test_script_end_tag_in_text_stays_inside(client):
    text = '</script><script>alert("x")</script>'
    vacancy = VacancyFactory(title=text, description=text)

    response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))
    posting = _posting(client, vacancy)

    assert "<script>alert" not in response.text
    assert posting["title"] == text
