from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "shelter.network"
    label = "network"
    verbose_name = "Networks"
