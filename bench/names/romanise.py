"""Spelling systems used to generate evaluation variants, written from the published standards.

These tables are independent of ``shelter.names`` (which must recognise their output, not
reproduce it): ICAO 9303 (Russian passports since 2013), GOST R 52535.1-2006 (2010-13),
MVD order 310 (1997-2010), BGN/PCGN, GOST 7.79-2000 system B, German, French, Polish and Czech
press habits, 1995 Uzbek Latin, 2021 Kazakh Latin, Turkmen Latin, Tajik BGN/PCGN, and
Azerbaijani Latin <-> Russian Cyrillic.
"""

from __future__ import annotations

_RU_BASE = dict(zip("абвгдзклмнопрстуф", "abvgdzklmnoprstuf"))

_SYSTEMS: dict[str, dict[str, str]] = {
    "icao": {
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "и": "i",
        "й": "i",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "ie",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
    },
    "gost52535": {
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "и": "i",
        "й": "i",
        "х": "kh",
        "ц": "tc",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
    },
    "mvd1997": {
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "и": "i",
        "й": "y",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    },
    "bgn": {
        "е": "e",
        "ё": "yo",
        "ж": "zh",
        "и": "i",
        "й": "y",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    },
    "gost779b": {
        "е": "e",
        "ё": "yo",
        "ж": "zh",
        "и": "i",
        "й": "j",
        "х": "x",
        "ц": "cz",
        "це": "ce",
        "ци": "ci",
        "цы": "cy",
        "цй": "cj",
        "ч": "ch",
        "ш": "sh",
        "щ": "shh",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    },
    "german": {
        "в": "w",
        "е": "e",
        "ё": "jo",
        "ж": "sh",
        "з": "s",
        "и": "i",
        "й": "j",
        "х": "ch",
        "ц": "z",
        "ч": "tsch",
        "ш": "sch",
        "щ": "schtsch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "ju",
        "я": "ja",
        "с": "ss",
    },
    "french": {
        "е": "e",
        "ё": "io",
        "ж": "j",
        "и": "i",
        "й": "ï",
        "х": "kh",
        "ц": "ts",
        "ч": "tch",
        "ш": "ch",
        "щ": "chtch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "iou",
        "я": "ia",
        "у": "ou",
    },
    "polish": {
        "в": "w",
        "е": "e",
        "ё": "jo",
        "ж": "ż",
        "и": "i",
        "й": "j",
        "х": "ch",
        "ц": "c",
        "ч": "cz",
        "ш": "sz",
        "щ": "szcz",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "ju",
        "я": "ja",
    },
    "czech": {
        "е": "e",
        "ё": "jo",
        "ж": "ž",
        "и": "i",
        "й": "j",
        "х": "ch",
        "ц": "c",
        "ч": "č",
        "ш": "š",
        "щ": "šč",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "ju",
        "я": "ja",
    },
    "english": {
        "е": "e",
        "ё": "yo",
        "ж": "zh",
        "и": "i",
        "й": "y",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sh",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "кс": "x",
    },
}
# Systems that write е as ye at the start of a word and after a vowel (BGN/PCGN, MVD 1997, English press).
_YE_SYSTEMS = {"bgn", "mvd1997", "english"}
_VOWELS_CYR = set("аеёиоуыэюяӣӯўәөүұі")

RUSSIAN_SYSTEMS = tuple(_SYSTEMS)

# Letters of the other Cyrillic alphabets as a Russian clerk writes them.
_RUSSIFY = {
    "ҳ": "х",
    "ҷ": "дж",
    "қ": "к",
    "ғ": "г",
    "ӣ": "и",
    "ӯ": "у",
    "ў": "у",
    "ә": "а",
    "ө": "о",
    "ү": "у",
    "ұ": "у",
    "ң": "н",
    "һ": "х",
    "і": "и",
    "җ": "дж",
}

_UZ_LATIN = {
    **_RU_BASE,
    "е": "e",
    "ё": "yo",
    "ж": "j",
    "и": "i",
    "й": "y",
    "х": "x",
    "ц": "s",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "ʼ",
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ў": "oʻ",
    "қ": "q",
    "ғ": "gʻ",
    "ҳ": "h",
}
_KZ_LATIN_2021 = {
    **_RU_BASE,
    "ә": "ä",
    "ғ": "ğ",
    "қ": "q",
    "ң": "ñ",
    "ө": "ö",
    "ұ": "ū",
    "ү": "ü",
    "һ": "h",
    "і": "ı",
    "е": "e",
    "ё": "io",
    "ж": "j",
    "и": "i",
    "й": "i",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "ş",
    "щ": "şş",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
_TM_LATIN = {
    **_RU_BASE,
    "в": "w",
    "е": "e",
    "ё": "ýo",
    "ж": "ž",
    "җ": "j",
    "и": "i",
    "й": "ý",
    "х": "h",
    "ц": "s",
    "ч": "ç",
    "ш": "ş",
    "щ": "ş",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "ýu",
    "я": "ýa",
    "ә": "ä",
    "ө": "ö",
    "ү": "ü",
    "ң": "ň",
}
_TJ_BGN = {
    **_RU_BASE,
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "и": "i",
    "й": "y",
    "х": "kh",
    "ч": "ch",
    "ш": "sh",
    "ъ": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ғ": "gh",
    "ӣ": "i",
    "қ": "q",
    "ӯ": "u",
    "ҳ": "h",
    "ҷ": "j",
}
NATIONAL_LATIN = {"uz": _UZ_LATIN, "kz": _KZ_LATIN_2021, "tm": _TM_LATIN, "tj": _TJ_BGN}


def russify(text: str) -> str:
    """A Central Asian Cyrillic name as written in a Russian document."""
    lowered = text.lower()
    return "".join(_RUSSIFY.get(char, char) for char in lowered)


def _apply(text: str, table: dict[str, str], ye_rule: bool) -> str:
    lowered = text.lower()
    out: list[str] = []
    position = 0
    while position < len(lowered):
        pair = lowered[position : position + 2]
        if pair in table:
            out.append(table[pair])
            position += 2
            continue
        char = lowered[position]
        previous = lowered[position - 1] if position else " "
        if ye_rule and char == "е" and (previous == " " or previous in _VOWELS_CYR or previous in "ьъ"):
            out.append("ye")
        else:
            out.append(table.get(char, _RU_BASE.get(char, char)))
        position += 1
    return "".join(out)


def romanise(text: str, system: str) -> str:
    """Romanise a Cyrillic name with a Russian system (other Cyrillic letters are russified first)."""
    table = {**_RU_BASE, **_SYSTEMS[system]}
    result = _apply(russify(text), table, system in _YE_SYSTEMS)
    return result


def national_latin(text: str, language: str) -> str:
    """The name in its language's own Latin alphabet (Uzbek 1995, Kazakh 2021, Turkmen, Tajik BGN/PCGN)."""
    return _apply(text, NATIONAL_LATIN[language], ye_rule=language in ("uz", "tj"))


# Azerbaijani Latin -> Russian Cyrillic as Russian documents write Azerbaijani names (Heydər -> Гейдар).
_AZ_TO_RU = {
    "a": "а",
    "b": "б",
    "c": "дж",
    "ç": "ч",
    "d": "д",
    "e": "е",
    "ə": "а",
    "f": "ф",
    "g": "г",
    "ğ": "г",
    "h": "г",
    "x": "х",
    "ı": "ы",
    "i": "и",
    "j": "ж",
    "k": "к",
    "q": "г",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "ö": "ё",
    "p": "п",
    "r": "р",
    "s": "с",
    "ş": "ш",
    "t": "т",
    "u": "у",
    "ü": "ю",
    "v": "в",
    "y": "й",
    "z": "з",
}
_AZ_TO_ASCII = {
    "ə": "a",
    "ç": "ch",
    "ş": "sh",
    "ğ": "g",
    "ı": "i",
    "ö": "o",
    "ü": "u",
    "x": "kh",
    "c": "j",
    "q": "g",
}


def azerbaijani_to_russian(text: str) -> str:
    lowered = text.replace("İ", "i").lower()
    out = []
    for position, char in enumerate(lowered):
        following = lowered[position + 1] if position + 1 < len(lowered) else ""
        if char == "y" and following in "eə" and position + 1 < len(lowered):
            continue  # "ye" / "yə" is е
        if char == "y" and following == "u":
            out.append("ю")
            continue
        if char == "u" and position and lowered[position - 1] == "y":
            continue
        if char == "e" and position and lowered[position - 1] == "y":
            out.append("е")
            continue
        if char == "ə" and position and lowered[position - 1] == "y":
            out.append("я")
            continue
        if char == "e" and (position == 0 or lowered[position - 1] == " "):
            out.append("э")
            continue
        if char == "h":
            # Russian writes Azerbaijani h as г at the start of a word (Heydər -> Гейдар), х inside (İlham -> Ильхам).
            out.append("г" if position == 0 or lowered[position - 1] == " " else "х")
            continue
        if char == "ü":
            out.append("ю" if position == 0 or lowered[position - 1] in " aeiouəıöü" else "у")
            continue
        out.append(_AZ_TO_RU.get(char, char))
    return "".join(out)


def azerbaijani_to_ascii(text: str) -> str:
    lowered = text.replace("İ", "i").lower()
    return "".join(_AZ_TO_ASCII.get(char, char) for char in lowered)
