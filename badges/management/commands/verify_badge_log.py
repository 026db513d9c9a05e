from django.core.management.base import BaseCommand, CommandError

from badges.transparency import latest_tree_head, verify_log


class Command(BaseCommand):
    help = (
        "Recompute the badge transparency log from its rows, check every signed "
        "tree head, and name the first altered entry."
    )

    def handle(self, *args, **options):
        problems = verify_log()
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            raise CommandError(problems[0].message)

        head = latest_tree_head()
        size = head.tree_size if head else 0
        root = head.root_hash if head else "(empty)"
        self.stdout.write(
            self.style.SUCCESS(f"Badge log verified: {size} entries, root {root}.")
        )
