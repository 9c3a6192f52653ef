"""Moves blocking work off the GUI thread and signals results back (QtCore only)."""
