"""Services: one unit of work per user action. Never import Qt."""
