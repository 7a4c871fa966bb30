"""The recommendations data file is well-formed, and bad entries get errors a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelter.analytics.recommendations import (
    DEFAULT_FILE,
    RecommendationError,
    load_recommendations,
    select_recommendations,
)
from shelter.incidents.taxonomy import taxonomy

OUTCOMES = ("unknown", "ongoing", "detained", "sentenced", "tortured", "disappeared", "killed", "injured",
            "returned", "released", "prevented", "no_harm")


def test_shipped_file_loads_and_covers_both_languages() -> None:
    from shelter.incidents.models import Outcome

    assert set(OUTCOMES) == set(Outcome.values)
    loaded = load_recommendations(DEFAULT_FILE, taxonomy().codes, OUTCOMES)
    assert len(loaded) >= 5
    assert all(r.text("en") and r.text("ru") != r.text("en") for r in loaded)
    assert any(r.always for r in loaded)


def test_selection_follows_the_figures_and_public_needs_three() -> None:
    loaded = load_recommendations(DEFAULT_FILE, taxonomy().codes, OUTCOMES)
    internal = {r.id for r in select_recommendations(loaded, {"red_notice": 1}, {}, False, public=False)}
    public = {r.id for r in select_recommendations(loaded, {"red_notice": 1}, {}, False, public=True)}
    assert "red_notice_review" in internal and "red_notice_review" not in public
    assert "condition_agreements" in {r.id for r in select_recommendations(loaded, {}, {}, True, public=True)}


@pytest.mark.parametrize(("text", "message"), [
    ("nothing: here", "top-level 'recommendations:' list"),
    ("recommendations:\n  - {id: Bad-Id, when: {always: true}, en: x, ru: y}", "lowercase"),
    ("recommendations:\n  - {id: a, when: {always: true}, en: x}", "missing text in 'ru'"),
    ("recommendations:\n  - {id: a, when: {tactics: [teleport]}, en: x, ru: y}", "unknown tactics code(s) teleport"),
    ("recommendations:\n  - {id: a, when: {moon: true}, en: x, ru: y}", "unknown trigger(s) moon"),
    ("recommendations:\n  - {id: a, when: {always: true}, en: x, ru: y}\n  - {id: a, when: {always: true}, en: x, ru: y}",
     "duplicate recommendation ids: a"),
])
def test_bad_files_are_explained(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "recommendations.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecommendationError) as error:
        load_recommendations(path, taxonomy().codes, OUTCOMES)
    assert message in str(error.value)
