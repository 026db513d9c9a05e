from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "mex.ops"
    label = "ops"
    verbose_name = "Operations"
