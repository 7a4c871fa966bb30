from __future__ import annotations

import pytest

from shelter.triage.check import UnrecognisedValue, check_value
from shelter.triage.store import IndicatorStore


@pytest.mark.parametrize(
    ("value", "verdict", "ids"),
    [
        ("https://passport.yandex.ru.com-auth.site/login", "malicious", {"URL-01", "URL-03", "URL-06"}),
        ("evil-phish.example", "malicious", {"URL-01"}),
        ("176.223.111.131", "malicious", {"URL-01"}),
        ("attacker@evil-phish.example", "malicious", {"EM-11"}),
        ("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "malicious", {"ATT-05"}),
        ("gmail-warning.top", "suspicious", {"URL-02", "URL-06"}),
        ("someone@gmaill.com", "suspicious", {"URL-05"}),
        ("https://accounts.google.com/", "no_indicators_found", set()),
        ("d41d8cd98f00b204e9800998ecf8427e", "no_indicators_found", set()),
    ],
)
def test_check_value(value: str, verdict: str, ids: set[str], store: IndicatorStore) -> None:
    result = check_value(value, store)
    assert result.verdict == verdict
    assert {f.id for f in result.findings} == ids


def test_spyware_advice_for_spyware_infrastructure(store: IndicatorStore) -> None:
    result = check_value("176.223.111.131", store)
    assert result.spyware == ("NoviSpy",)
    assert any("Security Lab" in line for line in result.advice["en"])
    assert result.to_dict()["spyware"] == ["NoviSpy"]


def test_no_indicators_advice_says_it_is_not_proof(store: IndicatorStore) -> None:
    advice = check_value("example.org", store).advice
    assert "does not prove" in advice["en"][0] and "не доказывает" in advice["ru"][0]


@pytest.mark.parametrize("value", ["", "   ", "hello world", "http://", "10.0.0.0/8"])
def test_unrecognised_values_are_clear_errors(value: str, store: IndicatorStore) -> None:
    with pytest.raises(UnrecognisedValue):
        check_value(value, store)


@pytest.mark.parametrize(
    "value", ["hxxps://evil-phish[.]example/login", "evil-phish[.]example", "attacker[@]evil-phish(.)example",
              "hXXp[:]//evil-phish[dot]example"],
)
def test_defanged_values_are_read_as_meant(value: str, store: IndicatorStore) -> None:
    assert check_value(value, store).verdict == "malicious"
