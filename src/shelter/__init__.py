"""Shelter: a self-hosted platform against transnational repression."""

__version__ = "0.1.0"
