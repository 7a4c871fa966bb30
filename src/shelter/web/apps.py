from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "shelter.web"
    label = "web"
