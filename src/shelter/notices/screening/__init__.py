"""Screening: notices against the registry, people against the notices, the queue of registry changes, alerts."""
