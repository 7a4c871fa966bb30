"""Multilingual charge classifier: reads a warrant's charge text into counts and charge categories.

The rules, not a list of known notices: each count is matched against the lexicon of its language;
a charge that alleges any concrete act (a killing, a robbery, drugs, financing terrorism) is an
ordinary-law charge and is never flagged political; a charge made only of membership counts is
membership-only (RN-10); speech, protest and religious offences are political or religious (RN-01).

The reading is decided from what is recognised, and says what was not: a word outside the lexicon does
not veto a category, it lowers the confidence and is returned as an unrecognised span. A count that names
no known offence at all could be a concrete crime, so then the category supports no indicator by itself.
Text in which no lexicon recognises an offence is "unknown", never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from shelter.indicators.files import CATALOGUE_DIR, read_yaml
from shelter.indicators.lexicon import (
    ChargeKind,
    LanguageLexicon,
    Lexicon,
    Provision,
    TermMatch,
    load_lexicon,
    tokenise,
)
from shelter.indicators.model import (
    Charge,
    ChargeClassification,
    ChargeCount,
    Field,
    Said,
    Source,
    translated,
)


@dataclass(frozen=True)
class LanguageSign:
    language: str
    name: str
    pattern: re.Pattern[str]
    one_sign_enough: bool


@dataclass(frozen=True)
class LanguageSigns:
    """What tells a charge's language apart (``catalogue/language_signs.yaml``)."""

    cyrillic_letters: tuple[tuple[str, str, str], ...]  # (language, name, letters Russian does not use)
    latin_signs: tuple[LanguageSign, ...]
    three_letter: Mapping[str, str]
    names: Mapping[str, str]
    article_cue: re.Pattern[str]  # a word that introduces an article number
    abbreviation: re.Pattern[str]  # text ending in an abbreviation (its full stop does not end a count)


@lru_cache(maxsize=1)
def language_signs() -> LanguageSigns:
    raw = read_yaml(CATALOGUE_DIR / "language_signs.yaml")
    return LanguageSigns(
        cyrillic_letters=tuple((e["language"], e["name"], e["letters"]) for e in raw["cyrillic_letters"]),
        latin_signs=tuple(LanguageSign(e["language"], e["name"], re.compile(e["pattern"]),
                                       bool(e.get("one_sign_enough", False))) for e in raw["latin_signs"]),
        three_letter=MappingProxyType(dict(raw["three_letter"])),
        names=MappingProxyType(dict(raw["names"])),
        article_cue=re.compile(r"(?i)\b(?:" + "|".join(raw["article_cues"]) + r")\b"),
        abbreviation=re.compile(r"(?i)(?:\b(?:" + "|".join(raw["abbreviations"]) + r")|\d)$"),
    )


_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024fəʻ]")
_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u0400-\u04ff\u0600-\u06ff\u0750-\u077fəʻ]")
_ARTICLE_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:[.\-‑]\d{1,2})?)(?![\d])")
# Counts are separated by semicolons, line breaks, numbered items "1)" at the start or after a separator
# (not "seis (6) a diez (10) años" inside a sentence) and full stops ending a sentence (but not the full
# stop of an abbreviation such as "ст." or "Art.").
_COUNT_BREAK = re.compile(r"(?:^|[\n\r;.,•])\s*\(?\d{1,2}\)\s|[;\n\r•]+|\.(?=\s+\S|\s*$)")


UNVERIFIED_MARK = " (unverified)"  # appended to matched terms whose legal reading was not re-checked
# Without a concrete act, an economic count (fraud, bribery) still alleges an act, so membership or
# speech counts next to it are not "only" membership or speech; they are shown and left for review.
_CATEGORY_PRECEDENCE = ("economic", "political_religious", "membership_only_terrorism", "excluded")
# Political offences named precisely; a generic political term beside one of them adds nothing.
_SPECIFIC_POLITICAL = frozenset(
    {"extremism", "constitutional_order", "insult_head_of_state", "false_information", "mass_riots"}
)
# Which kinds' indicators a charge of each category supports.
_SUPPORTING = {
    "economic": ("economic", "excluded"),
    "political_religious": ("political_religious", "membership_only_terrorism", "excluded"),
    "membership_only_terrorism": ("membership_only_terrorism",),
    "excluded": ("excluded",),
}


def normalise_language(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower()
    return language_signs().three_letter.get(code, code[:2])


def detect_language(text: str, supported: Iterable[str]) -> tuple[str | None, str]:
    """(language code or None when undetermined, readable name) from the script and telling letters."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return None, "no words"
    # Most charges are in one script: count the others only when they occur at all.
    cyrillic = len(_CYRILLIC.findall(text)) if _CYRILLIC.search(text) else 0
    arabic = len(_ARABIC.findall(text)) if _ARABIC.search(text) else 0
    latin = letters - cyrillic - arabic if not _OTHER_SCRIPT.search(text) else len(_LATIN.findall(text))
    dominant = max(("cyrillic", cyrillic), ("arabic", arabic), ("latin", latin), key=lambda item: item[1])
    lowered = text.lower()
    signs = language_signs()
    if dominant[0] == "cyrillic":
        for code, name, marks in signs.cyrillic_letters:
            if any(mark in lowered for mark in marks):
                return code, name
        return "ru", "Russian"
    if dominant[0] == "arabic":
        return "ar", signs.names["ar"]
    if dominant[1] < letters / 2:
        return "other", "a script without a lexicon"
    for sign in signs.latin_signs:
        if sign.language in supported or not sign.pattern.search(lowered):
            continue
        if sign.one_sign_enough or len(sign.pattern.findall(lowered)) >= 2:
            return sign.language, sign.name
    return None, "Latin script"


def split_counts(text: str) -> list[str]:
    counts, start = [], 0
    for found in _COUNT_BREAK.finditer(text):
        if found.group().startswith(".") and language_signs().abbreviation.search(text[start : found.start()]):
            continue
        counts.append(text[start : found.start()])
        start = found.end()
    counts.append(text[start:])
    return [count.strip(" ,.:-–—()\t") for count in counts if count.strip(" ,.:-–—()\t")]


@dataclass(frozen=True)
class CountReading:
    """One count read in one language: matches, their original wording, unexplained words, and a score."""

    matches: tuple[TermMatch, ...]
    phrases: tuple[str, ...]
    unexplained: tuple[str, ...]
    spans: tuple[str, ...]  # the unexplained words, neighbours joined into one stretch of text
    # Matched words weigh most; the language's own stopwords and fillers break ties between lexicons
    # that share a word stem (English "injur*", Spanish "injuria").
    score: int
    names_offence: bool


@lru_cache(maxsize=65536)
def read_count(text: str, language_code: str) -> CountReading:
    """A count read with the lexicon of one language. Cached: warrants reuse the same wording."""
    lexicon = load_lexicon()
    language = lexicon.languages[language_code]
    all_tokens = tokenise(text)
    tokens = language.content_words(all_tokens)
    words = [token.folded for token in tokens]
    matches = language.find(words)
    covered = {i for match in matches for i in range(match.first, match.last + 1)}
    unexplained = [i for i, token in enumerate(tokens) if i not in covered and not language.is_filler(token.folded)]
    runs: list[list[int]] = []
    for i in unexplained:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return CountReading(
        matches=tuple(matches),
        phrases=tuple(text[tokens[m.first].start : tokens[m.last].end] for m in matches),
        unexplained=tuple(text[tokens[i].start : tokens[i].end] for i in unexplained),
        spans=tuple(text[tokens[run[0]].start : tokens[run[-1]].end] for run in runs),
        score=2 * len(covered) + language.own_word_count([t.folded for t in all_tokens]),
        names_offence=any(lexicon.kinds[m.pattern.kind].category for m in matches),
    )


def _best_lexicon(counts: list[str], candidates: list[str]) -> str | None:
    """The lexicon that reads the counts best; the first candidate on a tie."""
    best, best_score = None, 0
    for code in candidates:
        readings = [read_count(count, code) for count in counts]
        if not any(reading.names_offence for reading in readings):
            continue
        score = sum(reading.score for reading in readings)
        if score > best_score:
            best, best_score = code, score
    return best


def _provisions(text: str, state: str | None, lexicon: Lexicon) -> list[Provision]:
    """The domestic provisions of the issuing state cited in a count."""
    if not state or not language_signs().article_cue.search(text):
        return []
    cited = {number.replace("‑", "-") for number in _ARTICLE_NUMBER.findall(text)}
    return [p for p in lexicon.provisions_for(state) if p.article in cited]


def _term_said(words: Said, kind: str, verified: bool, lexicon: Lexicon) -> Said:
    """A matched term (a phrase of the charge, or a provision the charge cites) with its kind, in Shelter's words."""
    message = words.message + " ({kind})" + ("" if verified else UNVERIFIED_MARK)
    return Said(message, (*words.fields, translated("kind", lexicon.kinds[kind].labels)))


def _text(name: str, value: str) -> Field:
    return Field(name, (value,))


def _descriptions(name: str, kinds: Iterable[ChargeKind]) -> Field:
    """The kinds' descriptions (the lexicon's data, in each language it gives), in the order of the English."""
    ordered = sorted(kinds, key=lambda kind: kind.description)
    return translated(name, {language: "; ".join(kind.descriptions[language] for kind in ordered)
                             for language in ("en", "ru")})


def _conclusion(category: str, kinds: set[str], lexicon: Lexicon) -> list[Said]:
    spec = lexicon.kinds
    acts = [spec[k] for k in kinds if spec[k].concrete_act]
    other = [spec[k] for k in kinds if not spec[k].concrete_act and spec[k].category not in (None, "unknown")]
    if category == "ordinary":
        said = [Said("A concrete act is alleged ({acts}): an ordinary-law charge, not flagged political.",
                     (_descriptions("acts", acts),))]
        if other:
            said.append(Said("It also contains {other}: check whether the facts support the concrete counts (RN-02).",
                             (_descriptions("other", other),)))
        return said
    if category == "membership_only_terrorism":
        return [Said("Only organising or taking part in an organisation is alleged, no concrete act: membership only "
                     "(RN-10).")]
    if category == "political_religious":
        return [Said("The offence is political or religious in substance (RN-01).")]
    if category == "economic":
        said = [Said("Economic charge: relevant to RN-09 when the person has a political profile.")]
        beside = [kind for kind in other if kind.name != "economic"]
        if beside:
            said.append(Said("It also contains {other}: left for review (RN-01, RN-10).",
                             (_descriptions("other", beside),)))
        return said
    if category == "excluded":
        return [Said("The offence falls in a category INTERPOL's rules exclude from Red Notices (RN-07).")]
    return []


def _classify_in(
    text: str, language: LanguageLexicon, lexicon: Lexicon, state: str | None
) -> ChargeClassification:
    counts = []
    unverified: set[str] = set()
    offences: list[str] = []
    spans: list[str] = []
    for count_text in split_counts(text):
        reading = read_count(count_text, language.code)
        matches, phrases, unexplained = reading.matches, reading.phrases, reading.unexplained
        spans.extend(reading.spans)
        kinds = [m.pattern.kind for m in matches]
        named = [m.pattern.offence for m in matches if m.pattern.offence]
        if any(offence in _SPECIFIC_POLITICAL for offence in named):
            # "public calls" or "the armed forces" beside a named speech offence are part of that offence
            named = [offence for offence in named if offence != "other_political"]
        offences.extend(named)
        terms_said = [_term_said(Said("{phrase}", (_text("phrase", phrase),)), match.pattern.kind,
                                 match.pattern.verified, lexicon) for phrase, match in zip(phrases, matches, strict=True)]
        for match in matches:
            if not match.pattern.verified:
                unverified.add(
                    match.pattern.note or f"reading of '{match.pattern.text}' as {match.pattern.kind}"
                )
        for provision in _provisions(count_text, state, lexicon):
            kinds.append(provision.kind)
            if provision.offence:
                offences.append(provision.offence)
            cited = Said("{state} Criminal Code Art. {article} ({description})",
                         (Field("state", (provision.state,), "country"), _text("article", provision.article),
                          translated("description", provision.descriptions)))
            terms_said.append(_term_said(cited, provision.kind, provision.verified, lexicon))
            if not provision.verified:
                unverified.add(f"{cited.english()}: article number not re-checked against the code")
        terms = [term.english() for term in terms_said]
        counts.append(
            ChargeCount(
                count_text,
                tuple(kinds),
                tuple(terms),
                tuple(unexplained),
                verified=not any(term.endswith(UNVERIFIED_MARK) for term in terms),
                terms_said=tuple(terms_said),
            )
        )

    all_kinds = {kind for count in counts for kind in count.kinds}
    spec = lexicon.kinds
    concrete = any(spec[k].concrete_act for k in all_kinds)

    def deciding(count: ChargeCount) -> list[str]:
        # An offence that is political or ordinary by its facts (hooliganism, mass riots, a bare
        # "terrorism") leaves its count undecided, whatever motive is named beside it.
        if "ambiguous" in count.kinds:
            return []
        return [k for k in count.kinds if spec[k].category not in (None, "unknown")]

    def resolved(count: ChargeCount) -> bool:
        return bool(deciding(count)) and not count.unexplained_words and "ambiguous" not in count.kinds

    complete = bool(counts) and all(resolved(count) for count in counts)
    categories = {spec[k].category for count in counts for k in deciding(count)}
    category = "unknown"
    if concrete:
        category = "ordinary"
    elif categories:
        category = next((c for c in _CATEGORY_PRECEDENCE if c in categories), "unknown")
    if category == "unknown":
        confidence = "none"
    elif complete:
        confidence = "high"
    elif all(deciding(count) for count in counts):
        confidence = "medium"
    else:
        confidence = "low"
    indicator_ids: tuple[str, ...] = ()
    if confidence in ("high", "medium"):
        indicator_ids = tuple(
            sorted(
                {
                    i
                    for k in all_kinds
                    if spec[k].category in _SUPPORTING.get(category, ())
                    for i in spec[k].indicators
                }
            )
        )
    said = [Said("Read as {language}.", (Field("language", (language.code, language.name), "language"),)),
            *_conclusion(category, all_kinds, lexicon),
            *(_unknown_reason(counts, lexicon) if category == "unknown"
              else [_confidence_note(confidence, counts, spans, lexicon)])]
    explanation = " ".join(sentence.english() for sentence in said)
    return ChargeClassification(
        category=category,
        indicator_ids=indicator_ids,
        matched_terms=tuple(term for count in counts for term in count.matched_terms),
        explanation=explanation.strip(),
        said=tuple(said),
        language=language.code,
        counts=tuple(counts),
        complete=complete,
        classified_text=text,
        sources=tuple(Source(title=note, url=None, verified=False) for note in sorted(unverified)),
        confidence=confidence,
        offences=tuple(dict.fromkeys(offences)),
        unrecognised=tuple(dict.fromkeys(spans)),
    )


def _confidence_note(confidence: str, counts: list[ChargeCount], spans: list[str], lexicon: Lexicon) -> Said:
    if confidence == "high":
        return Said("Confidence: high (every word was read).")
    unread = "; ".join(f"'{span}'" for span in dict.fromkeys(spans))
    if confidence == "medium":
        return Said("Confidence: medium (decided from the recognised terms; not recognised: {unread}).",
                    (_text("unread", unread),))
    silent = [
        count.text
        for count in counts
        if "ambiguous" in count.kinds
        or not any(lexicon.kinds[k].category not in (None, "unknown") for k in count.kinds)
    ]
    counts_read = _text("counts", "; ".join(f"'{text}'" for text in silent))
    if unread:
        return Said("Confidence: low: {counts} names no offence the lexicon can place and could be a concrete crime, "
                    "so no indicator is supported by this charge alone; a person must read it (not recognised: "
                    "{unread}).", (counts_read, _text("unread", unread)))
    return Said("Confidence: low: {counts} names no offence the lexicon can place and could be a concrete crime, so "
                "no indicator is supported by this charge alone; a person must read it.", (counts_read,))


def _unknown_reason(counts: list[ChargeCount], lexicon: Lexicon) -> list[Said]:
    if not any(count.kinds for count in counts):
        return [Said("No charge term was recognised; a person must read the charge.")]
    reasons = [Said("Part of the charge could not be read, so no category is given.")]
    for count in counts:
        quoted = _text("count", count.text)
        if "ambiguous" in count.kinds:
            reasons.append(Said("'{count}' is {what}.", (quoted, _descriptions("what", [lexicon.kinds["ambiguous"]]))))
        elif count.unexplained_words:
            reasons.append(Said("In '{count}' these words were not recognised: {words}.",
                                (quoted, _text("words", ", ".join(count.unexplained_words)))))
        else:
            reasons.append(Said("'{count}' names no offence that the lexicon knows.", (quoted,)))
    return reasons


def _unknown(explanation: Said, language: str | None, text: str) -> ChargeClassification:
    return ChargeClassification(
        category="unknown",
        indicator_ids=(),
        matched_terms=(),
        explanation=explanation.english(),
        said=(explanation,),
        language=language,
        counts=(),
        complete=False,
        classified_text=text,
    )


def _classify_text(text: str, declared: str | None, issuing_state: str | None) -> ChargeClassification:
    lexicon = load_lexicon()
    supported = list(lexicon.languages)
    if declared and declared in lexicon.languages:
        return _classify_in(text, lexicon.languages[declared], lexicon, issuing_state)
    code, name = (declared, declared) if declared else detect_language(text, supported)
    # Languages share words and scripts (Kazakh and Kyrgyz, Turkish and Azerbaijani, Uzbek in two
    # scripts): every lexicon reads the text, the best reading wins, the detected language on a tie.
    readable = ", ".join(lexicon.languages[c].name for c in supported)
    if code is not None and code not in lexicon.languages:
        return _unknown(
            Said("The charge is in {language}, which has no charge lexicon (available: {available}); add a "
                 "translation to classify it.", (_text("language", language_signs().names.get(code, name)),
                                                 _text("available", readable))),
            code,
            text,
        )
    ranked = [code] if code is not None else []
    best = _best_lexicon(split_counts(text), ranked + [c for c in supported if c not in ranked])
    if best is None and _provisions(text, issuing_state, lexicon):
        best = "en"  # only article numbers: read them, with the words around them in English
    if best is not None:
        return _classify_in(text, lexicon.languages[best], lexicon, issuing_state)
    return _unknown(
        Said("No charge term was recognised in any lexicon ({available}); a person must read the charge.",
             (_text("available", readable),)), code, text
    )


@lru_cache(maxsize=16384)
def _classify_cached(
    text: str, language: str | None, translation: str | None, state: str | None
) -> ChargeClassification:
    original = (
        _classify_text(text, language, state)
        if text.strip()
        else _unknown(Said("The charge is empty."), None, text)
    )
    if original.category != "unknown" or not translation or not translation.strip():
        return original
    read = _classify_text(translation, None, state)
    if read.category == "unknown" and read.matched_terms == () and original.matched_terms:
        return original
    said = (Said("Classified from the translation, because the original could not be read:"), *original.said,
            *read.said)
    return ChargeClassification(
        category=read.category,
        indicator_ids=read.indicator_ids,
        matched_terms=read.matched_terms,
        explanation=" ".join(sentence.english() for sentence in said),
        said=said,
        language=read.language,
        counts=read.counts,
        complete=read.complete,
        classified_text=translation,
        sources=read.sources,
        confidence=read.confidence,
        offences=read.offences,
        unrecognised=read.unrecognised,
    )


def classify_charge(charge: Charge, issuing_state: str | None = None) -> ChargeClassification:
    """Read a charge into a category, the indicators it supports, the terms that matched and why.

    ``issuing_state`` (ISO alpha-2; the charge's own ``issuing_state`` wins) lets article numbers of that
    state's criminal code count as evidence.
    """
    language = normalise_language(charge.language)
    state = (charge.issuing_state or issuing_state or "").strip().upper() or None
    return _classify_cached(charge.text, language, charge.translation, state)
