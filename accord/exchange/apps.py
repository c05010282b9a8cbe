from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "accord.exchange"
    label = "exchange"
    verbose_name = "Export and import"
