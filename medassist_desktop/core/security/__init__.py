"""Secrets (OS keyring, passphrase fallback), accounts, sessions and the audit chain."""
