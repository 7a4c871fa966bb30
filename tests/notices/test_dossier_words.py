"""The dossier's own sentences in the dossier's language: indicator evidence, tactics and states of the related
incidents, the timeline."""

from __future__ import annotations

from shelter.notices.assessment.dossier import render_dossier_html
from tests.notices.test_dossier import case  # noqa: F401 (the fixture)


def test_the_russian_dossier_says_its_evidence_tactics_states_and_timeline_in_russian(case, users) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    english = render_dossier_html(case, users["editor"])
    russian = render_dossier_html(case, users["editor"], language="ru")
    # The related incident: its tactic and origin state named, in each language.
    assert "(Detention or harassment of relatives)" in english and "<td>Russian Federation</td>" in english
    assert "(Задержание или преследование родственников)" in russian and "<td>Российская Федерация</td>" in russian
    assert "detention_of_relatives" not in russian
    # Evidence the engine writes: English in the English dossier, Russian in the Russian one.
    assert "Incidents attributed to" in english or "No catalogue fact or incident is recorded" in english
    for sentence in ("Incidents attributed to", "No catalogue fact or incident is recorded",
                     "No refusal or deletion is recorded", "against the relative"):
        assert sentence not in russian, sentence
    assert "против: родственники" in russian
