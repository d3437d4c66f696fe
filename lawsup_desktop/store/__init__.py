"""The station store: SQLite through SQLAlchemy. Never imports Qt."""
