"""`python -m medassist_desktop` opens the GUI (absolute import: also PyInstaller's entry)."""

import multiprocessing
import sys

from medassist_desktop.app import main

if __name__ == "__main__":
    # A frozen build starts its child processes (knowledge import parsing) through this
    # same executable; freeze_support() makes such a start run the child, not the app.
    multiprocessing.freeze_support()
    sys.exit(main())
