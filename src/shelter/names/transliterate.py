"""Script and language detection per name word, and transliteration into comparison keys.

A comparison key folds the spellings that transliteration systems produce for one sound
(Iurii / Yuriy / Jurij, Khadzhimurad / Hadjimurad, Qosimov / Қосимов) into one string, while
keeping letters that tell different names apart (Karimov / Kasimov).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import product

from anyascii import anyascii
from pypinyin import Style, pinyin

from shelter.names.tables import (
    ScriptTable,
    cognate_groups,
    cyrillic_languages,
    key_rules,
    latin_letters,
    other_scripts,
)
from shelter.names.transcription import pinyin_syllables, uyghur_readings

__all__ = [
    "WordForm",
    "comparison_keys",
    "cyrillic_language_of",
    "detect_language",
    "in_latin_letters",
    "is_cognate_given_name",
    "read_azerbaijani_name",
    "read_uyghur_name",
    "with_cognates",
    "word_form",
]

_MAX_KEY_ALTERNATIVES = 6

_LATIN_LANGUAGE_HINTS: tuple[tuple[str, str], ...] = (
    # Ordered: the first hint any of whose letters occurs wins.
    ("ə", "Azerbaijani Latin"),
    ("ňý", "Turkmen Latin"),
    ("ūñ", "Kazakh Latin"),
    ("'", "Uzbek Latin"),
    ("łćśźż", "Polish/Belarusian Latin"),
    ("čšžěř", "Czech/Slavic Latin"),
    ("ışğç", "Turkic Latin"),
)


@dataclass(frozen=True, eq=False)
class WordForm:
    """One word of a name as the matcher sees it.

    Compared and hashed by identity: ``word_form`` returns one shared object per word, so that
    comparisons of the same two words are cached cheaply across a whole registry.
    """

    text: str  # the normalised word
    language: str  # "Tajik Cyrillic", "Uzbek Latin", "Latin", ...
    latin: str  # broad Latin transliteration
    keys: tuple[str, ...]  # comparison keys; more than one when a Latin letter is ambiguous
    abjad: bool = False  # written without short vowels (Arabic, Persian, Hebrew script)
    syllabic: bool = False  # one character is a syllable or a word (Chinese, Korean, Japanese)
    # Keys of the Uyghur readings of a name written in Chinese characters or their pinyin
    # (阿布都热依木 / Abudureyimu -> Abdurehim); empty for other words. See transcription.py.
    transcribed: tuple[str, ...] = ()
    # The broad Latin of the other readings of a word in an abjad whose letters have several accepted
    # readings (Pashto ږ zh or g: وږمه Wazhma / Wagma); compared on consonants as ``latin`` is.
    readings: tuple[str, ...] = ()
    # A word of a name whose every word reads as the pinyin of a Uyghur name (Aosiman Yilihamu), which
    # is then surely a transcription (see similarity.transcription_similarity).
    pinyin_name: bool = False


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


@cache
def _language_markers() -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple(
        (name, frozenset(language.markers))
        for name, language in cyrillic_languages().items()
        if language.markers
    )


def cyrillic_language_of(text: str) -> str:
    """The Cyrillic alphabet a text (a whole name, so that every word counts) is most likely in."""
    if text.isascii():
        return "russian"  # no Cyrillic letters: the choice does not matter
    letters = set(text)
    for name, markers in _language_markers():
        if letters & markers:
            return name
    if "ў" in letters:
        # Belarusian ў follows a vowel (Паўлаўна, Іваноў); Uzbek ў mostly starts a syllable (Ўткир, Хўжаев).
        after_vowel = any(text[i - 1] in "аеёиоуыэюяі" for i in range(1, len(text)) if text[i] == "ў")
        if letters & set("қғҳ"):
            return "uzbek"
        return "belarusian" if after_vowel or letters & set("іы") else "uzbek"
    if "і" in letters:
        if letters & set("әғқңөұүһ"):
            return "kazakh"
        # Belarusian has ы, э and ё, which Ukrainian lacks, and дз where Ukrainian names have и somewhere.
        belarusian = letters & set("ыэё") or ("дз" in text and "и" not in letters)
        return "belarusian" if belarusian else "ukrainian"
    if letters & set("ңөү"):
        return "kazakh" if letters & set("ғқ") else "kyrgyz"
    if letters & set("қғ"):
        return "uzbek"
    return "russian"


def _is_latin_letter(char: str) -> bool:
    return char.isascii() or "\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff"


def in_latin_letters(word: str) -> bool:
    """Whether a word is written in Latin letters (with or without diacritics: Abduréhim, Gülshen)."""
    return all(_is_latin_letter(char) for char in word)


_TURKIC_LETTERS = frozenset("şçğıə")
_TURKIC_ASCII = str.maketrans({"ı": "i"})
# Letters beside which a q is Azerbaijani (Turkish has no q; Uzbek and Arabic spellings' q is к).
_AZERBAIJANI_Q_BESIDE = _TURKIC_LETTERS | frozenset("üö")
_LATIN_ARTICLES = ("al", "el")
_MIN_ARTICLE_WORD = 7
_UYGHUR_LETTERS = frozenset("ەېۇۆۈۋڭ")


_KURDISH_LETTERS = frozenset("ێڵڕڤ")
# Letters Uyghur does not use, which Kurdish writes beside ە and ۆ (مەسعود Mesud, عەبدوڵڵا Ebdulla).
_NOT_UYGHUR = frozenset("یعحصضطظثذة")
_PASHTO_LETTERS = frozenset("ټډړڼڅځږښګۍ")


def _is_uyghur(word: str) -> bool:
    """Uyghur Arabic script: letters Arabic and Persian lack, or ى inside a word."""
    return bool(_UYGHUR_LETTERS & set(word)) or "ى" in word[:-1]


def _arabic_script_language(word: str) -> str:
    """Which table reads a word in Arabic script: Kurdish (Sorani), Pashto, Uyghur or Arabic/Persian."""
    letters = set(word)
    if letters & _KURDISH_LETTERS or (letters & set("ەۆ") and letters & _NOT_UYGHUR):
        return "KURDISH"
    if letters & _PASHTO_LETTERS:
        return "PASHTO"
    return "UYGHUR" if _is_uyghur(word) else "ARABIC"


def _other_script(word: str) -> tuple[str, ScriptTable | None]:
    """The Unicode name of the first script of a word outside Latin and Cyrillic, and its table."""
    for char in word:
        if char.isalpha() and not _is_latin_letter(char) and not "\u0400" <= char <= "\u04ff":
            script = unicodedata.name(char, "").partition(" ")[0]
            if script not in ("LATIN", "CYRILLIC"):  # ə, ɵ, Cyrillic supplement letters
                if script == "ARABIC":
                    script = _arabic_script_language(word)
                return script, other_scripts().get(script)
    return "", None


def detect_language(word: str, cyrillic_language: str | None = None) -> str:
    """A caseworker-readable guess of the script and language of one normalised word.

    ``cyrillic_language`` is the alphabet guessed from the whole name (see ``cyrillic_language_of``).
    """
    if _is_cyrillic(word):
        return cyrillic_languages()[cyrillic_language or cyrillic_language_of(word)].label
    for letters, label in _LATIN_LANGUAGE_HINTS:
        if any(char in letters for char in word):
            return label
    if all(_is_latin_letter(char) for char in word):
        return "Latin"
    script, table = _other_script(word)
    return table.label if table else script.title() if script else "other script"


def _pinyin_readings(word: str) -> list[str]:
    """Hanyu pinyin of a word in Chinese characters without tones: the usual reading first, then
    the word with one character read another way (都 du / dou), at most _MAX_KEY_ALTERNATIVES."""
    syllables = pinyin(word, style=Style.NORMAL, heteronym=True, errors="ignore")
    first = [readings[0] for readings in syllables]
    result = ["".join(first)]
    for position, readings in enumerate(syllables):
        for other in readings[1:]:
            if len(result) < _MAX_KEY_ALTERNATIVES:
                result.append("".join(first[:position] + [other] + first[position + 1 :]))
    return result


def _to_broad_latin(word: str, cyrillic_language: str | None, script_table: ScriptTable | None = None) -> str:
    """The broad Latin form of a word; ``script_table``: read a word of another script with this table
    rather than its own."""
    if script_table is None and _other_script(word)[0] == "CJK":
        return re.sub(r"[^a-z]", "", _pinyin_readings(word)[0])
    if _is_cyrillic(word):
        table = cyrillic_languages()[cyrillic_language or cyrillic_language_of(word)].letters
        word = "".join(table.get(char, char) for char in word)
    folded = latin_letters()
    word = "".join(folded.get(char, char) for char in word)
    if not word.isascii():
        # Greek, Armenian, Georgian, Arabic, Hebrew, CJK ...: the script's own rules, then anyascii.
        script = script_table or _other_script(word)[1]
        for pattern, replacement in _compiled(script.rules) if script else ():
            word = pattern.sub(replacement, word)
        word = anyascii(word).lower()
    return re.sub(r"[^a-z]", "", word)


@lru_cache(maxsize=16)
def _compiled(rules: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in rules)


def comparison_keys(latin: str) -> tuple[str, ...]:
    """Comparison keys of a broad-Latin word: one per reading of its ambiguous letters."""
    rules = key_rules()
    text = latin
    for pattern, replacement in _compiled(rules.rules):
        text = pattern.sub(replacement, text)
    choices: list[tuple[str, ...]] = [rules.ambiguous.get(char, (char,)) for char in text]
    readings: list[str] = []
    for combination in product(*choices):
        readings.append("".join(combination))
        if len(readings) >= _MAX_KEY_ALTERNATIVES:
            break
    keys: list[str] = []
    for reading in readings:
        for pattern, replacement in _compiled(rules.final_rules):
            reading = pattern.sub(replacement, reading)
        key = reading
        if key and key not in keys:
            keys.append(key)
    return tuple(keys) if keys else (latin,)


@cache
def _cognate_index() -> dict[str, str]:
    """Comparison key of every spelling in a cognate group -> the group's first key."""
    index: dict[str, str] = {}
    for group in cognate_groups():
        keys = [
            key
            for spelling in group
            for key in comparison_keys(
                _to_broad_latin(spelling.lower(), cyrillic_language_of(spelling.lower()))
            )
        ]
        for key in keys:
            index.setdefault(key, keys[0])
    return index


def is_cognate_given_name(keys: tuple[str, ...]) -> bool:
    """Whether a word is one of the given names of cognates.toml, in any of its spellings."""
    index = _cognate_index()
    return any(key in index for key in keys)


def with_cognates(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Add the key of the cognate group (Volodymyr -> Vladimir) to a word's keys."""
    index = _cognate_index()
    extra = tuple(dict.fromkeys(index[key] for key in keys if key in index and index[key] not in keys))
    return keys + extra


@cache
def _cantonese_surnames() -> dict[str, tuple[str, ...]]:
    table = other_scripts().get("CJK")
    spellings: dict[str, list[str]] = {}
    for characters, spelling in table.cantonese_surnames if table else ():
        spellings.setdefault(characters, []).append(re.sub("[^a-z]", "", spelling.lower()))
    return {characters: tuple(found) for characters, found in spellings.items()}


def _is_nisba_after_vowel(rest: str) -> bool:
    """Whether what follows a glued al-/el- before a vowel is an Arabic adjective of origin or descent
    (nisba, ansari, otaibi, umari): four letters or more ending in -i or -y, not in -ei or -ey."""
    return len(rest) >= 4 and rest.endswith(("i", "y")) and not rest.endswith(("ei", "ey"))


@lru_cache(maxsize=1 << 20)
def word_form(word: str, cyrillic_language: str | None = None, foreign: bool = False) -> WordForm:
    """Transliterate one normalised word; cached because registries repeat the same words.

    ``foreign``: the word is from a name in Chinese characters written with the interpunct of
    foreign names (阿布都热依木·奥斯曼), so it is read as a transcription (see transcription.py)."""
    latin = _to_broad_latin(word, cyrillic_language)
    script_name, table = ("", None) if word.isascii() else _other_script(word)
    # A Latin j written by a person may be ж or й (Jamshed, Jurij); one that anyascii wrote for
    # another script is always the affricate (Korean 하준 Hajun is not Haiun).
    keys = comparison_keys(latin.replace("j", "dzh") if script_name else latin)
    if cyrillic_language is not None and _is_cyrillic(word):
        russian_like = word
        for pattern, replacement in _compiled(cyrillic_languages()[cyrillic_language].russian_forms):
            russian_like = pattern.sub(replacement, russian_like)
        if russian_like != word:
            other = comparison_keys(_to_broad_latin(russian_like, cyrillic_language))
            keys += tuple(key for key in other if key not in keys)
    if _TURKIC_LETTERS & set(word) or ("q" in word and _AZERBAIJANI_Q_BESIDE & set(word)):
        # Turkish and Azerbaijani names typed without their letters (Ayşe Ayse, Çağlar Caglar); Azerbaijani
        # q is the g of Russian and passport spellings (Qasımov / Гасымов / Gasimov, Vüqar / Вугар / Vugar).
        bare = unicodedata.normalize("NFD", word.translate(_TURKIC_ASCII))
        bare = "".join(char for char in bare if not unicodedata.combining(char)).replace("q", "g")
        keys += tuple(key for key in comparison_keys(_to_broad_latin(bare, None)) if key not in keys)
    if (
        not script_name
        and len(word) >= _MIN_ARTICLE_WORD
        and word.startswith(_LATIN_ARTICLES)
        # Alisher, Aleksandr, Eldar are not al- + a name; before a vowel only a nisba in -i is
        # (Alansari, Alotaibi; not Aleksei).
        and (word[2] not in "aeiouy" or _is_nisba_after_vowel(word[2:]))
    ):
        # The Arabic article joined to a name (Alzahrani, Elmasry) is read with and without it.
        keys += tuple(key for key in comparison_keys(latin[2:]) if key not in keys)
    if script_name == "CJK":
        for reading in _pinyin_readings(word)[1:]:
            keys += tuple(key for key in comparison_keys(reading) if key not in keys)
        for reading in _cantonese_surnames().get(word, ()):
            keys += tuple(key for key in comparison_keys(reading) if key not in keys)
    other_latin: list[str] = []
    if table is not None:
        readings = [pattern.sub(replacement, word) for pattern, replacement in _compiled(table.variants)]
        readings += [
            word.removesuffix(ending)
            for ending in table.optional_endings
            if word.endswith(ending) and len(word) > len(ending) + 2
        ]
        for reading in readings:
            reading_latin = _to_broad_latin(reading, cyrillic_language)
            if reading_latin != latin and reading_latin not in other_latin:
                other_latin.append(reading_latin)
            other = comparison_keys(reading_latin)
            keys += tuple(key for key in other if key not in keys)
    return WordForm(
        text=word,
        language=detect_language(word, cyrillic_language),
        latin=latin,
        keys=with_cognates(keys),
        abjad=table is not None and table.abjad,
        syllabic=table is not None and table.syllabic,
        transcribed=_transcribed_keys(word, foreign),
        readings=tuple(other_latin) if table is not None and table.abjad else (),
    )


@lru_cache(maxsize=1 << 16)
def _with_uyghur_reading(form: WordForm) -> WordForm:
    """A word read as Arabic or Persian also gets the keys of its Uyghur reading, with the Uyghur
    table's variants (توختى: Tukhta as Arabic, Tohti as Uyghur)."""
    script_name, _ = _other_script(form.text)
    table = other_scripts().get("UYGHUR")
    if script_name != "ARABIC" or table is None or _NOT_UYGHUR & set(form.text):
        return form
    variants = [pattern.sub(replacement, form.text) for pattern, replacement in _compiled(table.variants)]
    return _with_more_keys(
        form,
        [key for reading in dict.fromkeys((form.text, *variants))
         for key in comparison_keys(_to_broad_latin(reading, None, table))],
    )


def _with_more_keys(form: WordForm, more: list[str] | tuple[str, ...]) -> WordForm:
    """The word with the keys of another reading added (and their cognate groups')."""
    return replace(form, keys=with_cognates(tuple(dict.fromkeys((*form.keys, *more)))))


# A Chinese surname or given name has two syllables at most (Ouyang Haoyi): a name with a word of three
# or more is not Chinese.
_MIN_PINYIN_NAME_SYLLABLES = 3


def read_uyghur_name(forms: list[WordForm]) -> list[WordForm]:
    """The words of a name in Arabic script, read as Uyghur where another word is Uyghur.

    Only some Uyghur words have a letter Arabic and Persian lack (ئىلھام has ى inside the word);
    توختى (Tohti) and ئوسمان (Osman) do not, and alone they are read as Arabic (Tukhta). In a name with
    a Uyghur word and no Kurdish or Pashto one, such a word is read both ways. The words of a name
    that is all in the pinyin of a Uyghur name, one word of three syllables or more (Aosiman Yilihamu),
    are marked so (``pinyin_name``)."""
    if (
        len(forms) >= 2
        and all(form.transcribed and in_latin_letters(form.text) for form in forms)
        and any(len(pinyin_syllables(form.text) or ()) >= _MIN_PINYIN_NAME_SYLLABLES for form in forms)
    ):
        return [_in_pinyin_name(form) for form in forms]
    scripts = {_other_script(form.text)[0] for form in forms if not form.text.isascii()}
    if "UYGHUR" not in scripts or scripts & {"KURDISH", "PASHTO"}:
        return forms
    return [_with_uyghur_reading(form) for form in forms]


def read_azerbaijani_name(forms: list[WordForm]) -> list[WordForm]:
    """A word with q, in a name whose other words have Azerbaijani or Turkish letters, also read with
    Azerbaijani q as g (Vüsal Şahin Oğlu Quliyev: Guliyev)."""
    if not any(_TURKIC_LETTERS & set(form.text) for form in forms):
        return forms
    return [_with_azerbaijani_q(form) if "q" in form.text and form.text.isascii() else form for form in forms]


@lru_cache(maxsize=1 << 16)
def _with_azerbaijani_q(form: WordForm) -> WordForm:
    return _with_more_keys(form, comparison_keys(_to_broad_latin(form.text.replace("q", "g"), None)))


@lru_cache(maxsize=1 << 16)
def _in_pinyin_name(form: WordForm) -> WordForm:
    return replace(form, pinyin_name=True)


def _transcribed_keys(word: str, foreign: bool) -> tuple[str, ...]:
    """Keys of the Uyghur readings of a word in Chinese characters or in their pinyin."""
    syllables = pinyin_syllables(word, foreign)
    if syllables is None:
        return ()
    keys = [key for reading in uyghur_readings(syllables) for key in comparison_keys(reading)]
    return with_cognates(tuple(dict.fromkeys(keys)))
