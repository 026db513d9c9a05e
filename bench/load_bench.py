"""Load benchmark of the main pages under gunicorn, beside a bare Django view.

Not a test. It fills a PostgreSQL database whose name ends in "_bench" with
the demo data (``load_demo``), a matching run and one issued badge, starts
gunicorn on a free port of 127.0.0.1 with ``bench.web_settings`` (the
product's URLs plus a bare view), and runs ``wrk`` against each page for a
bounded time: the vacancy list, a vacancy page, an applicant's matches, a
badge verification page and the login page, with a run of the bare view
before the first page and after each one. The matches page is requested with
the session and CSRF cookies that a browser has after signing in, the
others without cookies, as on a first visit. Each page is compared with the
mean of the two bare-view runs around it, so that load from other work on
the machine weighs on both sides alike. It stops gunicorn at the end and
prints requests per second, p95 latency and errors; with --write it updates
the "Web" section of docs/benchmarks.md.

The pages run as in production, with the page cache (``mex.pagecache``) in
the Redis cache that MEX_CACHE_URL names, so every page after the first comes
from the cache until the data changes. Before gunicorn starts, each page is
also rendered in-process with the page cache off, and its median time is
reported as the cost of a cache miss.

Target: each page at least half the bare view's rate, with no errors.

Usage (about two minutes; needs ``apt-get install wrk``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mex_web_bench \\
    MEX_CACHE_URL=redis://127.0.0.1:6379/1 \\
        python bench/load_bench.py --write
"""

import argparse
import http.client
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web_settings")
# Tasks run in-process while seeding: no broker needed.
os.environ["CELERY_BROKER_URL"] = ""
_SCRATCH = Path(tempfile.mkdtemp(prefix="mex-web-bench-"))
os.environ["DJANGO_MEDIA_ROOT"] = str(_SCRATCH / "media")
os.environ["MEX_BADGE_KEY_DIR"] = str(_SCRATCH / "keys")

import django  # noqa: E402

from bench.benchmarks_doc import write_section  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from badges.models import Assertion  # noqa: E402
from colleges.models import Course, Enrolment  # noqa: E402
from colleges.services import enrolment_complete  # noqa: E402
from matching.models import Match  # noqa: E402
from vacancies.models import Vacancy  # noqa: E402

START_TIMEOUT_SECONDS = 30
TARGET_SHARE_OF_BARE = 0.5
UNCACHED_RENDERS = 30
BARE = "bare view"


def seed() -> dict[str, str]:
    """Load the demo data; return the paths to load and a signed-in user's cookies."""
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("run_matching", verbosity=0)
    match = Match.objects.select_related("applicant__user").order_by("pk").first()
    course = Course.objects.filter(status=Course.Status.PUBLISHED).order_by("pk")[0]
    enrolment = Enrolment.objects.create(applicant=match.applicant, course=course)
    enrolment_complete(enrolment_id=enrolment.pk)
    assertion = Assertion.objects.get(enrolment=enrolment)
    vacancy = Vacancy.objects.filter(status=Vacancy.Status.OPEN).order_by("pk")[0]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(match.applicant.user)
    # A browser that signed in has the CSRF cookie too (the sign-in form set it).
    client.get("/me/matches/")
    return {
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "csrf": client.cookies[settings.CSRF_COOKIE_NAME].value,
        "vacancy list": "/vacancies/",
        "vacancy page": f"/vacancies/{vacancy.pk}/",
        "applicant matches": "/me/matches/",
        "badge verification": f"/badges/verify/{assertion.public_id}/",
        "login page": "/accounts/login/",
        "bare view": "/bench/bare/",
    }


def uncached_milliseconds(paths: dict[str, str], cookie_value: str) -> dict:
    """Return the median in-process time of each page with the page cache off."""
    medians = {}
    with override_settings(MEX_PAGE_CACHE=False):
        for name, path in paths.items():
            client = Client(HTTP_HOST="127.0.0.1")
            if name == "applicant matches":
                client.cookies[settings.SESSION_COOKIE_NAME] = cookie_value
            times = []
            for _ in range(UNCACHED_RENDERS):
                start = time.perf_counter()
                status = client.get(path).status_code
                times.append((time.perf_counter() - start) * 1000)
                if status != 200:
                    sys.exit(f"{path} answered {status} in-process, not 200.")
            medians[name] = statistics.median(times)
    return medians


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.web_settings"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mex.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(_SCRATCH / "gunicorn.log").open("wb"),
    )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=1)
            return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    sys.exit(f"gunicorn did not start:\n{(_SCRATCH / 'gunicorn.log').read_text()}")


# wrk prints the 50th, 75th, 90th and 99th percentiles; this prints the 95th
# (in microseconds) and the count of responses that were not 2xx or 3xx.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\\n", latency:percentile(95)))
end
"""


def run_wrk(url: str, *, seconds: int, connections: int, cookie: str) -> dict:
    script = _SCRATCH / "p95.lua"
    script.write_text(WRK_SCRIPT)
    command = [
        "wrk",
        f"--duration={seconds}s",
        f"--connections={connections}",
        "--threads=1",
        f"--timeout={max(seconds, 5)}s",
        f"--script={script}",
        url,
    ]
    if cookie:
        command[1:1] = ["--header", f"Cookie: {cookie}"]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(
        int(count)
        for count in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p95_ms": int(re.search(r"p95_us (\d+)", output).group(1)) / 1000,
        "requests": requests,
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def check_page(port: int, path: str, cookie: str) -> None:
    """Exit unless the page answers 200 as is: no redirect to the login page."""
    request = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    request.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    status = request.getresponse().status
    request.close()
    if status != 200:
        sys.exit(f"{path} answered {status}, not 200: nothing to measure.")


def report(
    results: dict, uncached: dict, *, seconds: int, connections: int, workers: int
) -> str:
    bare_runs = results[BARE]["runs"]
    lines = [
        "## Web",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `bench/load_bench.py` on "
        f"{platform.machine()}, {os.cpu_count()} cores, 24 GiB; Python "
        f"{platform.python_version()}, Django {django.get_version()}, gunicorn "
        f"with {workers} sync workers on 127.0.0.1, PostgreSQL on the same "
        f"machine, demo data (`load_demo`) after one matching run, page cache "
        f"in Redis (`MEX_CACHE_URL`). Load: `wrk` "
        f"with {connections} connections on one thread, {seconds} s per run, "
        f"client on the same {os.cpu_count()} cores. The bare view ran "
        f"{len(bare_runs)} times, before the first page and after each page "
        f"({min(bare_runs):.0f} to {max(bare_runs):.0f} requests/s), and each "
        f"page is compared with the mean of the runs before and after it. Load "
        f"average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| Page | Requests/s | p95 latency | Errors | Bare view around it | "
        f"Share of bare view (target >= {TARGET_SHARE_OF_BARE:.0%}) | "
        "Uncached, in-process |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, result in results.items():
        baseline = result["baseline"]
        share = result["rate"] / baseline if baseline else 0
        verdict = (
            "met"
            if share >= TARGET_SHARE_OF_BARE and not result["errors"]
            else "not met"
        )
        lines.append(
            f"| {name} | {result['rate']:.0f} | {result['p95_ms']:.1f} ms | "
            f"{result['errors']} | {baseline:.0f} | {share:.1%}: {verdict} | "
            f"{uncached[name]:.1f} ms |"
        )
    return "\n".join(lines) + "\n"


def measure(
    port: int, paths: dict[str, str], cookie: str, *, seconds: int, connections: int
) -> dict:
    """Run wrk on each page, with a bare-view run before and after each."""

    def run(name: str) -> dict:
        page_cookie = cookie if name == "applicant matches" else ""
        result = run_wrk(
            f"http://127.0.0.1:{port}{paths[name]}",
            seconds=seconds,
            connections=connections,
            cookie=page_cookie,
        )
        print(name, result, flush=True)
        return result

    bare = [run(BARE)]
    results = {}
    for name in paths:
        if name == BARE:
            continue
        results[name] = run(name)
        bare.append(run(BARE))
        results[name]["baseline"] = (bare[-2]["rate"] + bare[-1]["rate"]) / 2
    rates = [result["rate"] for result in bare]
    results[BARE] = {
        "rate": statistics.mean(rates),
        "baseline": statistics.mean(rates),
        "p95_ms": max(result["p95_ms"] for result in bare),
        "errors": sum(result["errors"] for result in bare),
        "runs": rates,
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="Update the docs.")
    options = parser.parse_args()

    database = connection.settings_dict
    if connection.vendor != "postgresql" or not database["NAME"].endswith("_bench"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database whose name ends in _bench: "
            "this benchmark empties it."
        )
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    cache_url = os.environ.get("MEX_CACHE_URL", "")
    if not cache_url.startswith(("redis://", "rediss://")):
        sys.exit(
            f"MEX_CACHE_URL={cache_url!r} is not a Redis URL: set it, such as "
            "redis://127.0.0.1:6379/1, so that pages are cached as in production."
        )
    call_command("migrate", verbosity=0)
    paths = seed()
    session = paths.pop("session")
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={session}; "
        f"{settings.CSRF_COOKIE_NAME}={paths.pop('csrf')}"
    )
    uncached = uncached_milliseconds(paths, session)
    cores = os.cpu_count() or 1
    workers = cores
    connections = 2 * cores
    port = _free_port()
    server = start_gunicorn(port, workers)
    try:
        for name, path in paths.items():
            check_page(port, path, cookie if name == "applicant matches" else "")
        results = measure(
            port, paths, cookie, seconds=options.seconds, connections=connections
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = report(
        results,
        uncached,
        seconds=options.seconds,
        connections=connections,
        workers=workers,
    )
    print(text)
    if options.write:
        write_section("## Web", text)


if __name__ == "__main__":
    main()
