"""Article intake: reading a report's sentences and proposing its claims (text in, text out; no database)."""
