from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "shelter.monitoring"
    label = "monitoring"
    verbose_name = "Deadlines and monitoring after return"
