"""Speed and memory measurements of the app (results in benchmarks/results/)."""
