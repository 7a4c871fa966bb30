"""Digital threat triage: e-mails, links, addresses and file hashes judged offline against indicator feeds.

Pure Python (no Django). Nothing is fetched, opened, executed or rendered during analysis; the only
network path is ``update_feeds``, run when the user asks for it.
"""

from shelter.triage.attachments import FileFacts
from shelter.triage.check import UnrecognisedValue, check_value
from shelter.triage.feed_formats import FeedError
from shelter.triage.feeds import active_feeds, add_feed, default_store, update_feeds
from shelter.triage.report import EmailReport, LinkFacts, analyse_email
from shelter.triage.store import FeedSpec, FeedSummary, IndicatorMatch, IndicatorStore
from shelter.triage.verdict import MALICIOUS, NO_INDICATORS_FOUND, SUSPICIOUS, Finding, Verdict

__all__ = [
    "MALICIOUS",
    "NO_INDICATORS_FOUND",
    "SUSPICIOUS",
    "EmailReport",
    "FeedError",
    "FeedSpec",
    "FeedSummary",
    "FileFacts",
    "Finding",
    "IndicatorMatch",
    "IndicatorStore",
    "LinkFacts",
    "UnrecognisedValue",
    "Verdict",
    "active_feeds",
    "add_feed",
    "analyse_email",
    "check_value",
    "default_store",
    "update_feeds",
]
