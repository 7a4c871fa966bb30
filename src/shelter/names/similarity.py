"""Similarity of two name parts on their comparison keys.

Differences that transliteration produces are cheap (vowels: Kasimov / Qosimov, Usmanov /
Usmonov; g and h: Heydar / Гейдар), any other letter is expensive, because one consonant is what
separates Karimov from Kasimov.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from shelter.names.structure import NamePart
from shelter.names.transliterate import WordForm, comparison_keys, in_latin_letters

__all__ = ["PartComparison", "abjad_similarity", "compare_parts", "key_similarity", "transcription_similarity"]

CONSONANT_PENALTY = 3.0
OTHER_FORM_SCORE = 0.88  # same stem, other surname form: Karimov / Karimzoda, Rahmonov / Rahmon
# Lithuanian and Latvian add a nominative ending to foreign names (Vladimiras Putinas, Vladimirs Putins).
_BALTIC_ENDINGS = ("as", "is", "us", "s")
_MIN_BALTIC_STEM = 5
# Czech and Slovak give a woman's surname -ová, foreign ones too, in place of their final -a
# (Pachodava -> Pachodavová, Ivanova -> Ivanovová). Only the written ová is read so: a bare -ova
# is the Russian ending (Karimova is not Karima).
_CZECH_FEMININE = "ová"
INITIAL_SCORE = 0.9
_MIN_BARE_STEM = 5

# Edit costs on comparison keys (keys.toml: S = sh, C = ch, J = zh/dzh/j).
_VOWELS = frozenset("aeiou")
_CHEAP_VOWEL_COST = 0.2
_VOWEL_COST = 0.6
_VOWEL_GAP_COST = 0.2
_CONFUSABLE_COST = 0.25
_CONSONANT_COST = 1.0
# Vowels that romanisations swap for one sound: Uzbek and Tajik o for Russian a (Qosimov / Касимов),
# e/i, o/u, a/e (Azerbaijani ə: Mammadov / Mamedov), e/o (ё written e in passports, ö written o: Könül / Кёнул).
_CHEAP_VOWELS = frozenset(frozenset(pair) for pair in ("ao", "ei", "ou", "ae", "eo"))
# Consonants that transliteration swaps: Azerbaijani h / Russian г (Heydar / Гейдар), Azerbaijani q /
# Russian г (Quliyev / Гулиев), German s for з (Morosow), German sch for ж (Schukow / Zhukov), Uzbek s for ц.
_CONFUSABLES = frozenset(frozenset(pair) for pair in ("hg", "kg", "zs", "SJ", "ts"))
# Belarusian ў, written u in Łacinka-based and English spellings, is the v of Russian forms
# (Paulauna / Pavlovna, Ivanou / Ivanov).
_U_AND_V = frozenset("uv")
_U_V_AFTER_VOWEL_COST = 0.1  # where ў stands: one letter written two ways (Paulauna / Pavlavna)
# French writes Russian -ин as -ine (Poutine, Lénine, Raspoutine); in shorter words a final e is
# grammar (Emin / Emine).
_FRENCH_INE_MIN_LENGTH = 6


def _is_french_final_e(word: str, position: int) -> bool:
    return position == len(word) - 1 and len(word) >= _FRENCH_INE_MIN_LENGTH and word.endswith("ine")


def _edit_cost(left: str, right: str, free_vowels: frozenset[frozenset[str]] = frozenset()) -> float:
    """Weighted edit distance; swapping a pair of vowels in ``free_vowels`` costs nothing."""
    vowel_costs: list[float] = []
    consonant_cost = 0.0
    swaps: set[tuple[str, str]] = set()
    for operation in Levenshtein.editops(left, right):
        tag, source, target = operation.tag, operation.src_pos, operation.dest_pos
        if tag == "replace":
            swap = (left[source], right[target])
            pair = frozenset(swap)
            if pair <= _VOWELS:
                if pair in free_vowels:
                    continue
                if pair in _CHEAP_VOWELS and swap in swaps:
                    # The same vowel swapped the same way again is one system at work (Belarusian
                    # akanye: Pachodava / Pokhodova), not another name: it does not count more.
                    consonant_cost += _CHEAP_VOWEL_COST
                else:
                    vowel_costs.append(_CHEAP_VOWEL_COST if pair in _CHEAP_VOWELS else _VOWEL_COST)
                    swaps.add(swap)
            elif pair.isdisjoint(_VOWELS):
                consonant_cost += _CONFUSABLE_COST if pair in _CONFUSABLES else _CONSONANT_COST
            else:
                after_vowel = source > 0 and left[source - 1] in _VOWELS and right[target - 1] in _VOWELS
                consonant_cost += (
                    (_U_V_AFTER_VOWEL_COST if after_vowel else _CONFUSABLE_COST)
                    if pair == _U_AND_V
                    else _CONSONANT_COST
                )
            continue
        word, position = (left, source) if tag == "delete" else (right, target)
        # A vowel more or less inside a word is spelling (Aleksandr / Alexander); at the end it is
        # grammar (Ivan / Ivana, Aziz / Aziza).
        if word[position] in _VOWELS and (position < len(word) - 1 or _is_french_final_e(word, position)):
            vowel_costs.append(_VOWEL_GAP_COST)
        else:
            consonant_cost += _CONSONANT_COST
    # Each further vowel difference counts more: one swapped vowel is transliteration, several are
    # another name (Omar / Amir). Confusable consonants come from one system and travel together
    # (German Schyldys for Жылдыз), so they add up plainly.
    return consonant_cost + sum(cost * rank for rank, cost in enumerate(sorted(vowel_costs), start=1))


@lru_cache(maxsize=1 << 20)
def key_similarity(left: str, right: str) -> float:
    """1.0 for equal keys, falling quickly with each consonant that differs, slowly with a swapped vowel."""
    if left == right:
        return 1.0
    return max(0.0, 1.0 - CONSONANT_PENALTY * _edit_cost(left, right) / max(len(left), len(right)))


def _best(left: tuple[str, ...], right: tuple[str, ...]) -> float:
    return max(key_similarity(a, b) for a in left for b in right)


# A Chinese transcription writes each syllable of a Uyghur name with the nearest Chinese syllable,
# whose vowel is often not the Uyghur one: 肯 ken for kin (艾尔肯 Erkin), 明 ming for min and men
# (依明 Imin / Emin), 山 shan for sen (艾山 Hesen), 合 he for hi (热合木 Rehim), 土 tu for to
# (土赫提 Tohti: pinyin has no to), 奥 ao for o and u (奥斯曼 Osman / Usman). A reading that differs
# from the other spelling only by such vowels scores 1.0, as an abjad word whose consonants agree does,
# and is "≈": the characters never told these vowels apart. a and i, a and o, a and u stay apart
# (乌买尔 Umer is not Amir), and any other difference is scored as usual. This holds when the
# transcription is in characters, the other word in another script (ئەركىن), or the whole name is in
# such pinyin (Aosiman Yilihamu = Ilham Usman): a single Latin word read as pinyin may be a name of its
# own (Aisha is not Isa, Malalai is not Malala), so against a Latin word only a reading that
# is one of its keys counts (Yusufu = Yusup).
_TRANSCRIPTION_VOWELS = frozenset(frozenset(pair) for pair in ("ae", "ei", "ou"))


@lru_cache(maxsize=1 << 20)
def _transcription_key_similarity(reading: str, key: str) -> float:
    if reading != key and len(reading) == len(key) and _edit_cost(reading, key, _TRANSCRIPTION_VOWELS) == 0.0:
        return 1.0
    return key_similarity(reading, key)


# Arabic, Persian and Hebrew script write consonants and long vowels, not short vowels, and
# have no letters for some European consonants: Vladimir is فلاديمير (f, with long i written)
# or ولادیمیر (w), Putin is بوتين (b) or پوتین. Such a word is compared on consonant classes and
# on the vowels it writes; an unwritten Latin vowel costs nothing.
# A word whose consonants and written vowels all agree scores 1.0, as equal spellings do: nothing tells
# the two apart, so a namesake spelled in Latin letters does not rank above it. It is still "≈", not
# "=": the vowels were never written. Any other difference caps the score here.
ABJAD_MAX_SCORE = 0.95
# Arabic script has no p, v or g, Hebrew script writes b and v, k and kh, p and f alike: each such
# group is one consonant here.
_ABJAD_CLASSES = {"p": "b", "v": "b", "f": "b", "w": "b", "g": "k", "q": "k"}
# The Latin letters each written long vowel stands for; E is an alif that begins a word, which
# carries whatever vowel the word begins with (امید Omid / Umid, ابراهیم Ebrahim / Ibrahim).
_ABJAD_SLOTS = {"A": "aeo", "U": "ouvW", "I": "ieY", "E": "aeiou"}
# Diphthong glides of a spelling with all its vowels, and the letter of an abjad that writes them.
_GLIDE_SLOTS = {"Y": "I", "W": "U"}
_LATIN_VOWEL_DROP_COST = 0.0
# A long vowel written where the other spelling has none, or another vowel: cheap between two
# abjad spellings (بوتن / بوتين); against a spelling with every vowel, waw and ya are strong
# signs (محمود is Mahmud, not Mohammed), alif a weaker one (the a of the article: عبدالله / Abdulla).
_SLOT_COST_ABJAD = 0.1
_SLOT_COSTS = {"A": 0.2, "U": 0.4, "I": 0.4, "E": 0.2}
_ABJAD_CONSONANT_COST = 1.0
# An h that only the Latin spelling writes, after a vowel the abjad writes with waw or ya and before a
# consonant: English spellings of Pashto names lengthen the vowel so (Mohmand for مومند). After a (Ahmad)
# the h stays a consonant: عماد is Imad.
_LATIN_H_AFTER_VOWEL_COST = 0.25
# Russian г for Arabic ح and ه (Гасан / حسن, Гусейн / حسين).
_ABJAD_CONFUSABLES = frozenset({frozenset("hk"), frozenset("hg")})


@lru_cache(maxsize=1 << 16)
def _abjad_keys(latin: str) -> tuple[str, ...]:
    """Keys of an abjad word with its vowel letters marked: A (alif), U (waw), I (ya).

    Waw and ya begin a word as consonants (Walid, Yusuf); elsewhere they may be either, which the
    comparison allows (U stands for o, u or v: Dawud / Daud / Davud).
    """
    marked = [
        ("A" if position else "E")
        if char == "a"
        else ("U" if char == "w" else "I")
        if char in "wy" and position
        else char
        for position, char in enumerate(latin)
    ]
    return tuple(_abjad_affricates(key) for key in comparison_keys("".join(marked)))


def _abjad_affricates(key: str) -> str:
    # ч is written تش in Arabic script: compare it as t + ш on both sides.
    return key.replace("C", "tS")


def _is_consonant(char: str) -> bool:
    return char not in "aeiouAUIYWE"


_GLIDES = ((re.compile("(?<=[aeou])i"), "Y"), (re.compile("(?<=a)u"), "W"))


@lru_cache(maxsize=1 << 16)
def _vowelled_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Keys of a word written with all its vowels, for comparison with an abjad word.

    The second vowel of a diphthong (Husayn, Mikhail, Dawud) is marked Y or W: Arabic script
    writes it (حسين), so it is not free to leave out (حسن is Hasan, not Husayn).
    """
    marked = []
    for key in keys:
        key = _abjad_affricates(key)
        for pattern, glide in _GLIDES:
            key = pattern.sub(glide, key)
        marked.append(key)
    return tuple(marked)


def _abjad_cost(abjad: str, other: str, both_abjad: bool) -> float:
    """Weighted edit distance between an abjad key and a key written with vowels (or another abjad key)."""

    def drop(char: str) -> float:
        if char in "aeiou":
            return _LATIN_VOWEL_DROP_COST
        if char in _GLIDE_SLOTS:
            return _SLOT_COSTS[_GLIDE_SLOTS[char]]
        if char in _ABJAD_SLOTS:
            return _SLOT_COST_ABJAD if both_abjad else _SLOT_COSTS[char]
        return _ABJAD_CONSONANT_COST

    def substitute(a: str, b: str) -> float:
        if a == b:
            return 0.0
        if a in _ABJAD_SLOTS and b in _ABJAD_SLOTS[a] or b in _ABJAD_SLOTS and a in _ABJAD_SLOTS[b]:
            return 0.0  # a written long vowel and a vowel (or v) it stands for
        if _is_consonant(a) != _is_consonant(b) or not _is_consonant(a):
            return drop(a) + drop(b)
        if _ABJAD_CLASSES.get(a, a) == _ABJAD_CLASSES.get(b, b):
            return 0.0
        return _CONFUSABLE_COST if frozenset((a, b)) in _ABJAD_CONFUSABLES else _ABJAD_CONSONANT_COST

    # The cost of leaving out each letter of the other spelling.
    other_drops = [
        _LATIN_H_AFTER_VOWEL_COST
        if char == "h" and not both_abjad and 0 < position < len(other) - 1
        and other[position - 1] in "oeiuYW" and _is_consonant(other[position + 1])
        else drop(char)
        for position, char in enumerate(other)
    ]
    previous = [0.0]
    for cost in other_drops:
        previous.append(previous[-1] + cost)
    for a in abjad:
        current = [previous[0] + drop(a)]
        for position, b in enumerate(other, start=1):
            current.append(
                min(
                    previous[position] + drop(a),
                    current[position - 1] + other_drops[position - 1],
                    previous[position - 1] + substitute(a, b),
                )
            )
        previous = current
    return previous[-1]


def _abjad_form_keys(form: WordForm) -> tuple[str, ...]:
    """Keys of an abjad word in each of its readings: a letter with several accepted readings (Pashto
    ږ zh or g, ښ sh or kh; Arabic ج j or g) gives one key per reading."""
    if not form.readings:
        return _abjad_keys(form.latin)
    return tuple(dict.fromkeys(key for latin in (form.latin, *form.readings) for key in _abjad_keys(latin)))


@lru_cache(maxsize=1 << 16)
def abjad_similarity(abjad: WordForm, other: WordForm) -> float:
    """Similarity of a word in Arabic, Persian or Hebrew script with a word in any script."""
    other_keys = _abjad_form_keys(other) if other.abjad else _vowelled_keys(other.keys)
    return _abjad_best(_abjad_form_keys(abjad), other_keys, other.abjad)


def _abjad_best(abjad_keys: tuple[str, ...], other_keys: tuple[str, ...], both_abjad: bool) -> float:
    best = 0.0
    for left in abjad_keys:
        for right in other_keys:
            consonants = max(sum(map(_is_consonant, left)), sum(map(_is_consonant, right)), 2)
            best = max(best, 1.0 - CONSONANT_PENALTY * _abjad_cost(left, right, both_abjad) / consonants)
    return best if best >= 1.0 else min(ABJAD_MAX_SCORE, best)


@dataclass(frozen=True)
class PartComparison:
    score: float
    relation: str  # "=", "≈", "≠"
    note: str  # "", "other surname form", "initial", "different gender form", "Baltic ending", ...


def _baltic_form(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    return any(
        key == base + ending and len(base) >= _MIN_BALTIC_STEM
        for key in longer
        for base in shorter
        for ending in _BALTIC_ENDINGS
    )


def _czech_feminine_score(longer: WordForm, shorter: tuple[str, ...]) -> float:
    if not longer.text.endswith(_CZECH_FEMININE):
        return 0.0
    return max(
        (
            key_similarity(key[:-3], base[:-1])
            for key in longer.keys
            for base in shorter
            if base.endswith("a") and len(base) >= _MIN_BALTIC_STEM and len(key) == len(base) + 2
        ),
        default=0.0,
    )


_HAN_LABEL = "Chinese characters"
_HAN_DISTANCE_FACTOR = 3.0


def _relation(score: float) -> str:
    return "=" if score >= 0.999 else "≈" if score >= 0.75 else "≠"


def _order_key(part: NamePart) -> tuple[str, str, str, tuple[str, ...]]:
    return part.form.text, part.role, part.form.language, part.stems


@lru_cache(maxsize=1 << 20)
def compare_parts(left: NamePart, right: NamePart) -> PartComparison | None:
    """Compare two parts; None when their roles cannot be aligned (a patronymic with a given name).

    Symmetric: the parts are put in a fixed order first, so that a screening index can compare a
    query word with a registry word once, whichever side of a name pair each ends up on.
    """
    if _order_key(right) < _order_key(left):
        left, right = right, left
    return _compare_ordered(left, right)


@lru_cache(maxsize=1 << 20)
def _compare_ordered(left: NamePart, right: NamePart) -> PartComparison | None:
    if left.role == "initial" or right.role == "initial":
        if left.role == right.role:
            score = 1.0 if left.form.text == right.form.text else 0.0
            return PartComparison(score, _relation(score), "initial")
        full = right if left.role == "initial" else left
        initial = left if left.role == "initial" else right
        first_letters = {key[:1] for key in full.form.keys} | {full.form.latin[:1]}
        score = INITIAL_SCORE if initial.form.keys[0][:1] in first_letters else 0.0
        return PartComparison(score, "≈" if score else "≠", "initial")
    if (left.role == "patronymic") != (right.role == "patronymic"):
        return None
    if left.role == "patronymic":
        score = _best(left.stems, right.stems)
        return PartComparison(score, _relation(score), "")
    comparison = _compare_names(left, right)
    transcribed = transcription_similarity(left.form, right.form)
    if transcribed > comparison.score:
        # "≈" at best when an abjad left vowels unwritten or the characters wrote other vowels
        exact = not (left.form.abjad or right.form.abjad) and _transcription_exact(left.form, right.form)
        relation = "≈" if transcribed >= 1.0 and not exact else _relation(transcribed)
        return PartComparison(transcribed, relation, "Chinese transcription")
    return comparison


def transcription_similarity(left: WordForm, right: WordForm) -> float:
    """Similarity of a Uyghur name written in Chinese characters or their pinyin with the same name
    in another script (阿布都热依木 / Abudureyimu / Abdurehim / ئابدۇرېھىم); 0 when neither or both
    words are such transcriptions, or the other is Chinese. A word in an abjad (ئوسمان, عثمان) is
    compared on consonants and written long vowels, as with any Latin spelling."""
    if bool(left.transcribed) == bool(right.transcribed):
        return 0.0
    transcribed, other = (left, right) if left.transcribed else (right, left)
    if other.syllabic:
        return 0.0
    similarity = (
        _transcription_key_similarity
        if transcribed.pinyin_name or not (in_latin_letters(transcribed.text) and in_latin_letters(other.text))
        else _exact_key
    )
    readings = max(similarity(a, b) for a in transcribed.transcribed for b in other.keys)
    if other.abjad:
        abjad = _abjad_best(_abjad_form_keys(other), _vowelled_keys(transcribed.transcribed), both_abjad=False)
        return max(abjad, readings)
    return readings


def _exact_key(reading: str, key: str) -> float:
    return 1.0 if reading == key else 0.0


def _transcription_exact(left: WordForm, right: WordForm) -> bool:
    """Whether a reading of the transcription is a key of the other word."""
    transcribed, other = (left, right) if left.transcribed else (right, left)
    return not set(transcribed.transcribed).isdisjoint(other.keys)


def _compare_names(left: NamePart, right: NamePart) -> PartComparison:
    score = _best(left.form.keys, right.form.keys)
    if score >= 0.999:
        return PartComparison(1.0, "=", "")
    if _HAN_LABEL in (left.form.language, right.form.language):
        # Pinyin spells every syllable one way: 宇泽 Yuze is not Yize; one letter off is another name.
        score = max(0.0, 1.0 - _HAN_DISTANCE_FACTOR * (1.0 - score))
        return PartComparison(score, _relation(score), "")
    if left.form.abjad or right.form.abjad:
        abjad, other = (left.form, right.form) if left.form.abjad else (right.form, left.form)
        consonants = abjad_similarity(abjad, other)
        if consonants > score:
            return PartComparison(consonants, "≈" if consonants >= 1.0 else _relation(consonants), "compared on consonants")
    if _baltic_form(left.form.keys, right.form.keys) or _baltic_form(right.form.keys, left.form.keys):
        return PartComparison(OTHER_FORM_SCORE, "≈", "Baltic ending")
    czech = OTHER_FORM_SCORE * max(
        _czech_feminine_score(left.form, right.form.keys), _czech_feminine_score(right.form, left.form.keys)
    )
    if czech > score and czech >= OTHER_FORM_SCORE * 0.75:
        return PartComparison(czech, _relation(czech), "Czech feminine ending")
    if left.ending is not None or right.ending is not None:
        stem_score = _best(left.stems, right.stems)
        same_family = (
            left.ending is not None and right.ending is not None and left.ending.family == right.ending.family
        )
        if same_family and left.sex and right.sex and left.sex != right.sex and stem_score >= 0.999:
            return PartComparison(max(score, 0.95), "≈", "different gender form")
        bare = (
            right
            if left.ending is not None and right.ending is None
            else left
            if right.ending is not None and left.ending is None
            else None
        )
        long_enough = bare is None or len(bare.stems[0]) >= _MIN_BARE_STEM
        if not same_family and long_enough and stem_score * OTHER_FORM_SCORE > score:
            return PartComparison(stem_score * OTHER_FORM_SCORE, "≈", "other surname form")
    return PartComparison(score, _relation(score), "")
