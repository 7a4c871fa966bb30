from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The pages above every record app: home, dashboard, search across record kinds, autocomplete for the
    pickers, and the delete and revert actions shared by all record kinds."""

    name = "shelter.site"
    label = "site"
