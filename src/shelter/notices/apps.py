from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "shelter.notices"
    label = "notices"
