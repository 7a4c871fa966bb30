"""The one name normaliser: Unicode, case, apostrophes, punctuation, comma order, honorifics."""

from __future__ import annotations

import re
import unicodedata

from shelter.names.tables import arabic_particles, honorifics, other_scripts
from shelter.names.transcription import is_chinese_syllable

__all__ = ["name_tokens", "normalise"]

# Uzbek oʻ/gʻ are typed with any of these; Russian ь is romanised with some of them (Il'ya).
_APOSTROPHES = "ʻʼʽ'`‘’´′ʹ‛"
_APOSTROPHE_TABLE = str.maketrans({mark: "'" for mark in _APOSTROPHES})
# Hyphens and dashes of every kind separate name parts (Kassym-Jomart, Abdul-Aziz).
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_/.·()\[\]{}\"«»„“”;:!?|+*&#@$%^=<>~\\0-9]+")


# After NFC composition, a remaining combining mark has no precomposed letter (İ -> i̇, stress
# marks in Russian dictionaries: Влади́мир): the comparison does not need it. Nor do Arabic and
# Hebrew vowel points, which most writers leave out (مُحَمَّد / محمد).
_COMBINING_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"
)


def _word_marks() -> str:
    """The other combining marks, which belong to their word: Indic vowel signs and viramas
    (व्लादिमीर), Thai, Khmer and Burmese vowels. Python's \\w does not match them."""
    marks = (chr(code) for code in range(0x10000) if unicodedata.category(chr(code))[0] == "M")
    return "".join(mark for mark in marks if not _COMBINING_MARKS.match(mark))


_KEEP = re.compile(f"[^\\w',{re.escape(_word_marks())}]+")


def _strip_marks(text: str) -> str:
    return text if text.isascii() else _COMBINING_MARKS.sub("", text)


def _is_han(word: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" for char in word)


def _split_han(words: list[str]) -> list[str]:
    """A Chinese name of two to four characters written without a space: surname, given name."""
    if len(words) != 1 or not 2 <= len(words[0]) <= 4 or not _is_han(words[0]):
        return words
    word = words[0]
    compound = other_scripts()["CJK"].compound_surnames
    cut = 2 if len(word) > 2 and word[:2] in compound else 1
    return [word[:cut], word[cut:]]


# Arabic name particles (structure.toml has the lists): the article al-/el- written as a word of
# its own, "servant of" Abd joined to the name it governs, and the nasab links ibn/bin/ben/ould.
def _arabic_particles(words: list[str]) -> list[str]:
    particles = arabic_particles()
    result: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        rest = words[index + 1 :]
        if word in particles.abd and rest:
            following = rest[1:] if rest[0] in particles.articles and len(rest) > 1 else rest
            joined = following[0]
            if word == "عبد" and joined.startswith("ال") and len(joined) > 3:
                joined = joined[2:]
            result.append(word + joined)
            index += len(words) - index - len(following) + 1
            continue
        if word in particles.articles and rest and (result or len(words) >= 3):
            if result and rest[0] in particles.laqab_words:
                result.append(word)  # Saif al-Islam: the article shows a laqab (structure.py)
            index += 1  # al-Zahrani / Zahrani; a name of two words keeps it (Al Gore)
            continue
        if word.startswith("عبدال") and len(word) > 6:
            word = "عبد" + word[5:]  # عبدالعزيز Abd al-Aziz / Abdulaziz
        if word.startswith("ال") and len(word) >= 5 and word not in particles.not_articles:
            word = word[2:]  # الدوسري al-Dosari / Dosari
            if result and word in particles.laqab_words:
                result.append("ال")  # صلاح الدين: the article shows a laqab, as in Latin
        if (
            word in particles.allah
            and result
            and result[-1] not in particles.nasab
            and not (rest and rest[0] in particles.allah_first)
        ):
            result[-1] += word  # Asad Allah / Asadullah, اسد الله / اسدالله
            index += 1
            continue
        if word in particles.nasab and rest and (result or len(words) >= 3):
            word = particles.nasab[0]
        result.append(word)
        index += 1
    return result


_HYPHENATED = re.compile(r"[a-z']+(?:-[a-z']+)+")


def _join_syllables(match: re.Match[str]) -> str:
    parts = match.group(0).split("-")
    if all(is_chinese_syllable(part.replace("'", "")) for part in parts):
        return "".join(parts)
    return match.group(0)


def join_chinese_syllables(text: str) -> str:
    """A Chinese given name written in syllables joined by hyphens (Tse-tung, Ruo-Xi, Chun-chieh) is one
    word; other hyphenated names (Kassym-Jomart, Al-Ansari) are left to be split."""
    return _HYPHENATED.sub(_join_syllables, text)


def normalise(name: str) -> str:
    """Return the normalised form of a person name: lower case, single-spaced, given names first.

    "KABIRI, Muhiddin" -> "muhiddin kabiri"; "Gʻayratjon  QOSIMOV" -> "g'ayratjon qosimov".
    Idempotent: normalise(normalise(x)) == normalise(x).
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    text = unicodedata.normalize("NFC", text)
    # Persian writes one word in pieces joined by a zero-width non-joiner (علی‌نژاد Alinejad).
    text = _strip_marks(text).translate(_APOSTROPHE_TABLE).replace("\u200c", "")
    text = join_chinese_syllables(text)
    text = _SEPARATORS.sub(" ", text)
    text = _KEEP.sub(" ", text)
    text = text.replace("_", " ")
    parts = [part.strip() for part in text.split(",")]
    parts = [part for part in parts if part.strip(" '")]
    # "Surname, Given names" (lists, notices, bibliographies) -> "Given names Surname".
    if len(parts) == 2:
        parts = [parts[1], parts[0]]
    words = [word.strip("'") for part in parts for word in part.split()]
    words = [word for word in words if word]
    titles = honorifics()
    kept = [word for word in words if word not in titles]
    return " ".join(_split_han(_arabic_particles(kept if kept else words)))


def name_tokens(name: str) -> list[str]:
    """The words of the normalised name."""
    return normalise(name).split()
