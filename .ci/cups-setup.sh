#!/usr/bin/env bash
# A real CUPS print queue for the printing tests: RelancesPDF, a cups-pdf printer whose
# output lands in one known folder, so a test can print and then read what was printed.
# Idempotent: installs only what is missing, starts cupsd only if it is not running,
# re-creates the queue with the same settings. Needs root (apt-get, lpadmin, cupsd).
# Used by .ci/run and by tests/cups_queue.py (one source of truth for the set-up).
#
# Environment: RELANCES_CUPS_QUEUE (default RelancesPDF),
#              RELANCES_CUPS_OUT (default /var/spool/cups-pdf/relances).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

queue="${RELANCES_CUPS_QUEUE:-RelancesPDF}"
out="${RELANCES_CUPS_OUT:-/var/spool/cups-pdf/relances}"
instance="relances"  # device URI cups-pdf:/relances -> /etc/cups/cups-pdf-relances.conf

if ! command -v cupsd >/dev/null 2>&1 || ! command -v lp >/dev/null 2>&1 \
        || [ ! -e /usr/lib/cups/backend/cups-pdf ]; then
    apt-get update -qq
    apt-get install -y -qq cups cups-client printer-driver-cups-pdf >/dev/null
fi

# This queue's own cups-pdf configuration; the system-wide cups-pdf.conf stays untouched.
# The output folder is under /var/spool/cups-pdf, which Ubuntu's AppArmor profile allows.
# Label 2 names every file "<title>-job_<id>.pdf", so a job id finds its file.
mkdir -p "$out"
chmod 1777 "$out"
cat > "/etc/cups/cups-pdf-${instance}.conf" <<EOF
Out ${out}
AnonDirName ${out}
Label 2
UserUMask 0022
Grp lpadmin
EOF

scheduler_running() { lpstat -r 2>/dev/null | grep -q "is running"; }

if ! scheduler_running; then
    # No systemd in containers and CI runners: start the daemon directly.
    mkdir -p /run/cups
    /usr/sbin/cupsd
    for _ in $(seq 1 100); do
        scheduler_running && break
        sleep 0.1
    done
    scheduler_running || { echo "cupsd did not start" >&2; exit 1; }
fi

# cups-pdf's backend ignores the copy count (Ghostscript's pdfwrite drops #copies), so the
# queue's PPD says cupsManualCopies: the spooler's pdftopdf then writes every copy, and
# "Nb exemplaires" shows up as pages in the file, as it would on paper.
ppd=""
for candidate in /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd /usr/share/cups/model/CUPS-PDF_opt.ppd; do
    [ -e "$candidate" ] && { ppd="$candidate"; break; }
done
[ -n "$ppd" ] || { echo "CUPS-PDF_opt.ppd not found (printer-driver-cups-pdf)" >&2; exit 1; }
queue_ppd=$(mktemp --suffix=.ppd)
trap 'rm -f "$queue_ppd"' EXIT
sed 's/^\*1284DeviceID:.*/&\n*cupsManualCopies: True/' "$ppd" > "$queue_ppd"
# "Printer drivers are deprecated" is CUPS 2.4's notice for every PPD queue: not an error.
if ! notice=$(lpadmin -p "$queue" -E -v "cups-pdf:/${instance}" -P "$queue_ppd" 2>&1); then
    echo "$notice" >&2
    exit 1
fi
cupsenable "$queue"
cupsaccept "$queue"
echo "CUPS queue ${queue} ready, output in ${out}"
