"""Fonts, translations, icons and styles, installed as ``lawsup_desktop.resources``."""
