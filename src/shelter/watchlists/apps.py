from django.apps import AppConfig


class WatchlistsConfig(AppConfig):
    name = "shelter.watchlists"
    label = "watchlists"
    verbose_name = "Watchlists"
