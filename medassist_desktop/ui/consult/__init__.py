"""The consult panel: ask, watch the answer stream in, check its sources."""
