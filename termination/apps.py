from django.apps import AppConfig


class TerminationConfig(AppConfig):
    name = "termination"
    verbose_name = "Endings"
