"""The explanation partial that pages include for one match."""

from django.template.loader import render_to_string

from matching.models import Match


def _match():
    return Match(
        score=0.6667,
        stars=4,
        required_met=1,
        required_total=2,
        explanation={
            "skills": [
                {
                    "skill_id": 1,
                    "name": "Personal care",
                    "importance": "required",
                    "min_level": 3,
                    "level": 3,
                    "status": "met",
                    "credit": 1.0,
                    "via": None,
                },
                {
                    "skill_id": 2,
                    "name": "Dementia care",
                    "importance": "required",
                    "min_level": 3,
                    "level": 0,
                    "status": "partial",
                    "credit": 0.5,
                    "via": "Mental health support",
                },
            ],
            "credentials": [
                {
                    "credential_id": 3,
                    "name": "Vulnerable sector check",
                    "kind": "security_check",
                    "status": "met",
                }
            ],
        },
    )


def test_explanation_renders_summary():
    html = render_to_string("matching/_explanation.html", {"match": _match()})

    assert "1 of 2 required skills" in html
    assert "67&nbsp;% fit" in html
    assert 'aria-label="4 stars out of 5"' in html


def test_explanation_renders_skills():
    html = render_to_string("matching/_explanation.html", {"match": _match()})

    assert "Personal care" in html
    assert "Partly met" in html
    assert "credit through the related skill Mental health support" in html
    assert "Vulnerable sector check" in html


def test_explanation_tolerates_empty():
    match = Match(score=0, stars=1, explanation={})

    html = render_to_string("matching/_explanation.html", {"match": match})

    assert "0 of 0 required skills" in html
