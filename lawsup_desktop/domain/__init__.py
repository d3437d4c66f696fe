"""Domain layer: rules, vocabulary and validation. Never imports Qt or the ORM."""
