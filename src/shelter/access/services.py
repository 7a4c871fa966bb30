"""Account services used by the CLI, the admin and the tests."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from shelter.access.models import Confidentiality, Role, Team, User


class AccessError(ValueError):
    pass


@transaction.atomic
def create_or_update_user(username: str, role: str, password: str, *, clearance: str | None = None,
                          teams: Iterable[str] = (), check_password_strength: bool = True) -> tuple[User, bool]:
    if role not in Role.values:
        raise AccessError(f"unknown role '{role}' (expected one of {', '.join(Role.values)})")
    if clearance is not None and clearance not in Confidentiality.values:
        raise AccessError(f"unknown clearance '{clearance}' (expected one of {', '.join(Confidentiality.values)})")
    if not password:
        raise AccessError("an empty password is not allowed (pass it on standard input)")
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username)
    if check_password_strength:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise AccessError("password rejected: " + " ".join(error.messages)) from error
    user.role = role
    user.clearance = clearance or (Confidentiality.CONFIDENTIAL if role == Role.ADMIN else Confidentiality.INTERNAL)
    user.set_password(password)
    user.save()
    for team_name in teams:
        team, _ = Team.objects.get_or_create(name=team_name)
        user.teams.add(team)
    return user, created
