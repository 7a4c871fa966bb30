from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "shelter.access"
    label = "access"
    verbose_name = "Access control"
