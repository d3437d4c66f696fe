"""lawsup — the desktop workbench of a police station's legal supervisor."""

__version__ = "0.1.0"
