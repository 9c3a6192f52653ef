"""Reusable widgets: status bar, triage banner."""
