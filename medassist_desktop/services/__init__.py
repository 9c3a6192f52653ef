"""Qt-free layer: see ../shared/DESIGN.md for what belongs here."""
