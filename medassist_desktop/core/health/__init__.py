"""Liveness, readiness and startup probes: is the app alive, can it do its job, did it start."""
