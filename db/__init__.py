"""Alembic migrations of the station database, installed as ``lawsup_desktop.db``."""
