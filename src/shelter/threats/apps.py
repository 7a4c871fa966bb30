from django.apps import AppConfig


class ThreatsConfig(AppConfig):
    name = "shelter.threats"
    label = "threats"
