"""Importing incidents from the police platform's exports (警情导入): the dialog.

Import :func:`lawsup_desktop.ui.incident_import.dialog.import_incidents_dialog`
where it is used (lazily: it pulls in the importer only when opened).
"""
