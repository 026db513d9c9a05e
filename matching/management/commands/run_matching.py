"""Run matching through the task queue and report what it changed."""

import time
import uuid

from django.core.management.base import BaseCommand, CommandError

from matching import services, tasks
from matching.models import MatchingRun

# How often the command checks whether the worker has finished the run.
POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = (
        "Create a matching run, enqueue it for the worker (or run it in-process "
        "when tasks are eager), wait for it and print its counts."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--vacancy", type=int, help="Re-score only this vacancy id.")
        scope.add_argument(
            "--applicant",
            type=int,
            help="Re-score only for this applicant profile id.",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=600,
            help="Seconds to wait for the worker before giving up (default 600).",
        )

    def handle(self, *args, **options):
        if options["vacancy"] is not None:
            run = services.matching_run_create(
                scope=MatchingRun.Scope.VACANCY, target_id=options["vacancy"]
            )
        elif options["applicant"] is not None:
            run = services.matching_run_create(
                scope=MatchingRun.Scope.APPLICANT, target_id=options["applicant"]
            )
        else:
            run = services.matching_run_create(scope=MatchingRun.Scope.FULL)

        run.task_id = str(uuid.uuid4())
        run.save(update_fields=["task_id"])
        tasks.run_matching.apply_async(args=[run.pk], task_id=run.task_id)
        self.stdout.write(f"Matching run {run.pk} enqueued; waiting for it.")

        deadline = time.monotonic() + options["timeout"]
        run.refresh_from_db()
        while run.status in (MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING):
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Matching run {run.pk} is still {run.status} after "
                    f"{options['timeout']} s. Is a worker running "
                    "(celery -A mex worker)? Raise --timeout to wait longer."
                )
            time.sleep(POLL_SECONDS)
            run.refresh_from_db()

        if run.status == MatchingRun.Status.FAILED:
            raise CommandError(f"Matching run {run.pk} failed: {run.error}")
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(
                f"Matching run {run.pk} succeeded in {seconds:.1f} s: "
                f"{run.vacancies_scored} vacancies and {run.applicants_scored} "
                f"applicants scored; matches {run.matches_created} created, "
                f"{run.matches_updated} updated, {run.matches_unchanged} "
                f"unchanged, {run.matches_withdrawn} withdrawn."
            )
        )
