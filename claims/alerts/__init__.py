"""Alerts: events written with the change that causes them (an outbox), delivered after commit."""
