"""PDF output of the program (reportlab), with the bundled CJK font in ``fonts``.

Nothing here is imported by the GUI at start: reportlab is loaded only when a
PDF is actually written.
"""
