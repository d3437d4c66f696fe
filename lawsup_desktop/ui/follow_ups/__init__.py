"""回访: the follow-up dialog (any page records a follow-up through it) and the due list."""
