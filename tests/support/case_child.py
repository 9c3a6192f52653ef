"""A child process that autosaves a case draft, then waits to be killed (crash test).

Run as `python -m tests.support.case_child DATA_DIR USER PASSWORD` with the test
keyring in the environment (MEDASSIST_TEST_KEYRING_FILE, CLINIC_ID). It saves the
draft "committed", says SAVED, then opens a write transaction with a newer draft
that is never committed, says IN_TRANSACTION, and sleeps until SIGKILL.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from medassist_desktop.config import load_settings
from medassist_desktop.core.cases import repository
from medassist_desktop.services.cases import CaseService
from tests.support.keyrings import FileKeyring
from tests.support.security import open_services

COMMITTED = {"name": "Sok Dara", "age_years": "1", "vitals": {"respiratory_rate": "58"}}
UNCOMMITTED = {**COMMITTED, "complaint": "typed after the last autosave"}


def say(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    data_dir, user, password = sys.argv[1:4]
    services = open_services(
        Path(data_dir), FileKeyring(), create=False, CLINIC_ID=os.environ["CLINIC_ID"]
    )
    settings = load_settings({"MEDASSIST_DATA_DIR": data_dir, **os.environ}).settings
    cases = CaseService.from_security(services, settings)
    session = services.accounts.login(user, password)
    cases.save_draft(session, COMMITTED)
    say("SAVED " + json.dumps(COMMITTED))
    services.db.execute("BEGIN IMMEDIATE")
    repository.upsert_draft(
        services.db.connection, session.user_id, None, UNCOMMITTED, repository.timestamp(0)
    )
    say("IN_TRANSACTION")
    time.sleep(600)


if __name__ == "__main__":
    main()
