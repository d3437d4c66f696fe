"""The sync page, enrolment, the automatic sync scheduler and the status bar's sync part."""
