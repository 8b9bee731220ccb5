"""Every write and every rule of the claim domain, written once.

The admin, the API, Celery tasks and management commands call these
functions; none of them re-implements a rule.
"""
