from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "shelter.search"
    label = "search"
