from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "accord.orgs"
    label = "orgs"
    verbose_name = "Organisations and coaches"
