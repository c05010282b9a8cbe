from django.apps import AppConfig


class RitualsConfig(AppConfig):
    name = "accord.rituals"
    label = "rituals"
    verbose_name = "Iterate"
