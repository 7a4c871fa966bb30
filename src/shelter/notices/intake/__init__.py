"""Notices coming in: typed by hand, imported from files, fetched from Interpol's public API, and the file formats."""
