@echo off
rem Relances clients: installation on Windows (double-click). Makes the folder of the
rem workbook, its Python (.venv) and Relances.xlsm by running relances_xl.installer
rem from the wheel (.whl) beside this file. Without questions: Installer.cmd FOLDER
rem These first lines are ASCII: cmd reads UTF-8 only after chcp 65001.
setlocal
chcp 65001 >nul
set "HERE=%~dp0"
set "DOSSIER=%USERPROFILE%\Documents\Relances"
if not "%~1"=="" (
    set "DOSSIER=%~1"
) else (
    set /p "DOSSIER=Dossier du classeur [%DOSSIER%] : "
)

rem Python 3.11 ou plus récent, celui de python.org (le lanceur « py »), pas celui du
rem Microsoft Store, dont Excel ne peut pas lancer l'interpréteur.
set "PY="
where py >nul 2>nul && set "PY=py -3"
if not defined PY (
    where python >nul 2>nul && set "PY=python"
)
if not defined PY goto nopython
%PY% -c "import sys; sys.exit(sys.version_info < (3, 11) or 'WindowsApps' in sys.executable)" >nul 2>nul
if errorlevel 1 goto nopython

set "WHEEL="
for %%W in ("%HERE%relances_xl-*.whl") do set "WHEEL=%%~fW"
if not defined WHEEL goto nowheel

%PY% -c "import sys; sys.path.insert(0, sys.argv[1]); from relances_xl.installer import main; sys.exit(main(sys.argv[2:]))" "%WHEEL%" "%DOSSIER%" --paquet "%WHEEL%" --classeur "%HERE%Relances.xlsm"
set "STATUS=%ERRORLEVEL%"
echo.
pause
exit /b %STATUS%

:nopython
echo Python 3.11 ou plus récent est introuvable.
echo Installez-le depuis https://www.python.org/downloads/windows/ (pas depuis le Microsoft Store)
echo en cochant « Add python.exe to PATH », puis relancez Installer.cmd.
pause
exit /b 1

:nowheel
echo La roue relances_xl-*.whl doit être à côté de Installer.cmd : décompressez toute l'archive.
pause
exit /b 1
