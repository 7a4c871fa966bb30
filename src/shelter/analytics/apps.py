from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "shelter.analytics"
    label = "analytics"
