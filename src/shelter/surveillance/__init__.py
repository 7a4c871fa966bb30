"""Surveillance technology: vendors, products, transfers and export-licence assessment.

``assess`` is the Django-free core: the indicator catalogue (``data/indicators.yaml``) and the
spyware-family map (``data/families.yaml``) are data with their sources; the rules only read them.
"""
