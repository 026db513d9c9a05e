"""Load invented demo data: employers, colleges, courses, vacancies, applicants.

Every row is keyed by a natural key (email, slug, title, or the vacancy's
source and source id), so running the command again creates nothing new.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization
from applicants.models import ApplicantCredential, ApplicantProfile, ApplicantSkill
from colleges.models import Course, CourseSkill
from matching.models import Credential, Skill
from matching.taxonomy import load_taxonomy
from vacancies.models import Vacancy, VacancySkill

ADMIN_EMAIL = "admin@mex.local"
# Demo credentials, printed by the command; never used outside a demo.
ADMIN_PASSWORD = "mex-admin-demo-2026"  # noqa: S105
DEMO_PASSWORD = "mex-demo-2026"  # noqa: S105
DEMO_SOURCE = "mex-demo"

EMPLOYERS = [
    ("maplewood-ltc", "Maplewood Long-Term Care", "owner@maplewood.example"),
    ("riverbend-home-care", "Riverbend Home Care", "owner@riverbend.example"),
    ("lakeshore-residence", "Lakeshore Seniors' Residence", "owner@lakeshore.example"),
]

COLLEGES = [
    ("northbridge-college", "Northbridge College", "staff@northbridge.example"),
    ("lakehead-valley-college", "Lakehead Valley College", "staff@lakehead.example"),
]

# (college slug, title, hours, delivery, [(skill code, level)])
COURSES = [
    (
        "northbridge-college",
        "Dementia Care Essentials",
        20,
        "online",
        [("mex:dementia-care", 3)],
    ),
    (
        "northbridge-college",
        "Safe Transfers and Lifts",
        12,
        "in_person",
        [("mex:safe-transfers", 3), ("mex:mobility-support", 3)],
    ),
    (
        "northbridge-college",
        "Palliative Care for Support Workers",
        30,
        "online",
        [("mex:palliative-care", 3), ("mex:communication", 3)],
    ),
    (
        "lakehead-valley-college",
        "Infection Prevention and Control Basics",
        8,
        "online",
        [("mex:infection-control", 3)],
    ),
    (
        "lakehead-valley-college",
        "Medication Assistance for Support Workers",
        16,
        "in_person",
        [("mex:medication-assistance", 3), ("mex:documentation", 2)],
    ),
    (
        "lakehead-valley-college",
        "Dementia and Responsive Behaviours",
        35,
        "in_person",
        [("mex:dementia-care", 4), ("mex:mental-health-support", 3)],
    ),
]

# (source id, employer slug, title, location, work mode, hourly wage range,
#  [(skill code, minimum level, importance)], [credential codes])
VACANCIES = [
    (
        "psw-nights",
        "maplewood-ltc",
        "Personal Support Worker, nights",
        "Toronto",
        "on_site",
        (19.5, 23.0),
        [
            ("mex:personal-care", 3, "required"),
            ("mex:safe-transfers", 3, "required"),
            ("mex:dementia-care", 3, "required"),
            ("mex:infection-control", 2, "required"),
            ("mex:documentation", 2, "preferred"),
        ],
        ["mex:psw-certificate", "mex:vulnerable-sector-check", "mex:lang-en"],
    ),
    (
        "psw-home-support",
        "riverbend-home-care",
        "Home Support Worker",
        "Ottawa",
        "on_site",
        (20.0, 24.5),
        [
            ("mex:personal-care", 3, "required"),
            ("mex:medication-assistance", 2, "required"),
            ("mex:nutrition-feeding", 2, "required"),
            ("mex:housekeeping", 2, "preferred"),
            ("mex:communication", 3, "preferred"),
        ],
        ["mex:psw-certificate", "mex:criminal-record-check", "mex:drivers-licence"],
    ),
    (
        "palliative-psw",
        "lakeshore-residence",
        "Palliative Care Support Worker",
        "Mississauga",
        "on_site",
        (21.0, 25.0),
        [
            ("mex:personal-care", 3, "required"),
            ("mex:palliative-care", 3, "required"),
            ("mex:communication", 3, "required"),
            ("mex:vital-signs", 2, "preferred"),
        ],
        ["mex:psw-certificate", "mex:lang-en"],
    ),
    (
        "dietary-aide",
        "lakeshore-residence",
        "Dining Room and Feeding Assistant",
        "Mississauga",
        "on_site",
        (18.0, 20.0),
        [
            ("mex:nutrition-feeding", 3, "required"),
            ("mex:infection-control", 2, "required"),
            ("mex:communication", 2, "preferred"),
        ],
        ["mex:food-handler-certificate"],
    ),
]

# (email, first name, last name, city, [(skill code, level)], [credentials])
APPLICANTS = [
    (
        "amina.yusuf@applicant.example",
        "Amina",
        "Yusuf",
        "Toronto",
        [
            ("mex:personal-care", 4),
            ("mex:safe-transfers", 3),
            ("mex:dementia-care", 3),
            ("mex:infection-control", 3),
            ("mex:documentation", 3),
        ],
        ["mex:psw-certificate", "mex:vulnerable-sector-check", "mex:lang-en"],
    ),
    (
        "daniel.tremblay@applicant.example",
        "Daniel",
        "Tremblay",
        "Toronto",
        [
            ("mex:personal-care", 3),
            ("mex:safe-transfers", 3),
            ("mex:infection-control", 2),
            ("mex:mental-health-support", 2),
        ],
        [
            "mex:psw-certificate",
            "mex:vulnerable-sector-check",
            "mex:lang-en",
            "mex:lang-fr",
        ],
    ),
    (
        "grace.owusu@applicant.example",
        "Grace",
        "Owusu",
        "Toronto",
        [
            ("mex:personal-care", 3),
            ("mex:mobility-support", 3),
            ("mex:dementia-care", 2),
            ("mex:infection-control", 3),
        ],
        ["mex:psw-certificate", "mex:vulnerable-sector-check", "mex:lang-en"],
    ),
    (
        "luis.fernandez@applicant.example",
        "Luis",
        "Fernandez",
        "Ottawa",
        [
            ("mex:personal-care", 3),
            ("mex:medication-assistance", 3),
            ("mex:nutrition-feeding", 3),
            ("mex:housekeeping", 3),
        ],
        ["mex:psw-certificate", "mex:criminal-record-check", "mex:drivers-licence"],
    ),
    (
        "mei.chen@applicant.example",
        "Mei",
        "Chen",
        "Ottawa",
        [
            ("mex:personal-care", 3),
            ("mex:nutrition-feeding", 2),
            ("mex:communication", 4),
        ],
        ["mex:psw-certificate", "mex:criminal-record-check", "mex:drivers-licence"],
    ),
    (
        "sophie.gagnon@applicant.example",
        "Sophie",
        "Gagnon",
        "Mississauga",
        [
            ("mex:personal-care", 4),
            ("mex:communication", 3),
            ("mex:vital-signs", 3),
        ],
        ["mex:psw-certificate", "mex:lang-en", "mex:lang-fr"],
    ),
    (
        "omar.haddad@applicant.example",
        "Omar",
        "Haddad",
        "Mississauga",
        [
            ("mex:nutrition-feeding", 3),
            ("mex:infection-control", 2),
            ("mex:communication", 2),
        ],
        ["mex:food-handler-certificate", "mex:lang-en"],
    ),
    (
        "priya.nair@applicant.example",
        "Priya",
        "Nair",
        "Toronto",
        [("mex:communication", 3), ("mex:first-aid", 3)],
        ["mex:first-aid-cpr-certificate", "mex:lang-en"],
    ),
]


class Command(BaseCommand):
    help = (
        "Load invented demo data (employers, colleges, courses, vacancies, "
        "applicants and an administrator). Safe to run again."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            taxonomy = load_taxonomy()
            created = _load(self)

        self.stdout.write(
            f"Taxonomy: {taxonomy['skills']} skills and {taxonomy['credentials']} "
            "credentials created."
        )
        for kind, count in created.items():
            self.stdout.write(f"{kind}: {count} created")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo administrator: {ADMIN_EMAIL} / {ADMIN_PASSWORD} "
                "(the admin asks to set up an authenticator app first)\n"
                f"Every other demo account (employers, colleges, applicants) "
                f"uses the password {DEMO_PASSWORD}; for example "
                f"{EMPLOYERS[0][2]}, {COLLEGES[0][2]}, {APPLICANTS[0][0]}."
            )
        )


def _load(command) -> dict[str, int]:
    User = get_user_model()
    created = dict.fromkeys(
        ["Users", "Organizations", "Courses", "Vacancies", "Applicants"], 0
    )
    skills = {skill.code: skill for skill in Skill.objects.all()}
    credentials = {
        credential.code: credential for credential in Credential.objects.all()
    }

    def user(email, first="", last="", **extra):
        account = User.objects.filter(email=email).first()
        if account is None:
            account = User.objects.create_user(
                email=email,
                password=extra.pop("password", DEMO_PASSWORD),
                first_name=first,
                last_name=last,
                **extra,
            )
            created["Users"] += 1
        return account

    user(
        ADMIN_EMAIL,
        "MEX",
        "Administrator",
        password=ADMIN_PASSWORD,
        is_staff=True,
        is_superuser=True,
    )

    organizations = {}
    for kind, rows in (("employer", EMPLOYERS), ("college", COLLEGES)):
        for slug, name, email in rows:
            organization, was_created = Organization.objects.get_or_create(
                slug=slug,
                defaults={
                    "kind": kind,
                    "name": name,
                    "approval_status": Organization.Approval.APPROVED,
                    "approved_at": timezone.now(),
                },
            )
            created["Organizations"] += int(was_created)
            organizations[slug] = organization
            Membership.objects.get_or_create(
                user=user(email, name.split()[0], "Staff"),
                organization=organization,
                defaults={"role": Membership.Role.OWNER},
            )

    for slug, title, hours, delivery, taught in COURSES:
        course, was_created = Course.objects.get_or_create(
            college=organizations[slug],
            title=title,
            defaults={
                "hours": hours,
                "delivery": delivery,
                "status": Course.Status.PUBLISHED,
                "description": f"A short micro-credential course: {title.lower()}.",
            },
        )
        created["Courses"] += int(was_created)
        for code, level in taught:
            CourseSkill.objects.get_or_create(
                course=course, skill=skills[code], defaults={"level": level}
            )

    for source_id, slug, title, city, mode, wages, asked, needed in VACANCIES:
        vacancy, was_created = Vacancy.objects.get_or_create(
            source=DEMO_SOURCE,
            source_id=source_id,
            defaults={
                "employer": organizations[slug],
                "title": title,
                "description": f"{organizations[slug].name} is hiring: {title}.",
                "location": city,
                "region": "ON",
                "country": "CA",
                "work_mode": mode,
                "wage_min": wages[0],
                "wage_max": wages[1],
                "status": Vacancy.Status.OPEN,
                "published_at": timezone.now(),
            },
        )
        created["Vacancies"] += int(was_created)
        for code, level, importance in asked:
            VacancySkill.objects.get_or_create(
                vacancy=vacancy,
                skill=skills[code],
                defaults={"min_level": level, "importance": importance},
            )
        if was_created:
            vacancy.required_credentials.set([credentials[c] for c in needed])

    for email, first, last, city, held, holds in APPLICANTS:
        account = user(email, first, last)
        profile, was_created = ApplicantProfile.objects.get_or_create(
            user=account,
            defaults={
                "headline": "Personal support worker",
                "location": city,
                "region": "ON",
                "country": "CA",
                "open_to_work": True,
                "consent_to_share": True,
                "consent_given_at": timezone.now(),
            },
        )
        created["Applicants"] += int(was_created)
        for code, level in held:
            ApplicantSkill.objects.get_or_create(
                profile=profile, skill=skills[code], defaults={"level": level}
            )
        for code in holds:
            ApplicantCredential.objects.get_or_create(
                profile=profile, credential=credentials[code]
            )
    return created
