from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "accord.insights"
    label = "insights"
    verbose_name = "Measure"

    def ready(self) -> None:
        from accord.insights import stored
        from accord.lib.freshness import after_change

        after_change(stored.on_change)
