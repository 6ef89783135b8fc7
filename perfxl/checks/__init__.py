"""Checks: the reviewer's checks, vectorised over a batch's tables.

``project`` holds the form-level and batch-level checks, ``indicators`` the
per-indicator ones; every finding becomes one located problem row.
"""
