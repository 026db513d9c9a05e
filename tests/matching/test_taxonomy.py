"""Loading the MEX taxonomy and mapping posting text to it."""

import pytest

from matching.models import Credential, Occupation, Skill
from matching.taxonomy import (
    OccupationFinder,
    TextMapper,
    load_taxonomy,
    phrase_pattern,
    split_sections,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapper():
    load_taxonomy()
    return TextMapper()


def _codes(mapped):
    skills = {
        Skill.objects.get(pk=pk).code: importance
        for pk, importance in mapped.skills.items()
    }
    credentials = {Credential.objects.get(pk=pk).code for pk in mapped.credentials}
    return skills, credentials


def test_load_taxonomy_is_idempotent():
    # given
    load_taxonomy()
    counts = (Skill.objects.count(), Credential.objects.count())

    # when
    created = load_taxonomy()

    # then
    assert created == {"skills": 0, "credentials": 0}
    assert (Skill.objects.count(), Credential.objects.count()) == counts


def test_taxonomy_links_related_skills():
    # when
    load_taxonomy()

    # then
    transfers = Skill.objects.get(code="mex:safe-transfers")
    assert transfers.related.filter(code="mex:mobility-support").exists()


def test_taxonomy_has_occupations():
    # when
    load_taxonomy()

    # then
    psw = Occupation.objects.get(code="mex:personal-support-worker")
    assert psw.noc_codes == ["33102"]
    assert psw.skill_profile.count() >= 5


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("dementia", "Experience with Dementia residents", True),
        ("end-of-life care", "provides end of life care", True),
        ("hoist", "using hoists safely", True),
        ("cpr", "CPR-certified", True),
        ("cpr", "cprx training", False),
        ("ppe", "appeal", False),
        ("basic cardiac life support (bcls) certificate", "a BCLS) certificate", False),
    ],
)
def test_phrase_pattern_whole_words(phrase, text, found):
    assert bool(phrase_pattern([phrase]).search(text)) is found


def test_job_bank_sections_split():
    # given
    text = (
        "Job requirements Languages English Education Secondary school "
        "Credentials (certificates, licences, memberships, courses, etc.) "
        "CPR Certificate Specific Skills Bathe, dress and groom patients"
    )

    # when
    sections = dict(split_sections(text))

    # then
    assert sections["credentials"].strip() == "CPR Certificate"
    assert "Bathe" in sections["specific skills"]


def test_free_text_has_no_sections():
    assert split_sections("We need a caring support worker in Leeds.") == []


def test_job_bank_credentials_only_from_sections(mapper):
    # given
    text = (
        "Job requirements Languages Bilingual Education Other trades certificate "
        "Credentials (certificates, licences, memberships, courses, etc.) "
        "Personal Support Worker Certificate Specific Skills Provide personal "
        "care; Feed or assist in feeding Additional Skills Make beds "
        "Security and Safety Criminal record check; Vulnerable sector check "
        "Health benefits Free criminal record check paid by employer"
    )

    # when
    skills, credentials = _codes(mapper.map(text))

    # then
    assert credentials == {
        "mex:lang-en",
        "mex:lang-fr",
        "mex:psw-certificate",
        "mex:criminal-record-check",
        "mex:vulnerable-sector-check",
    }
    assert skills["mex:personal-care"] == "required"
    assert skills["mex:nutrition-feeding"] == "required"
    assert skills["mex:housekeeping"] == "preferred"


def test_free_text_desirable_is_preferred(mapper):
    # given
    text = (
        "You will give personal care to residents. Experience of dementia "
        "care is desirable. You will record observations accurately."
    )

    # when
    skills, credentials = _codes(mapper.map(text))

    # then
    assert skills == {
        "mex:personal-care": "required",
        "mex:dementia-care": "preferred",
        "mex:vital-signs": "required",
    }
    assert credentials == set()


def test_html_entities_decoded(mapper):
    # when
    skills, _ = _codes(
        mapper.map("Moving &amp; handling; residents&#39; bill of rights")
    )

    # then
    assert "mex:safe-transfers" in skills
    assert "mex:safeguarding" in skills


def test_occupation_from_title():
    # given
    load_taxonomy()

    # when
    occupation = OccupationFinder().find("Bank Health Care Assistant (nights)")

    # then
    assert occupation.code == "mex:personal-support-worker"


def test_occupation_prefers_longest_alias():
    # given
    load_taxonomy()

    # when
    occupation = OccupationFinder().find("Registered practical nurse, days")

    # then
    assert occupation.code == "mex:practical-nurse"
