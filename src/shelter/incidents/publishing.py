"""The publishing guard: a public incident or source whose title or text names a person its readers may not see.

A public record is read by every signed-in user, and once published by anonymous visitors too; a person who is
internal, confidential or unpublished is not. Naming that person in the public record's title, description or
notes would publish what the person's own record keeps back, so saving it needs an explicit confirmation
(``confirm_names``: a checkbox on the forms, a flag in the API).

Only people the writer may see are considered: the writer typed the name, and the guard must not confirm to
them that a hidden person by that name exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from shelter.access.models import Confidentiality, User
from shelter.access.visibility import visible_to
from shelter.registry.models import Person, PersonName

CONFIRM_FIELD = "confirm_names"
# Names are looked up as runs of 2 to 6 words of the text (a name of one word names nobody in particular).
_MIN_WORDS, _MAX_WORDS = 2, 6
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_CHUNK = 500


def _runs(texts: Iterable[str]) -> set[str]:
    runs: set[str] = set()
    for text in texts:
        words = _WORD.findall(text or "")
        for size in range(_MIN_WORDS, _MAX_WORDS + 1):
            for start in range(len(words) - size + 1):
                run = " ".join(words[start:start + size])
                runs.update((run, run.title()))
    return runs


def _hidden_from_readers(published: bool) -> Q:
    """People a public record's readers may not see: anonymous visitors once it is published, every signed-in
    user before that."""
    public = Q(confidentiality=Confidentiality.PUBLIC)
    return ~(public & Q(published=True)) if published else ~public


def people_hidden_from_readers(texts: Iterable[str], confidentiality: str, published: bool,
                               writer: User | None) -> list[Person]:
    """The people named in ``texts`` whom the readers of a record at ``confidentiality`` / ``published`` may not
    see, among those ``writer`` may see (``None``: the operator, who sees everyone)."""
    if confidentiality != Confidentiality.PUBLIC:
        return []
    runs = sorted(_runs(texts))
    if not runs:
        return []
    found: set[int] = set()
    for start in range(0, len(runs), _CHUNK):
        chunk = runs[start:start + _CHUNK]
        found.update(Person.objects.filter(primary_name__in=chunk).values_list("pk", flat=True))
        found.update(PersonName.objects.filter(full_name__in=chunk).values_list("person_id", flat=True))
    if not found:
        return []
    people = Person.objects.filter(pk__in=found).filter(_hidden_from_readers(published))
    if writer is not None:
        people = visible_to(people, writer)
    return list(people.order_by("primary_name", "pk"))


def warning(people: Sequence[Person], published: bool) -> str:
    readers = _("anonymous visitors") if published else _("every signed-in user")
    names = ", ".join(f"{person.primary_name} ({str(person.get_confidentiality_display()).lower()}"
                      f"{'' if person.published or person.confidentiality != 'public' else ', ' + _('unpublished')})"
                      for person in people)
    return _("this public record names %(names)s, whom its readers (%(readers)s) may not see; remove the name, or "
             "confirm that it may be published (%(field)s)") % {"names": names, "readers": readers,
                                                                "field": CONFIRM_FIELD}


def check_names(texts: Iterable[str], confidentiality: str, published: bool, writer: User | None,
                confirmed: bool) -> None:
    """Refuse (``ValidationError`` on ``confirm_names``) to save a public record naming people its readers may
    not see, unless the writer confirmed it."""
    if confirmed:
        return
    people = people_hidden_from_readers(texts, confidentiality, published, writer)
    if people:
        raise ValidationError({CONFIRM_FIELD: warning(people, published)})
