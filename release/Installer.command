#!/bin/bash
# Relances clients : installation sur macOS (double-clic, ou « Ouvrir » depuis le
# menu contextuel la première fois). Crée le dossier du classeur, son Python (.venv)
# et Relances.xlsm, par `python -m relances_xl.installer` lu dans la roue (.whl) posée
# à côté de ce fichier. Usage sans question : Installer.command DOSSIER
# Écrit pour le bash 3.2 de macOS ; vérifié par shellcheck.
set -u

here="$(cd "$(dirname "$0")" && pwd)"
default="$HOME/Documents/Relances"

pause() {
    if [ -t 0 ]; then
        printf '\nAppuyez sur Entrée pour fermer cette fenêtre.'
        read -r _
    fi
}

if [ "$#" -ge 1 ]; then
    folder="$1"
else
    printf 'Dossier du classeur [%s] : ' "$default"
    read -r folder || folder=""
    folder="${folder:-$default}"
fi

# Python 3.11 ou plus récent : celui de python.org (le python3 fourni par Apple est trop
# ancien), dans le PATH ou dans /Library/Frameworks où son installateur le met.
python=""
for candidate in python3.14 python3.13 python3.12 python3.11 python3 \
        /Library/Frameworks/Python.framework/Versions/Current/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        python="$(command -v "$candidate")"
        break
    fi
done
if [ -z "$python" ]; then
    echo "Python 3.11 ou plus récent est introuvable."
    echo "Installez-le depuis https://www.python.org/downloads/macos/ puis relancez Installer.command."
    pause
    exit 1
fi

wheel=""
for candidate in "$here"/relances_xl-*.whl; do
    [ -f "$candidate" ] && wheel="$candidate"
done
if [ -z "$wheel" ]; then
    echo "La roue relances_xl-*.whl doit être à côté de Installer.command : décompressez toute l'archive."
    pause
    exit 1
fi

echo "Python : $python"
"$python" - "$wheel" "$folder" "$here/Relances.xlsm" <<'PYTHON'
import sys

wheel, folder, workbook = sys.argv[1:4]
sys.path.insert(0, wheel)  # the installer reads only the standard library
from relances_xl.installer import main

sys.exit(main([folder, "--paquet", wheel, "--classeur", workbook]))
PYTHON
status=$?
pause
exit "$status"
