"""Opportunistic cloud sync: outbox, CouchDB replication, retries, circuit breaker, degradation.

Qt-free. The GUI drives `SyncScheduler` / `SyncEngine` from a worker; nothing here
blocks the GUI thread, and nothing here is a module-level singleton.
"""
