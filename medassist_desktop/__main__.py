"""`python -m medassist_desktop` opens the GUI (absolute import: also PyInstaller's entry)."""

import sys

from medassist_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
