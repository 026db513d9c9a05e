"""Benchmark of MEX matching on a generated exchange in PostgreSQL.

Not a test. It fills a PostgreSQL database whose name ends in "_bench" with
a generated exchange (by default 100,000 applicants, 10,000 open vacancies
and 3,000 skills, a few of them very common), then measures in one run:

- a full re-match from the database to stored matches (time, peak memory),
  and the same run again when nothing changed;
- the floor: the bare scipy products of the same matrices in memory;
- one new vacancy scored against every applicant (the task's work);
- one changed profile re-scored against every vacancy;
- the naive per-pair Python loop on a small slice, extrapolated.

Each measured step runs in a fresh child process, so that its peak resident
memory is its own. Results go to stdout and, with --write, to the
"Matching" section of docs/benchmarks.md.

Usage (about ten minutes at the default size on two cores):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mex_matching_bench \\
        python bench/matching_bench.py --write
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Celery 5.7's Django fixup puts the working directory first on sys.path, so
# MEX would otherwise be imported from wherever the benchmark was started.
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mex.settings.local")
# Tasks run in-process here: the benchmark measures the work of a task, not
# the broker round trip.
os.environ["CELERY_BROKER_URL"] = ""

import django  # noqa: E402

from bench.benchmarks_doc import write_section  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organization, User  # noqa: E402
from applicants.models import (  # noqa: E402
    ApplicantCredential,
    ApplicantProfile,
    ApplicantSkill,
)
from matching.models import Credential, Match, MatchingRun, Skill  # noqa: E402
from matching.taxonomy import load_taxonomy  # noqa: E402
from vacancies.models import Vacancy, VacancySkill  # noqa: E402

# Provinces weighted roughly by population, so that the place filter cuts
# candidate pairs as it would in Canada.
REGIONS = ["ON", "QC", "BC", "AB", "MB", "SK", "NS", "NB", "NL", "PE"]
REGION_WEIGHTS = np.array([39, 22, 14, 12, 4, 3, 3, 2, 1, 0.5])
# Three skills that each take 5 % of all skill draws, so that each is held by
# about a third of applicants and asked by about a third of vacancies, like
# personal care in long-term care.
COMMON_SKILLS = 3
COMMON_SHARE = 0.05
NAIVE_SLICE = (2_000, 100)  # applicants x vacancies for the per-pair loop
REPEATS = 15


# --- Generation ---------------------------------------------------------------


def _popularity(n_skills: int, rng) -> np.ndarray:
    """Return draw probabilities: each common skill 5 %, the rest Zipf-like."""
    weights = 1.0 / np.arange(1, n_skills - COMMON_SKILLS + 1) ** 1.1
    rng.shuffle(weights)
    weights = weights / weights.sum() * (1 - COMMON_SHARE * COMMON_SKILLS)
    return np.concatenate([np.full(COMMON_SKILLS, COMMON_SHARE), weights])


def _sample_sets(rng, n_rows, mean, low, high, popularity):
    """Draw a set of skill columns per row, common skills more often."""
    sizes = np.clip(rng.poisson(mean, n_rows), low, high)
    draws = rng.choice(len(popularity), size=(n_rows, high * 2), p=popularity)
    rows, columns = [], []
    for row in range(n_rows):
        unique = list(dict.fromkeys(draws[row].tolist()))[: sizes[row]]
        rows.extend([row] * len(unique))
        columns.extend(unique)
    return np.array(rows), np.array(columns)


def _copy(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


def _reset() -> None:
    tables = [
        Match._meta.db_table,
        MatchingRun._meta.db_table,
        VacancySkill._meta.db_table,
        Vacancy.required_credentials.through._meta.db_table,
        Vacancy._meta.db_table,
        ApplicantSkill._meta.db_table,
        ApplicantCredential._meta.db_table,
        ApplicantProfile._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM accounts_user WHERE email LIKE '%%@bench.test'")
        cursor.execute("DELETE FROM matching_skill WHERE code LIKE 'bench:%%'")


def generate(applicants: int, vacancies: int, skills: int, seed: int) -> dict:
    """Fill the database with a generated exchange; return its shape."""
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    _reset()
    load_taxonomy()
    existing = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
    Skill.objects.bulk_create(
        Skill(code=f"bench:{i}", name=f"Bench skill {i}", source=Skill.Source.MEX)
        for i in range(max(0, skills - len(existing)))
    )
    skill_ids = np.array(
        Skill.objects.order_by("pk").values_list("pk", flat=True)[:skills]
    )
    popularity = _popularity(len(skill_ids), rng)
    credentials = {c.code: c.pk for c in Credential.objects.all()}
    employer, _ = Organization.objects.get_or_create(
        slug="bench-employer",
        defaults={
            "kind": "employer",
            "name": "Bench employer",
            "approval_status": "approved",
        },
    )
    now = timezone.now()
    region_p = REGION_WEIGHTS / REGION_WEIGHTS.sum()

    with transaction.atomic():
        first_user = (
            User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        _copy(
            "accounts_user",
            [
                "id",
                "password",
                "is_superuser",
                "first_name",
                "last_name",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
            ],
            (
                (
                    first_user + i,
                    "!",
                    False,
                    "",
                    "",
                    False,
                    True,
                    now,
                    f"a{i}@bench.test",
                )
                for i in range(applicants)
            ),
        )
        regions = rng.choice(REGIONS, size=applicants, p=region_p)
        remote = rng.random(applicants) < 0.2
        _copy(
            "applicants_applicantprofile",
            [
                "id",
                "user_id",
                "headline",
                "summary",
                "phone",
                "location",
                "region",
                "country",
                "open_to_remote",
                "open_to_work",
                "consent_to_share",
                "created_at",
                "updated_at",
            ],
            (
                (
                    i + 1,
                    first_user + i,
                    "",
                    "",
                    "",
                    "",
                    regions[i],
                    "CA",
                    bool(remote[i]),
                    True,
                    True,
                    now,
                    now,
                )
                for i in range(applicants)
            ),
        )
        rows, columns = _sample_sets(rng, applicants, 8, 3, 14, popularity)
        levels = rng.choice(
            [1, 2, 3, 4, 5], size=len(rows), p=[0.05, 0.2, 0.4, 0.25, 0.1]
        )
        _copy(
            "applicants_applicantskill",
            ["profile_id", "skill_id", "level"],
            zip(
                (rows + 1).tolist(),
                skill_ids[columns].tolist(),
                levels.tolist(),
                strict=True,
            ),
        )
        held = {
            "mex:psw-certificate": 0.6,
            "mex:criminal-record-check": 0.7,
            "mex:vulnerable-sector-check": 0.5,
            "mex:lang-en": 0.9,
            "mex:lang-fr": 0.25,
            "mex:first-aid-cpr-certificate": 0.5,
        }
        credential_rows = []
        for code, share in held.items():
            for profile in np.flatnonzero(rng.random(applicants) < share) + 1:
                credential_rows.append((int(profile), credentials[code]))
        _copy(
            "applicants_applicantcredential",
            ["profile_id", "credential_id"],
            credential_rows,
        )

        vacancy_regions = rng.choice(REGIONS, size=vacancies, p=region_p)
        modes = np.where(rng.random(vacancies) < 0.05, "remote", "on_site")
        _copy(
            "vacancies_vacancy",
            [
                "id",
                "employer_id",
                "title",
                "description",
                "location",
                "region",
                "country",
                "work_mode",
                "employment_type",
                "wage_currency",
                "wage_period",
                "noc_code",
                "experience",
                "status",
                "source",
                "source_id",
                "published_at",
                "created_at",
                "updated_at",
            ],
            (
                (
                    i + 1,
                    employer.pk,
                    f"Bench vacancy {i}",
                    "",
                    "",
                    vacancy_regions[i],
                    "CA",
                    modes[i],
                    "full_time",
                    "CAD",
                    "hour",
                    "33102",
                    "",
                    "open",
                    "bench",
                    str(i),
                    now,
                    now,
                    now,
                )
                for i in range(vacancies)
            ),
        )
        rows, columns = _sample_sets(rng, vacancies, 7, 3, 10, popularity)
        minimum = rng.choice([2, 3, 4], size=len(rows), p=[0.3, 0.5, 0.2])
        required = np.where(rng.random(len(rows)) < 0.7, "required", "preferred")
        _copy(
            "vacancies_vacancyskill",
            ["vacancy_id", "skill_id", "min_level", "importance"],
            zip(
                (rows + 1).tolist(),
                skill_ids[columns].tolist(),
                minimum.tolist(),
                required.tolist(),
                strict=True,
            ),
        )
        asked = {
            "mex:psw-certificate": 0.4,
            "mex:criminal-record-check": 0.4,
            "mex:lang-en": 0.5,
            "mex:lang-fr": 0.03,
        }
        vacancy_credentials = []
        for code, share in asked.items():
            for vacancy in np.flatnonzero(rng.random(vacancies) < share) + 1:
                vacancy_credentials.append((int(vacancy), credentials[code]))
        _copy(
            Vacancy.required_credentials.through._meta.db_table,
            ["vacancy_id", "credential_id"],
            vacancy_credentials,
        )
        with connection.cursor() as cursor:
            for model in (
                User,
                ApplicantProfile,
                Vacancy,
                ApplicantSkill,
                VacancySkill,
            ):
                table = model._meta.db_table
                # The table names come from model metadata, not from input.
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    return {**_shape(), "generate_seconds": round(time.perf_counter() - started, 1)}


def _shape() -> dict:
    return {
        "applicants": ApplicantProfile.objects.count(),
        "vacancies": Vacancy.objects.filter(source="bench").count(),
        "skills": Skill.objects.count(),
        "applicant_skills": ApplicantSkill.objects.count(),
        "vacancy_skills": VacancySkill.objects.count(),
        "generate_seconds": None,
    }


# --- Measurements, each in its own child process -------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_full() -> dict:
    from matching.services import run_full_matching

    started = time.perf_counter()
    run = run_full_matching()
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": _peak_mb(),
        "created": run.matches_created,
        "updated": run.matches_updated,
        "unchanged": run.matches_unchanged,
        "withdrawn": run.matches_withdrawn,
    }


def measure_floor() -> dict:
    """Time the bare products of the same data, already in memory.

    Both orientations, applicants by vacancies and vacancies by applicants,
    in blocks of the scorer's size, with no threshold, no pruning, no
    filters and nothing stored; the faster one is the floor.
    """
    from scipy import sparse

    from matching.loading import load_inputs
    from matching.services import VACANCY_BLOCK_SIZE

    inputs = load_inputs()
    held = (inputs.applicants.levels > 0).astype(np.float64).tocsr()
    held_t = held.T.tocsr()
    asked = (inputs.vacancies.min_level > 0).astype(np.float64).tocsr()
    memory_before = _peak_mb()
    seconds = {}
    for orientation in ("applicants_by_vacancies", "vacancies_by_applicants"):
        started = time.perf_counter()
        pairs = 0
        for start in range(0, asked.shape[0], VACANCY_BLOCK_SIZE):
            block = asked[start : start + VACANCY_BLOCK_SIZE]
            if orientation == "applicants_by_vacancies":
                product = sparse.csr_matrix(held @ block.T)
            else:
                product = sparse.csr_matrix(block @ held_t)
            pairs += product.nnz
            del product
        seconds[orientation] = time.perf_counter() - started
    return {
        "seconds": min(seconds.values()),
        "by_orientation": seconds,
        "peak_mb": _peak_mb(),
        "loaded_mb": memory_before,
        "nonzero_pairs": int(pairs),
    }


def measure_new_vacancy() -> dict:
    """Publish one new vacancy (common and rare skills) and score it, REPEATS times."""
    from matching.services import rescore_vacancy

    employer = Organization.objects.get(slug="bench-employer")
    skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
    common = list(
        VacancySkill.objects.values("skill_id")
        .annotate(n=django.db.models.Count("id"))
        .order_by("-n")
        .values_list("skill_id", flat=True)[:2]
    )
    # A worker reads every applicant's skills into memory once and then keeps
    # them up to date from the change log. The timed runs use a warm worker.
    from matching.snapshot import skill_snapshot

    started = time.perf_counter()
    skill_snapshot()
    first_read = time.perf_counter() - started
    times = []
    for attempt in range(REPEATS):
        vacancy = Vacancy.objects.create(
            employer=employer,
            title=f"New vacancy {attempt}",
            region="ON",
            country="CA",
            status=Vacancy.Status.OPEN,
        )
        chosen = [*common, skills[100 + attempt], skills[900 + attempt]]
        for index, skill_id in enumerate(chosen):
            VacancySkill.objects.create(
                vacancy=vacancy,
                skill_id=skill_id,
                min_level=3,
                importance="required" if index < 3 else "preferred",
            )
        started = time.perf_counter()
        run = rescore_vacancy(vacancy_id=vacancy.pk)
        times.append(time.perf_counter() - started)
    return {
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "first_read_ms": first_read * 1000,
        "created": run.matches_created,
        "applicants_scored": run.applicants_scored,
        "peak_mb": _peak_mb(),
    }


def measure_changed_profile() -> dict:
    """Raise one skill of a typical applicant and re-score, REPEATS times."""
    from matching.services import rescore_applicant
    from matching.snapshot import skill_snapshot, vacancy_snapshot

    started = time.perf_counter()
    skill_snapshot()
    vacancy_snapshot()
    first_read = time.perf_counter() - started

    times, affected = [], []
    profiles = list(
        ApplicantProfile.objects.order_by("pk").values_list("pk", flat=True)[:REPEATS]
    )
    for profile_id in profiles:
        row = (
            ApplicantSkill.objects.filter(profile_id=profile_id)
            .order_by("level")
            .first()
        )
        row.level = min(5, row.level + 2)
        row.save()
        started = time.perf_counter()
        run = rescore_applicant(profile_id=profile_id)
        times.append(time.perf_counter() - started)
        affected.append(run.vacancies_scored)
    return {
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "vacancies_rescored_median": statistics.median(affected),
        "first_read_ms": first_read * 1000,
        "peak_mb": _peak_mb(),
    }


def measure_naive() -> dict:
    """Score a slice pair by pair with the plain-Python reference."""
    from matching.loading import load_inputs
    from matching.scoring import Scorer, Weights, explain_pair

    applicants, vacancies = NAIVE_SLICE
    vacancy_ids = list(
        Vacancy.objects.filter(source="bench")
        .order_by("pk")
        .values_list("pk", flat=True)[:vacancies]
    )
    inputs = load_inputs(vacancy_ids=vacancy_ids)
    weights = Weights.from_settings()
    levels = inputs.applicants.levels[:applicants]
    names = inputs.skill_names
    started = time.perf_counter()
    for row in range(levels.shape[0]):
        start, end = levels.indptr[row], levels.indptr[row + 1]
        held = dict(
            zip(
                inputs.skills.ids[levels.indices[start:end]].tolist(),
                levels.data[start:end].astype(int).tolist(),
                strict=True,
            )
        )
        for vacancy_id in vacancy_ids:
            explain_pair(
                requirements=inputs.details.requirements.get(vacancy_id, []),
                credentials=inputs.details.credentials.get(vacancy_id, []),
                levels=held,
                held_credentials=set(),
                related=inputs.related,
                skill_names=names,
                weights=weights,
            )
    naive = time.perf_counter() - started
    pairs = levels.shape[0] * len(vacancy_ids)

    from matching.scoring import Applicants

    sliced = Applicants(
        ids=inputs.applicants.ids[:applicants],
        levels=levels,
        credential_bits=inputs.applicants.credential_bits[:applicants],
        location=type(inputs.applicants.location)(
            country=inputs.applicants.location.country[:applicants],
            region=inputs.applicants.location.region[:applicants],
        ),
        open_to_remote=inputs.applicants.open_to_remote[:applicants],
        open_to_work=inputs.applicants.open_to_work[:applicants],
    )
    started = time.perf_counter()
    Scorer(inputs.skills, sliced, weights).score_block(
        inputs.vacancies, np.arange(len(inputs.vacancies.ids))
    )
    vectorised = time.perf_counter() - started
    return {
        "pairs": pairs,
        "naive_us_per_pair": naive / pairs * 1e6,
        "vectorised_us_per_pair": vectorised / pairs * 1e6,
    }


CHILDREN = {
    "full": measure_full,
    "floor": measure_floor,
    "new_vacancy": measure_new_vacancy,
    "changed_profile": measure_changed_profile,
    "naive": measure_naive,
}


def _child(name: str) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", name],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "MEX_LOG_LEVEL": "WARNING"},
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- Report ------------------------------------------------------------------


def _machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_kb / 1024**2:.0f} GiB RAM; "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}, PostgreSQL {postgres} on the same machine"
    )


def report(shape, results) -> str:
    full, again, floor = results["full"], results["full_again"], results["floor"]
    vacancy, profile, naive = (
        results["new_vacancy"],
        results["changed_profile"],
        results["naive"],
    )
    ratio = full["seconds"] / floor["seconds"]
    orientations = ", ".join(
        f"{name.replace('_', ' ')} {seconds:.1f} s"
        for name, seconds in floor["by_orientation"].items()
    )
    all_pairs = shape["applicants"] * shape["vacancies"]
    naive_hours = naive["naive_us_per_pair"] * all_pairs / 1e6 / 3600
    lines = [
        "## Matching",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `bench/matching_bench.py` on "
        f"{_machine()}. Load average {results['load_before']:.1f} before and "
        f"{results['load_after']:.1f} after the run (1-minute averages); other "
        "work on the machine slows every figure by an unmeasured factor.",
        "",
        f"Exchange: {shape['applicants']:,} applicants with "
        f"{shape['applicant_skills']:,} skill rows, {shape['vacancies']:,} open "
        f"vacancies with {shape['vacancy_skills']:,} requirements, "
        f"{shape['skills']:,} skills of which {COMMON_SKILLS} very common; "
        f"top K {_setting('MATCHING_TOP_K')}, threshold "
        f"{_setting('MATCHING_MIN_SCORE')}. Generated in "
        f"{shape['generate_seconds']} s.",
        "",
        "| Measure | Result | Baseline or target |",
        "|---|---|---|",
        f"| Full re-match, database to stored matches | {full['seconds']:.1f} s, "
        f"peak {full['peak_mb']:.0f} MB, {full['created']:,} matches created | "
        f"target < 60 s and < 2 GB: {_verdict(full['seconds'] < 60)} and "
        f"{_verdict(full['peak_mb'] < 2048)} |",
        f"| Same full re-match, nothing changed | {again['seconds']:.1f} s, "
        f"{again['unchanged']:,} unchanged, {again['created']} created | "
        "writes nothing |",
        f"| Floor: bare scipy products, in memory, faster orientation | "
        f"{floor['seconds']:.1f} s "
        f"({orientations}), "
        f"{floor['nonzero_pairs']:,} applicant-vacancy pairs sharing a skill | "
        f"full re-match is {ratio:.1f}x the floor (target <= 3x: "
        f"{_verdict(ratio <= 3)}) |",
        f"| One new vacancy vs all applicants | median "
        f"{vacancy['median_ms']:.0f} ms, max {vacancy['max_ms']:.0f} ms "
        f"({vacancy['applicants_scored']:,} applicants could reach the threshold); "
        f"a new worker first reads every skill in {vacancy['first_read_ms']:.0f} ms | "
        f"target < 200 ms worker time: {_verdict(vacancy['median_ms'] < 200)} |",
        f"| One changed profile vs all vacancies | median "
        f"{profile['median_ms']:.0f} ms, max {profile['max_ms']:.0f} ms "
        f"({profile['vacancies_rescored_median']:.0f} vacancies re-scored); a new "
        f"worker first reads every skill and requirement in "
        f"{profile['first_read_ms']:.0f} ms | target < 200 ms worker time: "
        f"{_verdict(profile['median_ms'] < 200)} |",
        f"| Naive per-pair Python loop, {naive['pairs']:,} pairs | "
        f"{naive['naive_us_per_pair']:.1f} µs per pair, "
        f"{naive_hours:.1f} h "
        "extrapolated to the full exchange | vectorised scorer: "
        f"{naive['vectorised_us_per_pair']:.2f} µs per pair on the same slice |",
        "",
    ]
    return "\n".join(lines)


def _verdict(met: bool) -> str:
    return "met" if met else "not met"


def _setting(name):
    from django.conf import settings

    return getattr(settings, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=10_000)
    parser.add_argument("--skills", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--write", action="store_true", help="Update docs/benchmarks.md."
    )
    parser.add_argument(
        "--reuse", action="store_true", help="Measure the exchange already generated."
    )
    parser.add_argument("--only", help="Comma-separated measures to run.")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        print(json.dumps(CHILDREN[options.child]()))
        return

    database = connection.settings_dict
    if connection.vendor != "postgresql" or not database["NAME"].endswith("_bench"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database whose name ends in "
            "_bench: the benchmark empties its applicants and vacancies."
        )
    call_command("migrate", verbosity=0)
    if options.reuse:
        shape = _shape()
    else:
        shape = generate(
            options.applicants, options.vacancies, options.skills, options.seed
        )
    print(json.dumps(shape), flush=True)
    results = {"load_before": os.getloadavg()[0]}
    names = ["floor", "full", "full_again", "new_vacancy", "changed_profile", "naive"]
    if options.only:
        names = options.only.split(",")
    for name in names:
        results[name] = _child("full" if name == "full_again" else name)
        print(name, json.dumps(results[name]), flush=True)
    if options.only:
        return
    results["load_after"] = os.getloadavg()[0]
    text = report(shape, results)
    print(text)
    if options.write:
        write_section("## Matching", text)


if __name__ == "__main__":
    main()
