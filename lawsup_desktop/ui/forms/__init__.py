"""Python classes compiled from the Designer files in ui/ by tools/build.py."""
