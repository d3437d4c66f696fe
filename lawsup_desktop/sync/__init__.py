"""Sync with the bureau's central service (no Qt here: the UI calls into it)."""
