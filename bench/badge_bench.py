"""Benchmark of badge issuance in one worker process, beside the bare work.

Not a test. It fills a PostgreSQL database whose name ends in "_bench" with one
college, one course and N completed enrolments, then measures in this one
process:

- issuance: ``badges.services.badge_issue`` per enrolment, as the worker's
  task runs it (row lock, assertion, Open Badges 3.0 signature, PNG drawing
  with the QR code, baking both documents, storage, transparency log,
  notification), split by stage;
- the bare work on the same images: a Pillow canvas of the same size with
  the same bands and text, a qrcode of the same verification URL pasted in,
  saved as PNG.

Results go to stdout and, with --write, to the "Badge issuance" section of
docs/benchmarks.md.

Usage (under a minute on two cores):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mex_badge_bench \\
        python bench/badge_bench.py --write
"""

import argparse
import functools
import io
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Celery 5.7's Django fixup puts the working directory first on sys.path, so
# MEX would otherwise be imported from wherever the benchmark was started.
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mex.settings.local")
# Tasks run in-process: the benchmark measures the task's work, not the broker.
os.environ["CELERY_BROKER_URL"] = ""
_SCRATCH = tempfile.mkdtemp(prefix="mex-badge-bench-")
os.environ["DJANGO_MEDIA_ROOT"] = str(Path(_SCRATCH) / "media")
os.environ["MEX_BADGE_KEY_DIR"] = str(Path(_SCRATCH) / "keys")

import django  # noqa: E402

from bench.benchmarks_doc import write_section  # noqa: E402

django.setup()

import logging  # noqa: E402

# One log line per badge would measure the terminal, not the work.
logging.disable(logging.INFO)

import PIL  # noqa: E402
import qrcode  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from accounts.models import Organization, User  # noqa: E402
from applicants.models import ApplicantProfile  # noqa: E402
from badges import drawing, openbadges3, services, transparency  # noqa: E402
from badges.models import Assertion  # noqa: E402
from colleges.models import Course, Enrolment  # noqa: E402

TARGET_PER_SECOND = 50
# Issuance may cost at most this many times the bare Pillow and qrcode work.
TARGET_RATIO = 2.0


def seed(count: int) -> list[int]:
    """Return the ids of ``count`` completed enrolments in a fresh schema."""
    call_command("flush", interactive=False, verbosity=0)
    college = Organization.objects.create(
        kind=Organization.Kind.COLLEGE,
        name="Lakeshore College of Health Sciences",
        slug="lakeshore",
        approval_status=Organization.Approval.APPROVED,
        approved_at=timezone.now(),
    )
    course = Course.objects.create(
        college=college,
        title="Dementia Care Essentials for Personal Support Workers",
        description="Person-centred care for residents living with dementia.",
        hours=12,
        status=Course.Status.PUBLISHED,
    )
    users = User.objects.bulk_create(
        User(email=f"learner{index}@example.test", first_name="Amina")
        for index in range(count)
    )
    profiles = ApplicantProfile.objects.bulk_create(
        ApplicantProfile(user=user) for user in users
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            applicant=profile,
            course=course,
            status=Enrolment.Status.COMPLETED,
            completed_at=timezone.now(),
        )
        for profile in profiles
    )
    return [enrolment.pk for enrolment in enrolments]


def _timed(totals: dict, name: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - started

    return wrapper


def _held(sent: list, task):
    """Replace a follow-up task's delay() so that it is counted, not run."""

    def delay(*args, **kwargs):
        sent.append(task.name)

    return delay


def measure_issuance(enrolment_ids: list[int]) -> dict:
    """Issue every badge in this process; return the rate and stage times.

    The tasks that issuing enqueues (the notification email, the pathway
    check) run on other queues in production: here they are counted, not run.
    """
    from accounts.tasks import send_notification_email
    from badges.tasks import award_pathways

    stages: dict[str, float] = defaultdict(float)
    followers = [send_notification_email, award_pathways]
    sent: list[str] = []
    for task in followers:
        task.delay = _held(sent, task)
    patches = [
        (openbadges3, "sign_credential", "sign (Open Badges 3.0 JWT)"),
        (drawing, "draw_badge_png", "draw PNG with QR code"),
        (services, "bake_png", "bake both documents"),
        (transparency, "append_event", "transparency log"),
    ]
    originals = []
    for module, name, label in patches:
        originals.append((module, name, getattr(module, name)))
        setattr(module, name, _timed(stages, label, getattr(module, name)))
    # The first badge creates the badge class and the signing key: not timed.
    services.badge_issue(enrolment_id=enrolment_ids[0])
    stages.clear()
    try:
        started = time.perf_counter()
        for enrolment_id in enrolment_ids[1:]:
            services.badge_issue(enrolment_id=enrolment_id)
        elapsed = time.perf_counter() - started
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
        for task in followers:
            del task.delay
    issued = len(enrolment_ids) - 1
    assert Assertion.objects.exclude(image="").count() == len(enrolment_ids)
    return {
        "count": issued,
        "seconds": elapsed,
        "per_second": issued / elapsed,
        "follow_up_tasks": len(sent),
        "stages_ms": {
            label: 1000 * seconds / issued for label, seconds in stages.items()
        },
    }


def bare_badge(url: str) -> bytes:
    """Draw a same-sized badge with the same bands, text and QR code, as PNG."""
    image = Image.new("RGB", (drawing.WIDTH, drawing.HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, drawing.WIDTH, drawing.BAND_HEIGHT), fill="#1d4ed8")
    draw.text((40, 40), "Lakeshore College", font=drawing._font(22), fill="white")
    draw.text((40, 200), "Dementia Care", font=drawing._font(38), fill="white")
    draw.text((40, 400), "4 December 2026", font=drawing._font(24), fill="black")
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4
    )
    code.add_data(url)
    code.make(fit=True)
    qr = code.make_image(fill_color="black", back_color="white").get_image()
    qr = qr.convert("RGB").resize((drawing.QR_SIZE, drawing.QR_SIZE))
    image.paste(qr, ((drawing.WIDTH - drawing.QR_SIZE) // 2, drawing.QR_TOP))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def measure_bare(urls: list[str]) -> dict:
    started = time.perf_counter()
    for url in urls:
        bare_badge(url)
    elapsed = time.perf_counter() - started
    return {"count": len(urls), "seconds": elapsed, "per_second": len(urls) / elapsed}


def report(issuance: dict, bare: dict) -> str:
    ratio = bare["per_second"] / issuance["per_second"]
    rate_met = "met" if issuance["per_second"] >= TARGET_PER_SECOND else "not met"
    ratio_met = "met" if ratio <= TARGET_RATIO else "not met"
    load = os.getloadavg()[0]
    database = connection.settings_dict
    lines = [
        "## Badge issuance",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `bench/badge_bench.py` on "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}, Pillow {PIL.__version__}, "
        f"PostgreSQL on the same machine (database {database['NAME']}); one "
        f"process, as one worker child. Load average {load:.1f} at the end.",
        "",
        "| Measure | Result | Target |",
        "|---|---|---|",
        f"| Issuance (`badge_issue`: lock, assertion, sign, draw, QR, bake, "
        f"store, log, notify), {issuance['count']} badges | "
        f"{issuance['per_second']:.1f} badges/s per process "
        f"({1000 / issuance['per_second']:.1f} ms each) | "
        f">= {TARGET_PER_SECOND}/s: {rate_met} |",
        f"| Bare Pillow canvas, text and qrcode of the same URLs, saved as PNG, "
        f"{bare['count']} images | {bare['per_second']:.1f} images/s "
        f"({1000 / bare['per_second']:.1f} ms each) | issuance at most "
        f"{TARGET_RATIO:.0f}x the bare work: {ratio:.2f}x, {ratio_met} |",
        "",
        f"Follow-up tasks enqueued (notification email, pathway check), "
        f"counted and not run here: {issuance['follow_up_tasks']}.",
        "",
        "Time per badge by stage (the rest is database work: the lock, the "
        "assertion, the notification and their commits):",
        "",
        "| Stage | ms per badge |",
        "|---|---|",
    ]
    for label, milliseconds in sorted(
        issuance["stages_ms"].items(), key=lambda item: -item[1]
    ):
        lines.append(f"| {label} | {milliseconds:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument(
        "--write", action="store_true", help="Update docs/benchmarks.md."
    )
    options = parser.parse_args()

    database = connection.settings_dict
    if connection.vendor != "postgresql" or not database["NAME"].endswith("_bench"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database whose name ends in _bench: "
            "this benchmark empties it."
        )
    call_command("migrate", verbosity=0)
    enrolment_ids = seed(options.count)
    issuance = measure_issuance(enrolment_ids)
    urls = [
        f"{os.environ.get('MEX_SITE_URL', 'http://127.0.0.1:8000')}/badges/verify/"
        f"{public_id}/"
        for public_id in Assertion.objects.values_list("public_id", flat=True)
    ][1:]
    bare = measure_bare(urls)
    text = report(issuance, bare)
    print(text)
    if options.write:
        write_section("## Badge issuance", text)


if __name__ == "__main__":
    main()
