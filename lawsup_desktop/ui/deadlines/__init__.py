"""The 期限预警 page: warnings by urgency, cleared one by one (逐一销账), the counting
of each deadline with its legal basis, and the deadline calculator; plus the daily
counts in the status bar and the system tray (:mod:`.alerts`)."""
