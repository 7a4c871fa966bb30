"""Import and export: one module per format, each offering the same small interface (:class:`Connector`).

``csv_incidents``  incidents as CSV rows (import and export)
``xlsx_incidents`` incidents as rows of the first worksheet of an XLSX workbook (import)
``json_records``   everything as one JSON object with lists ``incidents, persons, organisations, sources,
                   relationships``, fields named as in the API (import and export: a round trip)
``ftm_entities``   FollowTheMoney entities, one JSON object per line (people and organisations in; people,
                   organisations, relationships and incidents as events out)
``backup``         the whole database and the evidence files in one verified archive
"""
