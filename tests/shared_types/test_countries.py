from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
import yaml

from shelter.countries import OTHER_NAMES_FILE, UnknownCountryError, country_code, country_name


@pytest.mark.parametrize("value,code", [
    ("UZ", "UZ"), ("uzb", "UZ"), ("Uzbekistan", "UZ"), ("Russia", "RU"), ("Россия", "RU"), ("Turkey", "TR"),
    ("Türkiye", "TR"), ("turkiye", "TR"), ("Côte d'Ivoire", "CI"), ("Cote d'Ivoire", "CI"), ("UK", "GB"),
    ("Кыргызстан", "KG"), ("Kosovo", "XK"), ("  germany ", "DE"),
])
def test_codes_names_and_other_names(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize("value", ["", "Narnia", "U", "Soviet Union", "12"])
def test_unknown_countries_say_what_is_expected(value: str) -> None:
    with pytest.raises(UnknownCountryError, match="ISO 3166-1"):
        country_code(value)


def test_other_names_file_is_well_formed() -> None:
    data = yaml.safe_load(Path(OTHER_NAMES_FILE).read_text(encoding="utf-8"))
    for code, names in data.items():
        assert pycountry.countries.get(alpha_2=code) is not None, code
        assert names and all(isinstance(n, str) and n.strip() for n in names), code
    seen: dict[str, str] = {}
    for code, names in data.items():
        for name in names:
            assert seen.setdefault(name.casefold(), code) == code, f"{name} names two countries"


def test_names_for_display() -> None:
    assert country_name("XK") == "Kosovo"
    assert country_name("TJ") == "Tajikistan"
