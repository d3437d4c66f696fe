; Inno Setup 6 script: the Windows installer of lawsup (派出所法制监督员工作台).
; Saved as UTF-8 with a byte order mark: Inno Setup reads a file without one in the
; ANSI code page and would garble the Chinese names.
;
; Build the bundle first (packaging\windows\build.ps1 does every step), then:
;     iscc /DAppVersion=0.1.0 packaging\windows\lawsup.iss
; Optional defines: /DDistDir=<folder of the built bundle> (default ..\..\dist\lawsup),
;                   /DOutputDir=<where setup.exe goes> (default ..\..\dist).
;
; Per-user install by default (no administrator needed, %LOCALAPPDATA%\Programs\lawsup);
; the user may choose "install for all users" in the first dialog.
;
; Languages: English is built into Inno Setup. Simplified Chinese
; (ChineseSimplified.isl) is an unofficial translation that Inno Setup does NOT
; ship: download it from https://jrsoftware.org/files/istrans/ (Inno Setup 6
; version) into Inno Setup's Languages\ folder or next to this script. Without it
; the installer is built in English only, and the compiler says so.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z lawsup.iss (build.ps1 reads it from lawsup_desktop.__version__)
#endif
#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\..\dist\lawsup"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\..\dist"
#endif

#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma message "ChineseSimplified.isl not found: building an English-only installer"
#endif

#define AppName "派出所法制监督员工作台"
#define AppExe "lawsup.exe"

[Setup]
; The AppId identifies the program for upgrades and uninstall: never change it.
AppId={{6B0E5F7A-2C1D-4E8B-9A57-3F1D2C4B8E61}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=lawsup
DefaultDirName={autopf}\lawsup
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=lawsup-{#AppVersion}-setup
SetupIconFile={#DistDir}\_internal\share\icons\lawsup.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The program holds its database open: ask to close it before files are replaced.
CloseApplications=yes
ShowLanguageDialog=auto

[Languages]
#ifdef ChineseIsl
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
#ifdef ChineseIsl
chinesesimplified.DataKept=程序已卸载。您的数据文件夹（数据库、备份、附件和日志）已保留，未被删除：%n%n%1%n%n如不再需要，可手动删除该文件夹。
chinesesimplified.CliShortcut=命令行工具（lawsup-cli）
#endif
english.DataKept=The program was removed. Your data folder (database, backups, attachments and logs) was kept, not deleted:%n%n%1%n%nDelete that folder yourself if you no longer need it.
english.CliShortcut=Command line (lawsup-cli)

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: lawsup.exe (windowed), lawsup-cli.exe (console) and _internal\.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// The uninstaller removes only what the installer put in {app}. The data folder
// (platformdirs' user data folder: %LOCALAPPDATA%\lawsup, or the folder chosen
// with --data-dir) is never touched; tell the user where it is.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\lawsup')]),
      mbInformation, MB_OK);
end;
