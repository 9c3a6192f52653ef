"""MedAssist Desktop: offline clinical decision support for rural clinics."""

__version__ = "0.1.0"
APP_NAME = "MedAssist Desktop"
APP_ID = "MedAssist"
