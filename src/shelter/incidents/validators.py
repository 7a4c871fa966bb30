"""Django field validators for incidents."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from shelter.incidents.taxonomy import taxonomy


def validate_tactic(value: str) -> None:
    if taxonomy().get(value) is None:
        raise ValidationError(f"'{value}' is not a tactic code (see the tactic taxonomy, e.g. detention, red_notice)")
