"""今日盯警: the daily watch of key incidents, worked with the keyboard."""
