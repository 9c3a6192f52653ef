"""First-run setup: the clinic, the database key, the first admin, the recovery key (a
keyring clinic's, to write down), the model.

The wizard asks; the start-up flow (`SetupBackend`) does the work on the database
thread when the admin page is committed: save the clinic's settings, create the
encrypted database with its key (keyring, or the passphrase typed twice here),
create the admin and sign them in. After that page there is no way back. The model
page then runs as that admin: the embedded model is preselected, importing MedGemma
from a file is offered but not needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from medassist_desktop import APP_NAME
from medassist_desktop.config.settings import CLINIC_ID_PATTERN
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.setup import KeyStorage, passphrase_strength
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.recovery_key_page import RecoveryKeyPage
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.widgets.details import DetailsSection
from medassist_desktop.ui.widgets.language_picker import LanguagePicker
from medassist_desktop.ui.widgets.model_picker import ModelPicker

Failure = Callable[[BaseException], None]


@dataclass(frozen=True)
class SetupRequest:
    clinic_id: str
    clinic_name: str
    passphrase: str | None
    username: str
    display_name: str
    password: str
    ui_language: str | None = None


class SetupBackend(Protocol):
    """What the wizard needs from the start-up flow."""

    def create(
        self, request: SetupRequest, on_success: Callable[[Session], None], on_failure: Failure
    ) -> None: ...

    def recovery_key(
        self, session: Session, on_success: Callable[[str | None], None], on_failure: Failure
    ) -> None: ...

    def use_model(self, name: str, on_success: Callable[[], None], on_failure: Failure) -> None: ...


def _message_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.hide()
    return label


def _show_message(label: QLabel, text: str, *, progress: bool) -> None:
    """A message styled as what it is: work in progress (calm) or a problem (red)."""
    label.setText(text)
    label.setProperty("kind", "progress" if progress else "error")
    label.style().unpolish(label)
    label.style().polish(label)
    label.show()


def _buddy(text: str, widget: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(widget)
    return label


def _add_language_row(page: QWizardPage, current: str) -> LanguagePicker:
    """The language choice, first on the page, with the note that it applies at restart."""
    picker = LanguagePicker(current, page)
    form = page.layout()
    assert isinstance(form, QFormLayout)
    form.insertRow(0, _buddy(picker.label_text(), picker, page), picker)
    note = QLabel(picker.restart_note(), page)
    note.setObjectName("setupLanguageNote")
    note.setWordWrap(True)
    form.insertRow(1, note)
    return picker


class ClinicPage(QWizardPage):
    def __init__(self, clinic_id: str, clinic_name: str, *, id_locked: bool) -> None:
        super().__init__()
        self.setObjectName("setupClinicPage")
        self.setTitle(self.tr("Welcome to {app}").format(app=APP_NAME))
        self.setSubTitle(
            self.tr(
                "Let us set up this computer for your clinic. It takes a few minutes; "
                "nothing leaves this computer."
            )
        )
        self.clinic_id = QLineEdit(clinic_id if clinic_id != "unconfigured-clinic" else "")
        self.clinic_id.setObjectName("setupClinicId")
        self.clinic_id.setAccessibleName(self.tr("Clinic id"))
        self.clinic_id.setPlaceholderText(self.tr("e.g. kh-pursat-02"))
        self.clinic_id.setValidator(
            QRegularExpressionValidator(QRegularExpression(CLINIC_ID_PATTERN), self)
        )
        self.clinic_id.setReadOnly(id_locked)
        self.clinic_name = QLineEdit(clinic_name)
        self.clinic_name.setObjectName("setupClinicName")
        self.clinic_name.setAccessibleName(self.tr("Clinic name"))
        self.clinic_name.setMaxLength(128)
        self.clinic_name.setPlaceholderText(self.tr("e.g. Pursat Provincial Health Centre"))
        hint = QLabel(
            self.tr(
                "The clinic id is a short code (letters, digits, '.', '_', '-') that names "
                "this clinic's data, also when it is shared; it cannot change later. The "
                "name is shown in the title."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form = QFormLayout(self)
        form.addRow(_buddy(self.tr("Clinic &id"), self.clinic_id, self), self.clinic_id)
        # "na&me": Alt+N is the wizard's Next.
        form.addRow(_buddy(self.tr("Clinic na&me"), self.clinic_name, self), self.clinic_name)
        form.addRow(hint)
        # The validator drops a character it does not allow: say so, or it looks broken.
        self.id_refused = QLabel(
            self.tr(
                "That character cannot be used in a clinic id and was left out: use letters, "
                "digits, '.', '_' or '-'."
            )
        )
        self.id_refused.setObjectName("setupClinicIdRefused")
        self.id_refused.setWordWrap(True)
        self.id_refused.hide()
        self.clinic_id.inputRejected.connect(self.id_refused.show)
        form.addRow(self.id_refused)
        self.registerField("clinicId*", self.clinic_id)
        self.registerField("clinicName", self.clinic_name)


class KeyPage(QWizardPage):
    """Keyring: nothing to type. No keyring: a passphrase twice, with a strength hint."""

    def __init__(self, storage: KeyStorage) -> None:
        super().__init__()
        self.setObjectName("setupKeyPage")
        self.storage = storage
        self.setTitle(self.tr("Protecting the clinic's data"))
        layout = QVBoxLayout(self)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("setupPassphrase")
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("setupPassphraseConfirm")
        self.strength = QProgressBar(self)
        self.strength.setObjectName("passphraseStrength")
        self.strength_text = QLabel(self)
        self.strength_text.setObjectName("passphraseStrengthText")
        self.strength_text.setWordWrap(True)
        if not storage.needs_passphrase:
            self.setSubTitle(
                self.tr(
                    "The database is encrypted. Its key will be kept in this computer's "
                    "secure keyring, so nobody has to type it."
                )
                if storage.encryption
                else self.tr("Encryption is switched off (development settings).")
            )
            for widget in (self.passphrase, self.confirm, self.strength, self.strength_text):
                widget.hide()
            return
        self.setSubTitle(self.tr("This computer has no secure keyring for the database key."))
        intro = QLabel(
            self.tr(
                "Choose a passphrase instead: it unlocks the database each time MedAssist "
                "starts. Without it the data cannot be read — write it down and keep it in "
                "a safe place."
            ),
            self,
        )
        intro.setWordWrap(True)
        # Which keyring backend was refused and why is for an IT person, not the main text.
        self.details = DetailsSection(self)
        self.details.set_text(storage.problem or "")
        layout.addWidget(intro)
        for field_widget, name in (
            (self.passphrase, self.tr("Database passphrase")),
            (self.confirm, self.tr("Database passphrase again")),
        ):
            field_widget.setEchoMode(QLineEdit.EchoMode.Password)
            field_widget.setAccessibleName(name)
            field_widget.textChanged.connect(self._changed)
        self.strength.setRange(0, 4)
        self.strength.setTextVisible(False)
        self.strength.setAccessibleName(self.tr("Passphrase strength"))
        form = QFormLayout()
        form.addRow(_buddy(self.tr("&Passphrase"), self.passphrase, self), self.passphrase)
        form.addRow(_buddy(self.tr("&Again"), self.confirm, self), self.confirm)
        layout.addLayout(form)
        layout.addWidget(self.strength)
        layout.addWidget(self.strength_text)
        layout.addWidget(self.details)
        self._changed()

    def value(self) -> str | None:
        return self.passphrase.text() if self.storage.needs_passphrase else None

    def _changed(self) -> None:
        text = self.passphrase.text()
        clinic = [str(self.field("clinicId") or ""), str(self.field("clinicName") or "")]
        strength = passphrase_strength(text, clinic)
        self.strength.setValue(strength.score if text else 0)
        labels = [
            self.tr("very weak"),
            self.tr("weak"),
            self.tr("fair"),
            self.tr("good"),
            self.tr("strong"),
        ]
        parts: list[str] = []
        if text:
            parts.append(self.tr("Strength: {label}.").format(label=labels[strength.score]))
            if len(text) < 12:
                parts.append(self.tr("Use at least 12 characters."))
            if strength.warning:
                parts.append(strength.warning)
            if not strength.acceptable:
                parts.extend(strength.suggestions[:1] or [self.tr("Add more words.")])
        else:
            parts.append(self.tr("Tip: four or five unrelated words are strong and easy to type."))
        if self.confirm.text() and self.confirm.text() != text:
            parts.append(self.tr("The two passphrases are different."))
        self.strength_text.setText(" ".join(parts))
        self.strength.setProperty("acceptable", strength.acceptable)
        self.strength.style().unpolish(self.strength)  # the colour follows the property
        self.strength.style().polish(self.strength)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        if not self.storage.needs_passphrase:
            return True
        text = self.passphrase.text()
        return bool(text) and text == self.confirm.text() and passphrase_strength(text).acceptable


class AdminPage(QWizardPage):
    """The first admin. Committing this page creates the database and signs them in."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.setObjectName("setupAdminPage")
        self._wizard = wizard
        self.created = False
        self._busy = False
        self.setTitle(self.tr("The first clinic admin"))
        self.setSubTitle(
            self.tr(
                "The admin adds health workers, resets passwords and changes settings. "
                "Use a password of 8+ characters or a PIN of 6+ digits."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Create"))
        self.username = QLineEdit(self)
        self.username.setObjectName("setupUsername")
        self.username.setAccessibleName(self.tr("Admin user name"))
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("setupDisplayName")
        self.display_name.setAccessibleName(self.tr("Admin full name"))
        self.password = QLineEdit(self)
        self.password.setObjectName("setupPassword")
        self.password.setAccessibleName(self.tr("Admin password"))
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("setupPasswordConfirm")
        self.confirm.setAccessibleName(self.tr("Admin password again"))
        for widget in (self.password, self.confirm):
            widget.setEchoMode(QLineEdit.EchoMode.Password)
            widget.textChanged.connect(self.completeChanged)
        self.username.textChanged.connect(self.completeChanged)
        self.message = _message_label(self, "setupAdminMessage")
        form = QFormLayout(self)
        form.addRow(_buddy(self.tr("&User name"), self.username, self), self.username)
        form.addRow(_buddy(self.tr("&Full name"), self.display_name, self), self.display_name)
        form.addRow(_buddy(self.tr("&Password or PIN"), self.password, self), self.password)
        form.addRow(_buddy(self.tr("&Again"), self.confirm, self), self.confirm)
        form.addRow(self.message)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return (
            not self._busy
            and bool(self.username.text().strip())
            and bool(self.password.text())
            and self.password.text() == self.confirm.text()
        )

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.created:
            return True
        if self._busy:
            return False
        self._busy = True
        self.completeChanged.emit()
        _show_message(
            self.message,
            self.tr("Creating the encrypted database and your account…"),
            progress=True,
        )
        self._wizard.start_create()
        return False  # the wizard moves on when the work is done

    def finished(self, error: BaseException | None) -> None:
        self._busy = False
        if error is None:
            self.created = True
            self.message.hide()
        else:
            _show_message(self.message, describe_error(error), progress=False)
        self.completeChanged.emit()


class ModelPage(QWizardPage):
    def __init__(self, wizard: SetupWizard, sessions: SessionManager) -> None:
        super().__init__()
        self.setObjectName("setupModelPage")
        self._wizard = wizard
        self.saved = False
        self._busy = False
        self.setTitle(self.tr("The AI model"))
        # In the page, not the wizard's subtitle: the header keeps the height of one
        # English sentence, and a longer translation of this one was cut off there.
        intro = QLabel(
            self.tr(
                "The built-in model is ready to use. If you have a MedGemma file (for example "
                "on a USB stick), you can import it now or later in Settings."
            ),
            self,
        )
        intro.setObjectName("setupModelIntro")
        intro.setWordWrap(True)
        self.picker = ModelPicker(sessions, self)
        self.picker.selection_changed.connect(lambda _name: self.completeChanged.emit())
        self.message = _message_label(self, "setupModelMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker)
        layout.addWidget(self.message)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.picker.refresh()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return not self._busy and self.picker.selected_name() is not None

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.saved:
            return True
        name = self.picker.selected_name()
        if name is None or self._busy:
            return False
        self._busy = True
        self.completeChanged.emit()
        _show_message(self.message, self.tr("Saving the model choice…"), progress=True)
        self._wizard.start_use_model(name)
        return False

    def finished(self, error: BaseException | None) -> None:
        self._busy = False
        if error is None:
            self.saved = True
            self.message.hide()
        else:
            _show_message(self.message, describe_error(error), progress=False)
        self.completeChanged.emit()


class DonePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("setupDonePage")
        self.setTitle(self.tr("Ready"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.summary.setText(
            self.tr(
                "Setup is complete and you are signed in as the clinic admin. Add the "
                "health workers' accounts in Settings → Users. The model loads in the "
                "background; until it is ready, answers come from the triage rules and "
                "the knowledge base."
            )
        )


class SetupWizard(QWizard):
    """Finished (accepted) once the admin exists, is signed in, and the model is chosen."""

    CLINIC, KEY, ADMIN, RECOVERY, MODEL, DONE = range(6)

    def __init__(
        self,
        backend: SetupBackend,
        sessions: SessionManager,
        storage: KeyStorage,
        *,
        database_exists: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle(self.tr("Set up {app}").format(app=APP_NAME))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(640, 520)
        self._backend = backend
        self.session: Session | None = None
        settings = sessions.context.settings
        self.database_exists = database_exists
        self.clinic_page = ClinicPage(
            settings.clinic_id, settings.clinic_name or "", id_locked=database_exists
        )
        self.language_picker = _add_language_row(self.clinic_page, settings.ui_language)
        self.key_page = KeyPage(storage)
        self.admin_page = AdminPage(self)
        self.recovery_page = RecoveryKeyPage()
        self.model_page = ModelPage(self, sessions)
        self.done_page = DonePage()
        for page_id, page in (
            (self.CLINIC, self.clinic_page),
            (self.KEY, self.key_page),
            (self.ADMIN, self.admin_page),
            (self.RECOVERY, self.recovery_page),
            (self.MODEL, self.model_page),
            (self.DONE, self.done_page),
        ):
            self.setPage(page_id, page)
        self.setStartId(self.CLINIC)

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        if self.currentId() == self.CLINIC and self.database_exists:
            return self.ADMIN  # the key was chosen when the database was made
        if self.currentId() == self.ADMIN and not self.recovery_page.recovery_key:
            return self.MODEL  # a passphrase clinic: the passphrase opens its backups
        return super().nextId()

    def request(self) -> SetupRequest:
        return SetupRequest(
            clinic_id=self.clinic_page.clinic_id.text().strip(),
            clinic_name=self.clinic_page.clinic_name.text().strip(),
            passphrase=None if self.database_exists else self.key_page.value(),
            username=self.admin_page.username.text().strip(),
            display_name=self.admin_page.display_name.text().strip(),
            password=self.admin_page.password.text(),
            ui_language=self.language_picker.language(),
        )

    def start_create(self) -> None:
        self._backend.create(self.request(), self._created, self._create_failed)

    def _created(self, session: Session) -> None:
        self.session = session
        self.admin_page.password.clear()
        self.admin_page.confirm.clear()
        self.key_page.passphrase.clear()
        self.key_page.confirm.clear()
        self._backend.recovery_key(session, self._recovery_key_made, self._create_failed)

    def _recovery_key_made(self, recovery_key: str | None) -> None:
        """A keyring clinic's recovery key is shown next (the admin exists by now)."""
        self.recovery_page.set_key(recovery_key, self.clinic_page.clinic_name.text().strip())
        self.admin_page.finished(None)
        self.next()

    def _create_failed(self, error: BaseException) -> None:
        self.admin_page.finished(error)

    def start_use_model(self, name: str) -> None:
        self._backend.use_model(name, self._model_saved, self.model_page.finished)

    def _model_saved(self) -> None:
        self.model_page.finished(None)
        self.next()
