"""Name structure: which words are patronymics, initials, surname forms, and what sex they imply."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from shelter.names.normalise import join_chinese_syllables, name_tokens
from shelter.names.tables import SurnameEnding, arabic_particles, structure_tables
from shelter.names.transcription import wade_giles_readings
from shelter.names.transliterate import (
    WordForm,
    comparison_keys,
    cyrillic_language_of,
    is_cognate_given_name,
    read_azerbaijani_name,
    read_uyghur_name,
    with_cognates,
    word_form,
)

__all__ = ["NamePart", "ParsedName", "joined_part", "parse_name", "part_kinds"]

_MIN_STEM = 3
# Chinese writes a foreign name's words apart with an interpunct (阿布都热依木·奥斯曼; ・ in Japanese).
_FOREIGN_NAME_MARKS = "·・‧•"


@dataclass(frozen=True, eq=False)
class NamePart:  # identity semantics like WordForm: parts are shared between names
    form: WordForm
    role: str  # "name", "patronymic" or "initial"
    sex: str  # "m", "f" or "" as implied by a gendered ending
    ending: SurnameEnding | None  # surname ending when the word has one (-ov, -ova, -zoda ...)
    stems: tuple[str, ...]  # keys without the surname ending or patronymic suffix
    # What the name's structure says the part is, beyond its role: "kunya" (Abu Muhammad), "laqab"
    # (Salah ad-Din), "nasab" (a name after bin/ibn/ould that another follows), or "".
    kind: str = ""


@dataclass(frozen=True)
class ParsedName:
    text: str  # normalised name
    parts: tuple[NamePart, ...]
    implied_sex: str  # "m" or "f" when gendered endings say so consistently, else ""
    # Words the writer marked as the surname: before the comma of "Surname, Given", or in capitals
    # in a mixed-case name (Vladimir Vladimirovich PUTIN), as lists and notices do.
    marked_surnames: frozenset[str] = frozenset()
    # Words written with the Arabic article and the ending -i of an adjective of origin or descent
    # (nisba: al-Masri, Alzahrani, المصري).
    nisbas: frozenset[str] = frozenset()
    # The writer's word order, where the script tells it: "surname-first" for a Chinese name in
    # characters written without a space (王若汐), "given-first" for a Uyghur name in characters with
    # the interpunct (阿布都热依木·奥斯曼) and a Turkish or Azerbaijani name with its letters in mixed case.
    order: str = ""


def _strip(keys: tuple[str, ...], suffix: str) -> tuple[str, ...]:
    return with_cognates(tuple(dict.fromkeys(key.removesuffix(suffix) for key in keys)))


@cache
def _key_form(text: str) -> str:
    """Markers and suffixes are written plainly in structure.toml (-ovich); compare them as keys (-oviC)."""
    return comparison_keys(text)[0]


@cache
def _markers() -> tuple[frozenset[str], frozenset[str]]:
    tables = structure_tables()
    return (
        frozenset(_key_form(marker) for marker in tables.male_markers),
        frozenset(_key_form(marker) for marker in tables.female_markers),
    )


@cache
def _endings() -> tuple[tuple[str, SurnameEnding], ...]:
    endings = [(_key_form(ending.suffix), ending) for ending in structure_tables().surname_endings]
    return tuple(sorted(endings, key=lambda item: -len(item[0])))


@cache
def _patronymic_suffixes() -> tuple[tuple[str, str], ...]:
    tables = structure_tables()
    suffixes = [(_key_form(suffix), "m") for suffix in tables.male_suffixes]
    suffixes += [(_key_form(suffix), "f") for suffix in tables.female_suffixes]
    return tuple(sorted(suffixes, key=lambda item: -len(item[0])))


def _surname_ending(form: WordForm) -> tuple[str, SurnameEnding] | None:
    key = form.keys[0]
    for suffix, ending in _endings():
        if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_STEM:
            return suffix, ending
    return None


def _patronymic_suffix(form: WordForm) -> tuple[str, str] | None:
    key = form.keys[0]
    for suffix, sex in _patronymic_suffixes():
        if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_STEM:
            return suffix, sex
    return None


@lru_cache(maxsize=1 << 20)
def _plain_part(form: WordForm) -> NamePart:
    if len(form.text) == 1 and not form.syllabic:
        return NamePart(form, "initial", "", None, form.keys)
    found = _surname_ending(form)
    if found is None:
        return NamePart(form, "name", "", None, form.keys)
    suffix, ending = found
    return NamePart(form, "name", ending.sex, ending, _strip(form.keys, suffix))


@lru_cache(maxsize=1 << 16)
def joined_part(first: NamePart, second: NamePart) -> NamePart:
    """Two words read as one name, as others write it (Abdul Aziz / Abdulaziz, Kassym-Jomart / Kassymjomart).

    The text keeps the space for display; keys ignore it.
    """
    text = f"{first.form.text} {second.form.text}"
    return _plain_part(word_form(text, None if text.isascii() else cyrillic_language_of(text)))


@lru_cache(maxsize=1 << 16)
def _patronymic_part(form: WordForm, sex: str, suffix: str) -> NamePart:
    # Parts are shared between names: a registry of a million people has far fewer distinct words.
    return NamePart(form, "patronymic", sex, None, _strip(form.keys, suffix) if suffix else form.keys)


def _marked_surnames(name: str) -> frozenset[str]:
    if name.count(",") == 1:
        return frozenset(name_tokens(name.partition(",")[0]))
    if name.isupper() or name.islower():
        return frozenset()
    capitals = [word for word in name.split() if word.isupper() and sum(map(str.isalpha, word)) > 1]
    return frozenset(token for word in capitals for token in name_tokens(word))


@dataclass(frozen=True)
class _Unit:
    words: tuple[str, ...]  # one word, or the words of a kunya or laqab
    kind: str  # "kunya", "laqab", "nasab" or ""


def _units(tokens: list[str]) -> list[_Unit]:
    """Group the words of an Arabic name into its parts (Schimmel, "Islamic Names", 1989).

    A kunya (Abu, Umm + a name) and a laqab compound (a name + the article + din, islam, dawla) are one
    part each. The nasab links (bin, ibn, ould, bint; read as bin by the normaliser) are dropped: the
    names they link are name parts of their own, "nasab" (a father's or grandfather's name) unless last,
    since the last is as often the family name (bin Laden, Ould Abdel Aziz). They stay name parts, not
    patronymics: documents write the same names without the links (Usama Muhammed Awad bin Laden /
    Usama bin Muhammad bin Awad bin Ladin), and a part's role must agree for the two to be compared.
    """
    particles = arabic_particles()
    kunya = set(particles.kunya_father) | set(particles.kunya_mother)
    link = particles.nasab[0] if particles.nasab else ""
    units: list[_Unit] = []
    linked = False
    index = 0
    while index < len(tokens):
        word = tokens[index]
        following = tokens[index + 1 : index + 3]
        if word == link and following and following[0] != link and len(tokens) >= 3:
            linked = True
            index += 1
            continue
        if word in kunya and following and following[0] not in kunya and following[0] != link:
            unit = _Unit((word, following[0]), "kunya")
            index += 2
        elif (
            len(following) == 2
            and following[0] in particles.laqab_articles
            and following[1] in particles.laqab_words
            and word not in kunya
            and word != link
        ):
            unit = _Unit((word, *following), "laqab")
            index += 3
        else:
            unit = _Unit((word,), "")
            index += 1
        units.append(_Unit(unit.words, unit.kind or "nasab") if linked else unit)
        linked = False
    if units and units[-1].kind == "nasab":
        # The last linked name is as often the family name (bin Laden), and the names between it and the
        # given name are fathers' names whether linked or not (Usama Muhammed Awad bin Laden).
        units[-1] = _Unit(units[-1].words, "")
        units[1:-1] = [_Unit(unit.words, unit.kind or "nasab") for unit in units[1:-1]]
    return units


def _canonical_kunya(word: str) -> str:
    particles = arabic_particles()
    for forms in (particles.kunya_father, particles.kunya_mother):
        if word in forms and word.isascii():
            return forms[0]
    return word


# Vowels and consonants that Latin one-word spellings put between a name and din or islam:
# Salahuddin, Nasreddin, Saifulislam (the article, assimilated before d).
_LAQAB_JOINS = ("", "ud", "ul")


@lru_cache(maxsize=1 << 16)
def _compound_form(words: tuple[str, ...], kind: str, language: str | None) -> WordForm:
    """One form for a kunya or laqab: its text as written, its keys those of the words read as one
    (with the given name's cognates: Abu Muhammad = Abou Mohamed)."""
    if kind == "kunya":
        head, name = _canonical_kunya(words[0]), words[1]
        name_form = word_form(name, None if name.isascii() else language)
        head_keys = word_form(head, None if head.isascii() else language).keys
        base = word_form(f"{head} {name}", None if name.isascii() else language)
        keys = tuple(dict.fromkeys((*base.keys, *(h + k for h in head_keys for k in name_form.keys))))
        return replace(base, text=" ".join(words), keys=keys)
    # laqab: name, article, word
    name, article, second = words
    if not name.isascii():
        base = word_form(f"{name} {second}", language)
        return replace(base, text=f"{name} {article}{second}")
    base = word_form(f"{name} {second}")
    keys = tuple(
        dict.fromkeys(key for join in _LAQAB_JOINS for key in comparison_keys(f"{name}{join}{second}"))
    )
    return replace(base, text=f"{name} {article}-{second}", keys=with_cognates(keys))


def _wade_giles_name(name: str) -> bool:
    """A name with a Chinese given name in hyphenated syllables (Mao Tse-tung, Chang Chun-chieh): its
    Latin words may be Wade-Giles."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("’", "'").replace("ʻ", "'")
    return join_chinese_syllables(text) != text


@lru_cache(maxsize=1 << 16)
def _wade_giles_form(form: WordForm) -> WordForm:
    """The word with the keys of the pinyin it spells as Wade-Giles (Tsetung: zedong; Chang: zhang)."""
    readings = wade_giles_readings(form.text)
    if not readings:
        return form
    keys = [key for reading in readings for key in comparison_keys(reading)]
    return replace(form, keys=with_cognates(tuple(dict.fromkeys((*form.keys, *keys)))))


@lru_cache(maxsize=1 << 16)
@lru_cache(maxsize=1 << 16)
def _kind_part(part: NamePart, kind: str) -> NamePart:
    # Cached like _plain_part: registries repeat the same fathers' names.
    return replace(part, kind=kind)


_NISBA_ENDINGS = ("i", "y", "ee", "ي", "ی")
_LATIN_ARTICLE = re.compile(r"^(?:al|el)(?=[a-z]{4})")


def _nisbas(name: str, tokens: list[str]) -> frozenset[str]:
    """The words of a name that are nisbas: the article written before or on a word ending in -i."""
    text = unicodedata.normalize("NFKC", name).casefold()
    found = set()
    for token in tokens:
        if not token.endswith(_NISBA_ENDINGS) or token.endswith(("ei", "ey")) or len(token) < 4:
            continue
        glued = token.isascii() and _LATIN_ARTICLE.match(token) is not None
        if glued or _after_article(text, token, last=False):
            found.add(token)
    return frozenset(found)


_ARTICLES = ("al", "el", "ال")


def _after_article(text: str, word: str, *, last: bool) -> bool:
    """Whether the word is written whole after an article (al-Qasim, el Hashimi, القاسم), at the end of
    the text when last. Scanned, not a pattern per word: a regular expression made for each of a
    registry's words overflows the module's cache and is compiled again and again."""
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        closed = end == len(text) or not last and _separator(text[end], comma=True)
        if closed and _article_ends_at(text, start - 1 if start and _separator(text[start - 1]) else start):
            return True
        start = text.find(word, start + 1)
    return False


def _article_ends_at(text: str, end: int) -> bool:
    for article in _ARTICLES:
        begin = end - len(article)
        if begin >= 0 and text.startswith(article, begin) and (begin == 0 or _separator(text[begin - 1], comma=True)):
            return True
    return False


def _separator(char: str, *, comma: bool = False) -> bool:
    return char.isspace() or char == "-" or comma and char == ","


def _is_han(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" for char in text)


_TURKIC = frozenset("şğıəçöüŞĞİƏÇÖÜ")


def _order(name: str, tokens: list[str]) -> str:
    if len(tokens) == 2 and all(_is_han(token) for token in tokens):
        if any(mark in name for mark in _FOREIGN_NAME_MARKS):
            return "given-first"  # a Uyghur (or other foreign) name: given name, then father's name
        if " " not in name.strip():
            return "surname-first"  # 王若汐: the normaliser split it after the surname
    if (
        len(tokens) >= 2
        and _TURKIC & set(name)
        and not (name.isupper() or name.islower())
        and "," not in name
        and all(token.isascii() or not _is_han(token) for token in tokens)
    ):
        return "given-first"
    return ""


@lru_cache(maxsize=1 << 16)
def parse_name(name: str) -> ParsedName:
    """Split a name into parts with roles. Word order is free: notices put the surname first."""
    tokens = name_tokens(name)
    text = " ".join(tokens)
    language = cyrillic_language_of(text)
    # Latin words do not depend on the Cyrillic alphabet: one cache entry per word.
    foreign = any(mark in name for mark in _FOREIGN_NAME_MARKS)
    units = _units(tokens)
    forms = [
        word_form(unit.words[0], None if unit.words[0].isascii() else language, foreign)
        if len(unit.words) == 1
        else _compound_form(unit.words, unit.kind, language)
        for unit in units
    ]
    if _wade_giles_name(name):
        forms = [_wade_giles_form(form) if form.text.isascii() else form for form in forms]
    forms = read_azerbaijani_name(read_uyghur_name(forms))
    tables = structure_tables()
    parts: list[NamePart] = []
    for unit, form in zip(units, forms, strict=True):
        if unit.kind:
            parts.append(_kind_part(_plain_part(form), unit.kind))
            continue
        marker_sex = (
            "m"
            if tables.male_markers.intersection(form.keys)
            else "f"
            if tables.female_markers.intersection(form.keys)
            else ""
        )
        # "Heydar oglu": the word before the marker is the father's name.
        if marker_sex and parts and parts[-1].role == "name":
            parts[-1] = _patronymic_part(parts[-1].form, marker_sex, "")
            continue
        parts.append(_plain_part(form))
    # One-word patronymics (-ovich, -ovna, Abishuly) only when the name has room for one:
    # in a two-word name "Lukashevich" is a surname.
    if len(parts) >= 3 and not any(part.role == "patronymic" for part in parts):
        found = [
            (position, suffix_and_sex)
            for position, part in enumerate(parts)
            if part.role == "name" and (suffix_and_sex := _patronymic_suffix(part.form)) is not None
        ]
        # A name has one patronymic. When several words look like one (Turkmen Gurbanguly ends like
        # Kazakh -uly), the longest suffix wins (-ovich over -uly), then the later word.
        if found:
            position, (suffix, sex) = max(found, key=lambda item: (len(item[1][0]), item[0]))
            parts[position] = _patronymic_part(parts[position].form, sex, suffix)
    sexes = {part.sex for part in parts if part.sex}
    nisbas = _nisbas(name, tokens)
    return ParsedName(
        text,
        _with_fathers_names(parts, _arabic_family_name(name, tokens, nisbas, parts)),
        sexes.pop() if len(sexes) == 1 else "",
        _marked_surnames(name),
        nisbas,
        _order(name, tokens),
    )


def _arabic_family_name(name: str, tokens: list[str], nisbas: frozenset[str], parts: list[NamePart]) -> bool:
    """Whether a name ends as Arabic names do, in a family name after the given name and the fathers':
    a nisba or a name with the article (al-Qasim, القاسم), or every word in the Arabic or Persian
    alphabet (محمد طارق حداد, the given name, the father's and the family name; not Uyghur or Kurdish,
    which write their vowels and name a person otherwise)."""
    if len(tokens) < 3:
        return False
    if tokens[-1] in nisbas or all(_is_arabic_script(token) for token in tokens) and all(
        part.form.abjad for part in parts
    ):
        return True
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    return _after_article(text, tokens[-1], last=True)


def _is_arabic_script(token: str) -> bool:
    return all("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" for char in token)


def _with_fathers_names(parts: list[NamePart], arabic: bool) -> tuple[NamePart, ...]:
    """An Arabic name puts the father's and grandfather's names between the given name and the family
    name, with or without the links (عمر حسن الدوسري, Ayman Muhammad Rabi al-Zawahiri): those are nasab
    parts too."""
    if len(parts) < 3 or not arabic:
        return tuple(parts)
    middle = [
        _kind_part(part, "nasab") if part.role == "name" and not part.kind else part for part in parts[1:-1]
    ]
    return (parts[0], *middle, parts[-1])


def _is_surname_form(part: NamePart) -> bool:
    # -in ends many given names too (Muhiddin, Nuriddin), so it does not mark a surname by itself.
    return part.ending is not None and part.ending.family != "russian-in"


@cache
def _given_name_endings() -> tuple[str, ...]:
    return tuple(_key_form(ending) for ending in structure_tables().given_name_endings)


@lru_cache(maxsize=1 << 16)
def _is_given_name_form(part: NamePart) -> bool:
    return is_cognate_given_name(part.form.keys) or any(
        key.endswith(ending) and len(key) > len(ending) + 1
        for key in part.form.keys
        for ending in _given_name_endings()
    )


@lru_cache(maxsize=1 << 16)
def part_kinds(name: ParsedName) -> tuple[str, ...]:
    """What each part of a name is, as far as the name tells: "surname", "given name",
    "patronymic", "initial", or "" when it does not tell (KABIRI MUHIDDIN could be either way round).

    Read from the writer's marks (comma, capitals), surname endings (-ov, -zoda), given names known
    in several languages (cognates.toml) or by their ending (-iddin, -jon), and order: the word
    before a patronymic is the given name (Ilham Heydar oglu Aliyev, Путин Владимир Владимирович).
    """
    kinds = [part.role if part.role in ("patronymic", "initial") else part.kind for part in name.parts]
    for position, part in enumerate(name.parts):
        if kinds[position]:
            continue
        if part.form.text in name.nisbas:
            kinds[position] = "nisba"
        elif part.form.text in name.marked_surnames or _is_surname_form(part):
            kinds[position] = "surname"
        elif _is_given_name_form(part):
            kinds[position] = "given name"
    for position, part in enumerate(name.parts[1:], start=1):
        if part.role == "patronymic" and kinds[position - 1] == "":
            kinds[position - 1] = "given name"
    # By elimination: a name has one surname; when it is known, the other words are given names,
    # and when all other words are known given names, the one left is the surname.
    # Chinese names put the surname first, Uyghur and Turkish ones last (a Uyghur's surname is the
    # father's given name: Ilham Tohti's daughter is Jewher Ilham).
    if name.order and "surname" not in kinds:
        last = 0 if name.order == "surname-first" else len(kinds) - 1
        if kinds[last] in ("", "given name"):
            kinds[last] = "surname"
    unknown = [position for position, kind in enumerate(kinds) if kind == ""]
    if unknown and "surname" in kinds:
        for position in unknown:
            kinds[position] = "given name"
    elif len(unknown) == 1 and "given name" in kinds:
        kinds[unknown[0]] = "surname"
    return tuple(kinds)
