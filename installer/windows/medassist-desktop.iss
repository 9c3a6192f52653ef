; Inno Setup script: a per-user Windows installer for the PyInstaller bundle.
;   iscc /DAppVersion=0.1.0 installer\windows\medassist-desktop.iss
; Input: dist\medassist-desktop\ (pyinstaller build.spec). Output: dist\medassist-desktop-setup-<version>.exe
;
; No administrator rights: the app goes to the user's own programs folder
; (%LOCALAPPDATA%\Programs\MedAssist Desktop), shortcuts to the user's Start menu and desktop.
; The user's data (%LOCALAPPDATA%\MedAssist: database, settings, imported models) is not
; installed by this script, so the uninstaller never removes it, and installing a newer
; version over an older one (same AppId) keeps it; the app migrates the database at its
; next start, after taking a backup copy.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "MedAssist Desktop"
#define AppExe "medassist-desktop.exe"

[Setup]
AppId={{6F1C3C2E-5A7B-4E7D-9B8A-2D4C1E0F9A31}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=MedAssist Desktop
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\..\resources\icons\medassist.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=medassist-desktop-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\medassist-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A newer version replaces the program files of the older one, never the user's data.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
