"""Brand look-alikes: brand words in foreign domains, brand domains used as subdomains, typosquats, homoglyphs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from shelter.triage.catalogue import Brand, brands
from shelter.triage.domains import public_suffix, registered_domain, scripts, skeleton, unicode_host

# Tokens shorter than this only count as a whole word (``vk-login.site``), never inside one (``pineapple``).
WHOLE_WORD_BELOW = 6
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class BrandHit:
    brand: Brand
    token: str


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


@lru_cache(maxsize=65536)
def owning_brand(host: str) -> Brand | None:
    """The brand whose own domain this host is under (``accounts.google.com`` → Google)."""
    for brand in brands():
        if any(_under(host, domain) for domain in brand.domains):
            return brand
    return None


def brand_in_text(text: str) -> BrandHit | None:
    """A brand token in ``text`` after homoglyph folding (``goog1e`` → google, ``PayPaI`` → paypal)."""
    folded = skeleton(text)
    words = set(_WORDS.findall(folded))
    compact = "".join(_WORDS.findall(folded))
    for brand in brands():
        for token in brand.tokens:
            plain = token.replace("-", "")
            if len(plain) < WHOLE_WORD_BELOW:
                if plain in words or (token != plain and token in folded):
                    return BrandHit(brand, token)
            elif plain in compact:
                return BrandHit(brand, token)
    return None


@cache
def _brand_labels() -> dict[str, tuple[Brand, str]]:
    """Second-level label of each brand domain (``yandex`` of yandex.ru) for typosquat comparison."""
    labels: dict[str, tuple[Brand, str]] = {}
    for brand in brands():
        for domain in brand.domains:
            label = domain.split(".")[0]
            if len(label) >= 4 and label.isascii():
                labels.setdefault(label, (brand, domain))
    return labels


def _label_of(registered: str) -> str:
    suffix = public_suffix(registered) or ""
    return registered[: -len(suffix) - 1] if suffix and registered.endswith("." + suffix) else registered.split(".")[0]


def typosquat_of(registered: str) -> tuple[Brand, str] | None:
    """The brand domain this registered domain is one or two edits away from (``gmaill.com`` → gmail.com)."""
    shown = unicode_host(_label_of(registered))
    label = skeleton(shown)
    if not label:
        return None
    # Folding many characters and then allowing a slip as well turns random names (h374 → heta) into brands.
    folded_characters = sum(a != b for a, b in zip(shown, label)) if len(shown) == len(label) else len(label)
    for brand_label, (brand, domain) in _brand_labels().items():
        if label == brand_label:
            return (brand, domain) if registered != domain and not owning_brand(registered) else None
        if folded_characters <= 1 and _one_slip_away(label, brand_label):
            return brand, domain
    return None


def _one_slip_away(label: str, brand_label: str) -> bool:
    """A typing slip of a brand label: one edit (two for long labels).

    Short labels (``gmail``, ``nalog``) allow only a swapped, replaced or doubled letter: an inserted or
    dropped letter there makes ordinary words (``analog``).
    """
    if len(brand_label) >= 6:
        limit = 1 if len(brand_label) < 9 else 2
        return abs(len(label) - len(brand_label)) <= limit and DamerauLevenshtein.distance(label, brand_label) <= limit
    if len(label) == len(brand_label):
        return DamerauLevenshtein.distance(label, brand_label) == 1
    if len(label) == len(brand_label) + 1:
        return any(label[i] == label[i - 1] and label[:i] + label[i + 1 :] == brand_label for i in range(1, len(label)))
    return False


def brand_in_subdomain(host: str) -> BrandHit | None:
    """A brand domain or token placed left of someone else's registered domain."""
    registered = registered_domain(host)
    if registered is None or host == registered:
        return None
    prefix = host[: -len(registered) - 1]
    for brand in brands():
        for domain in brand.domains:
            if prefix == domain or prefix.endswith("." + domain) or ("." + domain + ".") in ("." + prefix + "."):
                return BrandHit(brand, domain)
    hit = brand_in_text(prefix)
    return hit


@dataclass(frozen=True)
class Homoglyph:
    shown_as: str  # the host as a person sees it
    imitates: str  # the ASCII it folds to


def homoglyph_host(host: str) -> Homoglyph | None:
    """An IDN host whose letters imitate Latin ones, or that mixes writing systems within a label."""
    if "xn--" not in host and host.isascii():
        return None
    shown = unicode_host(host)
    for label in shown.split("."):
        if label.isascii():
            continue
        folded = skeleton(label)
        letter_scripts = scripts(label)
        if (folded.isascii() and folded != label) or len(letter_scripts) > 1:
            return Homoglyph(shown, skeleton(shown))
    return None
