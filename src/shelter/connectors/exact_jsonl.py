"""JSON Lines serialization that keeps timestamps to the microsecond.

Django's own encoder cuts datetimes to milliseconds, so a backup restored from ``dumpdata`` output would not give
back the same rows. This module replaces the ``jsonl`` format (``SERIALIZATION_MODULES``) with one that writes
the full ISO 8601 value; reading is Django's, which parses microseconds already.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, except that datetimes and times keep their microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = jsonl.Deserializer
