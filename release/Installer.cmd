@echo off
rem Relances clients: installation on Windows (double-click). Makes the folder of the
rem workbook, its Python (.venv) and Relances.xlsm by running relances_xl.installer
rem from the wheel (.whl) beside this file. Without questions: Installer.cmd FOLDER
rem These first lines are ASCII: cmd reads UTF-8 only after chcp 65001.
setlocal
chcp 65001 >nul
set "HERE=%~dp0"
set "DOSSIER=%USERPROFILE%\Documents\Relances"
set "ASK=1"
if not "%~1"=="" (
    set "DOSSIER=%~1"
    set "ASK="
) else (
    set /p "DOSSIER=Dossier du classeur [%DOSSIER%] : "
)

rem Python 3.11 ou plus récent, celui de python.org (le lanceur « py »), pas celui du
rem Microsoft Store, dont Excel ne peut pas lancer l'interpréteur. Sans lui, winget
rem (Windows 10 et 11) propose d'installer Python 3.12 pour l'utilisateur.
call :findpython
call :checkpython
if not defined PY call :wingetpython
if defined PY call :checkpython
if not defined PY goto nopython

set "WHEEL="
for %%W in ("%HERE%relances_xl-*.whl") do set "WHEEL=%%~fW"
if not defined WHEEL goto nowheel

%PY% -c "import sys; sys.path.insert(0, sys.argv[1]); from relances_xl.installer import main; sys.exit(main(sys.argv[2:]))" "%WHEEL%" "%DOSSIER%" --paquet "%WHEEL%" --classeur "%HERE%Relances.xlsm"
set "STATUS=%ERRORLEVEL%"
echo.
pause
exit /b %STATUS%

:findpython
set "PY="
where py >nul 2>nul && set "PY=py -3"
if not defined PY (
    where python >nul 2>nul && set "PY=python"
)
exit /b 0

:checkpython
if not defined PY exit /b 1
%PY% -c "import sys; sys.exit(sys.version_info < (3, 11) or 'WindowsApps' in sys.executable)" >nul 2>nul
if errorlevel 1 set "PY="
exit /b 0

:wingetpython
if not defined ASK exit /b 1
where winget >nul 2>nul || exit /b 1
echo Python 3.11 ou plus récent est introuvable sur cet ordinateur.
echo Installer.cmd peut l'installer pour vous : winget install Python.Python.3.12
choice /c ON /m "Installer Python 3.12 maintenant (O = oui, N = non) "
if errorlevel 2 exit /b 1
winget install -e --id Python.Python.3.12 --scope user --accept-package-agreements --accept-source-agreements
if errorlevel 1 exit /b 1
for %%P in ("%LOCALAPPDATA%\Programs\Python\Python312\python.exe" "%ProgramFiles%\Python312\python.exe") do (
    if exist "%%~P" if not defined PY set "PY="%%~P""
)
exit /b 0

:nopython
echo Python 3.11 ou plus récent est introuvable.
echo Installez-le avec « winget install Python.Python.3.12 » dans une invite de commandes,
echo ou depuis https://www.python.org/downloads/windows/ (pas depuis le Microsoft Store)
echo en cochant « Add python.exe to PATH », puis relancez Installer.cmd.
pause
exit /b 1

:nowheel
echo La roue relances_xl-*.whl doit être à côté de Installer.cmd : décompressez toute l'archive.
pause
exit /b 1
