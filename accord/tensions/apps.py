from django.apps import AppConfig


class TensionsConfig(AppConfig):
    name = "accord.tensions"
    label = "tensions"
    verbose_name = "Disagreements and journal"
