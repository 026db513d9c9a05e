"""schema.org JobPosting data of a vacancy, for search engines and job boards.

See https://schema.org/JobPosting. Fields that a vacancy does not know are
left out rather than guessed.
"""

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from vacancies.models import Vacancy

# schema.org employmentType values for each MEX employment type.
EMPLOYMENT_TYPES = {
    Vacancy.EmploymentType.FULL_TIME: "FULL_TIME",
    Vacancy.EmploymentType.PART_TIME: "PART_TIME",
    Vacancy.EmploymentType.CASUAL: "PER_DIEM",
    Vacancy.EmploymentType.CONTRACT: "CONTRACTOR",
    Vacancy.EmploymentType.TEMPORARY: "TEMPORARY",
}
# schema.org unitText values of QuantitativeValue for each wage period.
WAGE_UNITS = {Vacancy.WagePeriod.HOUR: "HOUR", Vacancy.WagePeriod.YEAR: "YEAR"}


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _location(vacancy: Vacancy) -> dict[str, Any]:
    address = {"@type": "PostalAddress"}
    if vacancy.location:
        address["addressLocality"] = vacancy.location
    if vacancy.region:
        address["addressRegion"] = vacancy.region
    if vacancy.country:
        address["addressCountry"] = vacancy.country
    return {"@type": "Place", "address": address}


def _salary(vacancy: Vacancy) -> dict[str, Any] | None:
    if vacancy.wage_min is None and vacancy.wage_max is None:
        return None
    value = {"@type": "QuantitativeValue", "unitText": WAGE_UNITS[vacancy.wage_period]}
    if vacancy.wage_min is not None and vacancy.wage_max is not None:
        value["minValue"] = _number(vacancy.wage_min)
        value["maxValue"] = _number(vacancy.wage_max)
    else:
        value["value"] = _number(vacancy.wage_min or vacancy.wage_max)
    return {
        "@type": "MonetaryAmount",
        "currency": vacancy.wage_currency,
        "value": value,
    }


def job_posting(vacancy: Vacancy, skill_names: list[str]) -> dict[str, Any]:
    """Return the JobPosting of an open vacancy as a JSON-ready dict."""
    employer = vacancy.employer
    organization = {"@type": "Organization", "name": employer.name}
    if employer.website:
        organization["sameAs"] = employer.website
    posted = vacancy.published_at or vacancy.created_at
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": vacancy.description or vacancy.title,
        "datePosted": timezone.localdate(posted).isoformat(),
        "hiringOrganization": organization,
        "employmentType": EMPLOYMENT_TYPES[vacancy.employment_type],
        "url": settings.MEX_SITE_URL
        + reverse("vacancies:detail", kwargs={"pk": vacancy.pk}),
        "identifier": {
            "@type": "PropertyValue",
            "name": employer.name,
            "value": str(vacancy.pk),
        },
    }
    if vacancy.work_mode == Vacancy.WorkMode.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        if vacancy.country:
            data["applicantLocationRequirements"] = {
                "@type": "Country",
                "name": vacancy.country,
            }
    if vacancy.location or vacancy.region or vacancy.country:
        data["jobLocation"] = _location(vacancy)
    salary = _salary(vacancy)
    if salary:
        data["baseSalary"] = salary
    if vacancy.closes_on:
        closing = datetime.combine(vacancy.closes_on, time(23, 59, 59))
        data["validThrough"] = timezone.make_aware(closing).isoformat()
    if vacancy.noc_code:
        data["occupationalCategory"] = f"NOC 2021 {vacancy.noc_code}"
    if vacancy.hours_per_week:
        data["workHours"] = f"{_number(vacancy.hours_per_week):g} hours per week"
    if vacancy.experience:
        data["experienceRequirements"] = vacancy.experience
    if skill_names:
        data["skills"] = ", ".join(skill_names)
    return data
