from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "mex.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from mex import dataversion

        # Every write, from a web process, a worker or a management command,
        # makes the pages that mex.pagecache stored stale.
        dataversion.install_write_watcher()
