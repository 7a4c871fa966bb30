"""Assessing a notice against the legal indicators, in bulk as JSON, and the dossier built on the assessment."""
