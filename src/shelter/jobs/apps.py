from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "shelter.jobs"
    label = "jobs"
    verbose_name = "Jobs"
