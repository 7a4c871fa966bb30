"""Finding notices from the notices list, the search page and the API's ``q``, behind the visibility filter."""

from __future__ import annotations

from django.test import Client

from shelter.access.models import ApiToken
from shelter.notices.models import Notice


def _hide_from_all_but_beta(entity_id: str, teams) -> Notice:  # type: ignore[no-untyped-def]
    notice = Notice.objects.get(entity_id=entity_id)
    notice.confidentiality = "confidential"
    notice.save()
    notice.teams.set([teams["beta"]])
    return notice


def test_api_q_finds_latin_subjects_by_cyrillic_names_and_charges(imported, users, teams) -> None:  # type: ignore[no-untyped-def]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(users['editor'])}")

    def found(query: str) -> set[str]:
        body = api.get("/api/v1/notices/", {"q": query}).json()
        return {notice["entity_id"] for notice in body["results"]}

    assert found("Аюбов") == {"2019/34876"}  # the notice spells it AYUBOV
    assert found("illegal armed formation") == {"2019/29447", "2021/69190"}
    assert found("terrorist organization assistance") == {"2019/34876"}
    assert found("2016/59620") == {"2016/59620"}
    assert found("Sweden") == {"2022/46614", "2016/59620"}  # issuing state, by name
    _hide_from_all_but_beta("2019/34876", teams)
    assert found("Аюбов") == set()  # editor is in team alpha
    assert Client().get("/api/v1/notices/", {"q": "Ayubov"}).json()["count"] == 0


def test_the_list_and_the_search_page_find_notices_the_user_may_see(imported, users, teams) -> None:  # type: ignore[no-untyped-def]
    researcher, editor = Client(), Client()
    researcher.force_login(users["researcher"])
    editor.force_login(users["editor"])
    _hide_from_all_but_beta("2021/69190", teams)
    assert "2021/69190" in researcher.get("/notices/", {"q": "Аскадинов"}).content.decode()
    assert "2021/69190" not in editor.get("/notices/", {"q": "Аскадинов"}).content.decode()
    page = researcher.get("/search/", {"q": "Askadinov"}).content.decode()
    assert 'id="results-notice"' in page and "ASKADINOV" in page
    assert "ASKADINOV" not in editor.get("/search/", {"q": "Askadinov"}).content.decode()
