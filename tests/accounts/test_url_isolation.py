"""Every URL that takes an id, slug or key keeps other tenants' rows out of reach.

The test walks the project's URL resolver, so a view added later is checked
without editing this file. Another tenant's rows all use primary keys from
one small range, so every integer argument can point at each of them. Their
private text contains a marker that must never appear in a response.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from accounts.models import Invitation, Membership, Organization, User
from applicants.models import (
    ApplicantCredential,
    ApplicantProfile,
    ApplicantSkill,
    Experience,
    Qualification,
)
from badges.models import Assertion, BadgeClass
from colleges.models import Course, CourseSkill, Enrolment
from matching.models import Credential, Match
from tests.factories import (
    ApplicantFactory,
    CollegeFactory,
    MembershipFactory,
    OrganizationFactory,
    SkillFactory,
    UserFactory,
    VacancyFactory,
)
from vacancies.models import Vacancy, VacancySkill

MARKER = "VICTIM-PRIVATE-7f3a"
# Primary keys of the other tenant's rows: one key per table where the tenant
# has one row, consecutive keys where it has several (users, organizations).
VICTIM_PK = 987_650
VICTIM_PKS = [VICTIM_PK, VICTIM_PK + 1, VICTIM_PK + 2]
VICTIM_UUID = uuid.UUID("9d5e2a7c-0000-4000-8000-00000000f00d")
VICTIM_SLUG = "victim-employer"

# URL names that are public by design, with the reason. Every other URL that
# takes an argument must return 404 or a login redirect for another tenant's id.
PUBLIC_BY_DESIGN = {
    "badges:verify": "badge verification page, looked up by a random public UUID",
    "badges:assertion": "Open Badges assertion JSON, public by the standard",
    "badges:assertion_image": "baked badge image, public by the standard",
    "badges:badge_class": "Open Badges badge class JSON, public by the standard",
    "badges:badge_class_image": "badge class image, public by the standard",
    "badges:issuer": "Open Badges issuer profile of an organization, public",
    "badges:revocation_list": "Open Badges revocation list, public by the standard",
    "badges:assertion_svg": "baked SVG badge, public by the standard",
    "badges:credential_revocations": "status list of an issuer's credentials, public",
    "badges:jwks": "issuer's public signing keys, published for verifiers",
    "badges:log_proof": "inclusion proof of a public badge in the public log",
    "badges:certificate": "PDF of the public verification page, by public UUID",
    "badges:credential": "Open Badges 3.0 credential, public by the standard",
    "accounts:invitation_accept": (
        "keyed by a random secret token, not an id; forged, used and expired "
        "tokens are tested in test_invitations"
    ),
    "account_confirm_email": "keyed by allauth's random confirmation key",
    "account_reset_password_from_key": "keyed by allauth's signed reset token",
}

# Candidate values per converter, tried until reverse() accepts one.
CANDIDATES = {
    "int": VICTIM_PKS,
    "slug": [VICTIM_SLUG, str(VICTIM_PK)],
    "uuid": [VICTIM_UUID],
    "str": [str(VICTIM_PK), VICTIM_SLUG, str(VICTIM_UUID)],
    "path": [str(VICTIM_PK), VICTIM_SLUG, str(VICTIM_UUID)],
}


def _converter_names(pattern) -> dict[str, str]:
    """Return each named argument of one pattern level and its converter name."""
    if isinstance(pattern, RoutePattern):
        names = {}
        for name, converter in pattern.converters.items():
            kind = type(converter).__name__.removesuffix("Converter").lower()
            names[name] = kind if kind in CANDIDATES else "str"
        return names
    return dict.fromkeys(pattern.regex.groupindex, "str")


def _walk(patterns, namespace=None, arguments=None, levels=()):
    """Yield (label, arguments, levels) of every pattern that takes arguments.

    The label is the URL name, or the route itself for an unnamed pattern.
    """
    for entry in patterns:
        found = dict(arguments or {})
        found.update(_converter_names(entry.pattern))
        inner_levels = (*levels, entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = (
                    f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                )
            yield from _walk(entry.url_patterns, inner, found, inner_levels)
        elif isinstance(entry, URLPattern) and found:
            if entry.name:
                label = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                label = "/" + "".join(str(level) for level in inner_levels)
            yield label, found, inner_levels


def _substitute_routes(levels, index: int) -> str:
    """Build the URL of an unnamed pattern from its route or regex levels."""
    parts = []
    for level in levels:
        kinds = _converter_names(level)

        def value(found, kinds=kinds):
            options = CANDIDATES[kinds[found.group("name")]]
            return str(options[min(index, len(options) - 1)])

        if isinstance(level, RoutePattern):
            parts.append(re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, str(level)))
        else:
            # Simple regexes only: one named group per argument, no nesting.
            text = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", value, str(level))
            parts.append(text.lstrip("^").rstrip("$"))
    return "/" + "".join(parts)


def _urls_for(name: str, arguments: dict[str, str], levels) -> list[str]:
    """Return URLs of ``name`` filled with the other tenant's ids, one per id."""
    if name.startswith("/"):
        return sorted({_substitute_routes(levels, i) for i in range(len(VICTIM_PKS))})
    urls = []
    for index in range(len(VICTIM_PKS)):
        kwargs = {}
        for argument, kind in arguments.items():
            options = CANDIDATES[kind]
            kwargs[argument] = options[min(index, len(options) - 1)]
        try:
            urls.append(reverse(name, kwargs=kwargs))
            continue
        except NoReverseMatch:
            pass
        # Regex patterns may take only certain values: try each candidate.
        for value in CANDIDATES["str"] + ["accounts"]:
            try:
                urls.append(reverse(name, kwargs=dict.fromkeys(arguments, value)))
                break
            except NoReverseMatch:
                continue
    assert urls, f"no candidate value builds a URL for {name} {arguments}"
    return sorted(set(urls))


def _parameterized_urls():
    found = _walk(get_resolver().url_patterns)
    return sorted(found, key=lambda item: item[0])


def _create_victim_tenant():
    """Create another tenant's rows of every owned model, all carrying MARKER."""
    employer_owner = UserFactory(pk=VICTIM_PKS[0], last_name=MARKER)
    college_owner = UserFactory(pk=VICTIM_PKS[1], last_name=MARKER)
    applicant_user = UserFactory(pk=VICTIM_PKS[2], last_name=MARKER)

    employer = OrganizationFactory(
        pk=VICTIM_PKS[0], slug=VICTIM_SLUG, description=MARKER
    )
    college = CollegeFactory(
        pk=VICTIM_PKS[1], slug="victim-college", description=MARKER
    )

    Membership.objects.create(
        pk=VICTIM_PKS[0], user=employer_owner, organization=employer, role="owner"
    )
    Membership.objects.create(
        pk=VICTIM_PKS[1], user=college_owner, organization=college, role="owner"
    )

    Invitation.objects.create(
        pk=VICTIM_PK,
        organization=employer,
        email=f"{MARKER.lower()}@example.test",
        token_digest="0" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )

    profile = ApplicantProfile.objects.create(
        pk=VICTIM_PK,
        user=applicant_user,
        headline=MARKER,
        phone=MARKER,
        consent_to_share=True,
    )
    skill = SkillFactory()
    credential = Credential.objects.create(
        code="victim.credential", name="Victim credential", kind="certificate"
    )
    ApplicantSkill.objects.create(pk=VICTIM_PK, profile=profile, skill=skill)
    ApplicantCredential.objects.create(
        pk=VICTIM_PK, profile=profile, credential=credential
    )
    Experience.objects.create(
        pk=VICTIM_PK,
        profile=profile,
        title=MARKER,
        start_date=timezone.now().date(),
    )
    Qualification.objects.create(pk=VICTIM_PK, profile=profile, title=MARKER)

    vacancy = Vacancy.objects.create(
        pk=VICTIM_PK,
        employer=employer,
        title=MARKER,
        description=MARKER,
        status=Vacancy.Status.DRAFT,
    )
    VacancySkill.objects.create(pk=VICTIM_PK, vacancy=vacancy, skill=skill)
    Match.objects.create(
        pk=VICTIM_PK,
        vacancy=vacancy,
        applicant=profile,
        score=0.9,
        status=Match.Status.APPROVED,
        explanation={"skills": [], "credentials": [], "note": MARKER},
    )

    course = Course.objects.create(
        pk=VICTIM_PK, college=college, title=MARKER, description=MARKER, hours=10
    )
    CourseSkill.objects.create(pk=VICTIM_PK, course=course, skill=skill)
    enrolment = Enrolment.objects.create(
        pk=VICTIM_PK,
        applicant=profile,
        course=course,
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
    )

    badge_class = BadgeClass.objects.create(
        pk=VICTIM_PK,
        public_id=VICTIM_UUID,
        college=college,
        course=course,
        name=MARKER,
        description=MARKER,
    )
    Assertion.objects.create(
        pk=VICTIM_PK,
        public_id=VICTIM_UUID,
        badge_class=badge_class,
        recipient=profile,
        enrolment=enrolment,
        recipient_salt="salt",
        recipient_hash="sha256$" + "0" * 64,
        issued_on=timezone.now(),
        narrative=MARKER,
    )


def _create_attackers() -> dict[str, User | None]:
    """Create one user per role, each with rows of their own tenant."""
    applicant = ApplicantFactory()
    employer = MembershipFactory(organization=OrganizationFactory())
    VacancyFactory(employer=employer.organization, status=Vacancy.Status.DRAFT)
    college = MembershipFactory(organization=CollegeFactory())
    Course.objects.create(college=college.organization, title="Own course", hours=5)
    return {
        "anonymous": None,
        "applicant": applicant.user,
        "employer staff": employer.user,
        "college staff": college.user,
    }


def _is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302):
        return False
    location = response.headers["Location"]
    return location.startswith((reverse("account_login"), reverse("admin:login")))


def _failures_for(client, role, name, urls) -> list[str]:
    failures = []
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = response.content.decode(errors="replace")
            leaked = MARKER in body or MARKER in response.headers.get("Location", "")
            # A view returns 405 to a method it does not allow before any
            # lookup, so the response is the same for every id.
            refused = (
                response.status_code == 404
                or _is_login_redirect(response)
                or response.status_code == 405
            )
            if leaked or not refused:
                failures.append(
                    f"{method.upper()} {url} ({name}) as {role}: "
                    f"{response.status_code}{', leaked marker' if leaked else ''}"
                )
    return failures


def test_walker_finds_the_project_urls():
    names = {label for label, _arguments, _levels in _parameterized_urls()}

    assert "vacancies:detail" in names
    assert "accounts:membership_role" in names
    assert "admin:accounts_organization_change" in names
    assert "catalogue:detail" in names


def test_public_allow_list_names_real_reasons():
    for name, reason in PUBLIC_BY_DESIGN.items():
        assert len(reason) > 20, name


@pytest.mark.django_db
def test_no_url_reaches_another_tenants_rows(client):
    # given: attackers first, so that no auto-increment key of theirs falls
    # into the victim's key range
    attackers = _create_attackers()
    _create_victim_tenant()
    checked = _parameterized_urls()

    # when
    failures = []
    for role, user in attackers.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for name, arguments, levels in checked:
            if name in PUBLIC_BY_DESIGN:
                continue
            urls = _urls_for(name, arguments, levels)
            failures += _failures_for(client, role, name, urls)

    # then
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
def test_victim_rows_exist_under_shared_keys():
    _create_victim_tenant()

    assert Organization.objects.filter(pk__in=VICTIM_PKS).count() == 2
    assert Vacancy.objects.get(pk=VICTIM_PK).status == Vacancy.Status.DRAFT
    assert Assertion.objects.get(pk=VICTIM_PK).public_id == VICTIM_UUID


@pytest.mark.django_db
@pytest.mark.urls("tests.accounts.leaky_urls")
def test_walker_catches_an_unscoped_view(client):
    # given
    attackers = _create_attackers()
    _create_victim_tenant()
    client.force_login(attackers["employer staff"])
    arguments = dict((name, found) for name, found, _levels in _parameterized_urls())[
        "leaky_vacancy"
    ]

    # when
    urls = _urls_for("leaky_vacancy", arguments, ())
    failures = _failures_for(client, "employer staff", "leaky", urls)

    # then
    assert any("leaked marker" in failure for failure in failures)
