"""Routes Qt's own messages (qDebug, qWarning...) into the app's log."""

from __future__ import annotations

from loguru import logger
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_LEVELS = {
    QtMsgType.QtDebugMsg: "DEBUG",
    QtMsgType.QtInfoMsg: "INFO",
    QtMsgType.QtWarningMsg: "WARNING",
    QtMsgType.QtCriticalMsg: "ERROR",
    QtMsgType.QtFatalMsg: "CRITICAL",
}


def _handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    area = f"qt.{context.category}" if context.category else "qt"
    logger.bind(area=area).log(_LEVELS.get(mode, "WARNING"), message)


def install_qt_message_handler() -> None:
    qInstallMessageHandler(_handler)
