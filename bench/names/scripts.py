"""Names beyond Latin and Cyrillic: a labelled set and its figures per script pair.

Sources:
- ``names_by_country_sigpwned`` (CC0, ../shared/data): Chinese surnames and given names of China
  (Han characters with Hanyu pinyin) and Taiwan (Han characters with Wade-Giles), real;
- ``script_pools.toml``: Arabic, Persian, Uyghur (Arabic script, ULY, usual Latin forms and the
  Chinese characters of PRC documents) and Turkish/Azerbaijani names with their common spellings.

People are generated from these names; each gives positive pairs (native script against a Latin
spelling, two Latin spellings, Chinese pinyin of a Uyghur name against its Latin form, names with
and without Turkic letters) and two hard negatives in the same script pair: a sibling (another
given name, same surname) and a namesake from another family (same given name). Split by
person with ``evalset.split_of``: rules are tuned on ``dev``; ``test`` is reported.

    python bench/names/scripts.py [--write-tsv PATH] [--baseline GIT-REF] [--write-results]

``--baseline`` scores the same pairs with the matcher of an earlier commit (its ``src`` taken with
``git archive`` into a temporary folder, run in a subprocess) beside the current one and
nomenklatura logic-v2. Screening recall: every right-hand name of the split is put in one
``ScreeningIndex``; a positive pair counts when searching its left-hand name finds it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from evalset import SHARED_DATA, Pair, split_of
from pypinyin import lazy_pinyin
from quality import Counts, count, logic_v2_scores, shelter_scores

from shelter.names import PersonRecord, ScreeningIndex

HERE = Path(__file__).resolve().parent
POOLS = HERE / "script_pools.toml"
SHELTER_THRESHOLD = 0.75
LOGIC_V2_THRESHOLD = 0.70

Entry = list[str]


def _case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    return text.upper() if roll < 0.25 else text if roll < 0.85 else text.lower()


def _latin(entry: Entry) -> list[str]:
    return [form for form in entry[1:] if not form.startswith("zh:")]


def _han(entry: Entry) -> str | None:
    return next((form[3:] for form in entry if form.startswith("zh:")), None)


def _bare(entry: Entry) -> str:
    """The native name without the Arabic article: al-Qasim is Qasim, not another family."""
    return " ".join(word.removeprefix("ال") for word in entry[0].split())


def _pinyin(han: str) -> str:
    return "".join(lazy_pinyin(han)).capitalize()


def _order(rng: random.Random, given: str, surname: str) -> str:
    """Given-first, or surname-first as notices and Chinese documents write it."""
    if rng.random() < 0.3:
        return f"{surname.upper()} {given}"
    return f"{given} {surname}"


def _pairs(
    group: str, source: str, script_pair: str, left: str, positives: list[str], negatives: list[tuple[str, str]]
) -> Iterator[Pair]:
    for right in positives:
        yield Pair(group, source, "same person, other spelling", left, right, "", "", True, scope=script_pair)
    for kind, right in negatives:
        yield Pair(group, source, kind, left, right, "", "", False, scope=script_pair)


# Script pair of each family's native names against Latin, and of two Latin spellings.
_SCOPES = {
    "kurdish": ("Kurdish (Sorani)/Latin", "Latin/Latin (Kurdish, Pashto, Dari names)"),
    "pashto": ("Pashto/Latin", "Latin/Latin (Kurdish, Pashto, Dari names)"),
    "dari": ("Dari/Latin", "Latin/Latin (Kurdish, Pashto, Dari names)"),
}
_ARABIC_SCOPES = ("Arabic script/Latin", "Latin/Latin (names from Arabic script)")


def pool_pairs(
    rng: random.Random,
    per_family: int = 90,
    families: tuple[str, ...] = ("arabic", "persian", "uyghur", "turkic"),
) -> Iterator[Pair]:
    pools = tomllib.loads(POOLS.read_text(encoding="utf-8"))
    for family in families:
        native_scope, latin_scope = _SCOPES.get(family, _ARABIC_SCOPES)
        given_pool, surname_pool = pools[family]["given"], pools[family]["surname"]
        for index in range(per_family):
            given, surname = rng.choice(given_pool), rng.choice(surname_pool)
            if given[0] == surname[0]:
                continue
            other_given = rng.choice([entry for entry in given_pool if _bare(entry) != _bare(given)])
            other_surname = rng.choice([entry for entry in surname_pool if _bare(entry) != _bare(surname)])
            group = f"{family}-{index}-{_latin(given)[0]}-{_latin(surname)[0]}"

            def spell(g: Entry, s: Entry) -> str:
                return _case(rng, _order(rng, rng.choice(_latin(g)), rng.choice(_latin(s))))

            if family == "turkic":
                native = f"{given[0]} {surname[0]}"
                yield from _pairs(
                    group,
                    "turkic pools",
                    "Turkic letters/ASCII",
                    native,
                    [spell(given, surname), f"{rng.choice(given[1:])} {rng.choice(surname[1:])}"],
                    [
                        ("sibling (other given name)", spell(other_given, surname)),
                        ("namesake (other surname)", spell(given, other_surname)),
                    ],
                )
                continue
            native = f"{given[0]} {surname[0]}"
            yield from _pairs(
                group,
                f"{family} pools",
                native_scope,
                native,
                [spell(given, surname), spell(given, surname)],
                [
                    ("sibling (other given name)", spell(other_given, surname)),
                    ("namesake (other surname)", spell(given, other_surname)),
                ],
            )
            yield from _pairs(
                group,
                f"{family} pools",
                latin_scope,
                f"{_latin(given)[0]} {_latin(surname)[0]}",
                [spell(given, surname)],
                [("sibling (other given name)", spell(other_given, surname))],
            )
            given_han, surname_han = _han(given), _han(surname)
            if family == "uyghur" and given_han and surname_han:
                other_han = _han(other_given)
                assert other_han is not None
                pinyin = f"{_pinyin(given_han)} {_pinyin(surname_han)}"
                yield from _pairs(
                    group,
                    "uyghur pools",
                    "Uyghur: pinyin/Latin",
                    _case(rng, rng.choice([pinyin, f"{_pinyin(surname_han).upper()} {_pinyin(given_han)}"])),
                    [spell(given, surname)],
                    [("sibling (other given name)", spell(other_given, surname))],
                )
                yield from _pairs(
                    group,
                    "uyghur pools",
                    "Uyghur: Han/Latin",
                    f"{given_han}·{surname_han}",
                    [spell(given, surname)],
                    [("sibling (other given name)", f"{other_han}·{surname_han}")],
                )


def _chinese_names(filename: str, country: str) -> list[tuple[str, str]]:
    names = []
    with (SHARED_DATA / "names_by_country_sigpwned" / filename).open(encoding="utf-8-sig") as stream:
        for row in csv.DictReader(stream):
            native, romanised = row["Localized Name"], row["Romanized Name"]
            if row["Country"] == country and native and romanised and not native.isascii():
                names.append((native, romanised))
    return names


def _strip_tones(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def han_pairs(rng: random.Random, per_country: int = 120) -> Iterator[Pair]:
    for country, script_pair in (("CN", "Han/pinyin"), ("TW", "Han/Wade-Giles")):
        given_pool = _chinese_names("common-forenames-by-country.csv", country)
        surname_pool = _chinese_names("common-surnames-by-country.csv", country)
        for index in range(per_country):
            (given_han, given), (surname_han, surname) = rng.choice(given_pool), rng.choice(surname_pool)
            # Another name: other letters and other characters (黃 Wong and 黄 Huang, 孫 Suen and 孙 Sun
            # are one surname in traditional and simplified characters).
            others = [
                entry
                for entry in given_pool
                if _strip_tones(entry[1]).lower() != _strip_tones(given).lower()
                and _pinyin(entry[0]) != _pinyin(given_han)
            ]
            other_given = rng.choice(others)[1]
            other_surnames = [
                e
                for e in surname_pool
                if _strip_tones(e[1]).lower() != _strip_tones(surname).lower() and _pinyin(e[0]) != _pinyin(surname_han)
            ]
            other_surname = rng.choice(other_surnames)[1]
            group = f"han-{country}-{index}-{surname}-{given}"
            # Traditional characters of China's list carry Cantonese forms (黃 Wong, 張 Cheung).
            pinyin_surname = _strip_tones(surname).lower() == _pinyin(surname_han).lower()
            pair_name = script_pair if country == "TW" or pinyin_surname else "Han/Cantonese"

            def spell(g: str, s: str) -> str:
                if rng.random() < 0.5:
                    g, s = _strip_tones(g), _strip_tones(s)
                roll = rng.random()
                if roll < 0.4:
                    return f"{s.upper()} {g}"
                if roll < 0.8:
                    return f"{g} {s}"
                return f"{s} {g}"

            yield from _pairs(
                group,
                f"names-by-country {country}",
                pair_name,
                f"{surname_han}{given_han}",
                [spell(given, surname)],
                [
                    ("sibling (other given name)", spell(other_given, surname)),
                    ("namesake (other surname)", spell(given, other_surname)),
                ],
            )


def build(seed: int = 20261204) -> list[Pair]:
    rng = random.Random(seed)
    pairs = [*pool_pairs(rng), *han_pairs(rng)]
    # Kurdish, Pashto and Dari from a generator of their own, so the pairs above stay as they were.
    pairs += pool_pairs(random.Random(seed + 1), 60, ("kurdish", "pashto", "dari"))
    unique = list({(p.left, p.right, p.label): p for p in pairs}.values())
    return [Pair(**{**p.__dict__, "split": split_of(p.group)}) for p in unique]


def baseline_scores(ref: str) -> list[float]:
    """Shelter scores of the same pairs by the matcher of an earlier commit, in a subprocess."""
    repository = HERE.parents[1]
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(repository), "archive", ref, "src"], check=True, capture_output=True
        ).stdout
        archive_path = Path(folder) / "src.tar"
        archive_path.write_bytes(archive)
        with tarfile.open(archive_path) as tar:
            tar.extractall(folder, filter="data")
        environment = {**os.environ, "PYTHONPATH": str(Path(folder) / "src")}
        output = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--scores-only"],
            check=True,
            capture_output=True,
            text=True,
            env=environment,
            cwd=folder,
        ).stdout
    scores: list[float] = json.loads(output)
    return scores


def evaluate(pairs: list[Pair], baseline: str | None = None) -> dict[str, dict[str, Counts]]:
    """Counts per system and per ``split/script pair``."""
    systems: dict[str, tuple[list[float], float]] = {}
    started = time.perf_counter()
    systems["Shelter"] = (shelter_scores(pairs), SHELTER_THRESHOLD)
    print(f"Shelter scored {len(pairs)} pairs in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if baseline is not None:
        systems[f"Shelter at {baseline}"] = (baseline_scores(baseline), SHELTER_THRESHOLD)
    logic = logic_v2_scores(pairs)
    if logic is not None:
        systems["nomenklatura logic-v2"] = (logic, LOGIC_V2_THRESHOLD)
    results: dict[str, dict[str, Counts]] = {}
    for name, (scores, threshold) in systems.items():
        slices: dict[str, list[int]] = defaultdict(list)
        for position, pair in enumerate(pairs):
            slices[f"{pair.split}/{pair.scope}"].append(position)
            slices[f"{pair.split}/all"].append(position)
        results[name] = {
            key: count([pairs[i].label for i in rows], [scores[i] >= threshold for i in rows])
            for key, rows in sorted(slices.items())
        }
    return results


def table(results: dict[str, dict[str, Counts]], split: str) -> list[str]:
    lines = ["| script pair | system | precision | recall | F1 | TP/FP/FN/TN |", "|---|---|---|---|---|---|"]
    keys = sorted({key for counts in results.values() for key in counts if key.startswith(f"{split}/")})
    for key in keys:
        for name, counts in results.items():
            c = counts[key]
            lines.append(
                f"| {key.split('/', 1)[1]} | {name} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} "
                f"| {c.tp}/{c.fp}/{c.fn}/{c.tn} |"
            )
    return lines


def screening_recall(pairs: list[Pair], split: str) -> dict[str, tuple[int, int, int]]:
    """Per script pair: positive pairs, those ``compare`` matches, and those the index finds when every
    right-hand name of the split is in one registry and the left-hand name is the query."""
    rows = [pair for pair in pairs if pair.split == split]
    index = ScreeningIndex()
    for number, pair in enumerate(rows):
        index.add(str(number), PersonRecord((pair.right,)))
    scores = shelter_scores(rows)
    result: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for number, (pair, score) in enumerate(zip(rows, scores, strict=True)):
        if not pair.label:
            continue
        hits = {hit.key for hit in index.search(PersonRecord((pair.left,)), SHELTER_THRESHOLD, limit=len(rows))}
        for key in (pair.scope, "all"):
            result[key][0] += 1
            result[key][1] += score >= SHELTER_THRESHOLD
            result[key][2] += str(number) in hits
    return {key: (values[0], values[1], values[2]) for key, values in sorted(result.items())}


def recall_table(recall: dict[str, tuple[int, int, int]]) -> list[str]:
    lines = [
        "| script pair | positive pairs | compare matches | index finds | screening recall |",
        "|---|---|---|---|---|",
    ]
    for key, (positives, matched, found) in recall.items():
        lines.append(f"| {key} | {positives} | {matched} | {found} | {found / positives:.3f} |")
    return lines


# The targets on the held-out half: F1 and precision for these script pairs.
TARGET_PAIRS = (
    "Arabic script/Latin",
    "Han/pinyin",
    "Uyghur: Han/Latin",
    "Uyghur: pinyin/Latin",
    "Kurdish (Sorani)/Latin",
    "Pashto/Latin",
    "Dari/Latin",
)
TARGET_F1, TARGET_PRECISION, TARGET_RECALL = 0.95, 0.97, 0.95


def targets(results: dict[str, dict[str, Counts]], recall: dict[str, tuple[int, int, int]]) -> list[str]:
    lines = [f"Against the targets (F1 ≥ {TARGET_F1} at precision ≥ {TARGET_PRECISION}, screening recall ≥ {TARGET_RECALL}):", ""]
    for scope in TARGET_PAIRS:
        c = results["Shelter"][f"test/{scope}"]
        positives, _, found = recall[scope]
        met = c.f1 >= TARGET_F1 and c.precision >= TARGET_PRECISION and found / positives >= TARGET_RECALL
        lines.append(
            f"- {scope}: F1 {c.f1:.3f} at precision {c.precision:.3f}, screening recall {found / positives:.3f}"
            f" ({c.tp + c.fn} positive pairs) — {'met' if met else 'not met'}"
        )
    return lines


def results_section(
    pairs: list[Pair], results: dict[str, dict[str, Counts]], recall: dict[str, tuple[int, int, int]]
) -> str:
    load = os.getloadavg()
    systems = ", ".join(results)
    lines = [
        "## names beyond Cyrillic — `python bench/names/scripts.py --baseline <commit> --write-results`",
        "",
        f"{len(pairs):,} labelled pairs built by `bench/names/scripts.py`: Chinese names of China (Han characters with",
        "Hanyu pinyin) and Taiwan (Wade-Giles) from names_by_country_sigpwned (CC0), and Arabic, Persian,",
        "Uyghur (Arabic script, ULY, English forms and the Chinese characters of PRC documents with their",
        "pinyin) and Turkish/Azerbaijani names from `bench/names/script_pools.toml`, each person with a",
        "sibling and a namesake as hard negatives in the same script pair. Split by person",
        "(`evalset.split_of`); rules were tuned on `dev`, figures are on the held-out `test` half.",
        f"Systems: {systems}; Shelter at {SHELTER_THRESHOLD}, logic-v2 (nomenklatura, bench only) at",
        f"{LOGIC_V2_THRESHOLD:.2f}; the baseline is the earlier matcher on the same pairs in the same run.",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work, Python {platform.python_version()}, "
        f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min).",
        "",
        "**test split** (TP/FP/FN/TN)",
        "",
        *table(results, "test"),
        "",
        "**screening recall, test split**: every right-hand name of the split in one `ScreeningIndex`,",
        "each positive pair's left-hand name searched at the threshold.",
        "",
        *recall_table(recall),
        "",
        *targets(results, recall),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-tsv", type=Path)
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--misses", action="store_true", help="print the wrongly decided pairs of the split")
    parser.add_argument("--baseline", help="a git commit whose matcher is scored beside the current one")
    parser.add_argument("--write-results", action="store_true", help="write the section of bench/RESULTS.md")
    parser.add_argument("--scores-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pairs = build()
    if args.scores_only:
        print(json.dumps(shelter_scores(pairs)))
        return
    if args.write_tsv:
        with args.write_tsv.open("w", encoding="utf-8") as stream:
            for p in pairs:
                stream.write(f"{p.split}\t{p.scope}\t{p.kind}\t{p.label}\t{p.left}\t{p.right}\n")
    results = evaluate(pairs, args.baseline)
    print(f"{len(pairs)} pairs; {args.split} split:")
    print("\n".join(table(results, args.split)))
    recall = screening_recall(pairs, args.split)
    print("\n".join(recall_table(recall)))
    if args.write_results:
        sys.path.insert(0, str(HERE.parent))
        from results import write_section

        write_section("names-scripts", results_section(pairs, results, screening_recall(pairs, "test")))
    if args.misses:
        scores = shelter_scores([p for p in pairs if p.split == args.split])
        for pair, score in zip([p for p in pairs if p.split == args.split], scores, strict=True):
            if (score >= SHELTER_THRESHOLD) != pair.label:
                print(f"{pair.label!s:5} {score:.3f} {pair.scope}: {pair.left} | {pair.right}")


if __name__ == "__main__":
    main()
