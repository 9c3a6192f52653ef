"""The consult pipeline: triage -> route -> retrieve -> prompt -> generate -> confidence."""
