from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "shelter.notices"
    label = "notices"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from shelter.notices.models import Charge, Notice, notice_search_text
        from shelter.notices.screening.registry_changes import name_changed, person_saved
        from shelter.registry.models import Person, PersonName
        from shelter.search import signals
        from shelter.search.index import register

        register("notice", Notice, notice_search_text, prefetch=("charges",))
        signals.connect(Notice)
        signals.connect_child(Charge, "notice")
        # A person added or changed is screened against the notices already recorded (after commit, in batches).
        post_save.connect(person_saved, sender=Person, dispatch_uid="notices-screen-saved-person")
        post_save.connect(name_changed, sender=PersonName, dispatch_uid="notices-screen-person-name-saved")
        post_delete.connect(name_changed, sender=PersonName, dispatch_uid="notices-screen-person-name-deleted")
