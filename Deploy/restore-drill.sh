#!/usr/bin/env bash
# The restore drill: proves that the newest backup becomes a working broker, without touching the running one.
# It restores the backup into a scratch directory, starts trocd on it (plain HTTP on a free loopback port), checks
# /healthz, verifies the audit trail's hash chain and, given a partner's troc profile and a released deal, downloads
# that deal's delivery from the restored copy and decrypts it. Run it after every upgrade and at least monthly
# (README.Deploy.md, "Backups and the restore drill"); exit status 0 means every check passed.
#
# Usage: restore-drill.sh [--backups DIR] [--master-key FILE] [--delivery DEAL --troc-config DIR [--profile NAME]] [--keep]
#   --backups DIR      the directory of timestamped backups (default /var/lib/troc/backups)
#   --master-key FILE  the master key the backups were made under (default /etc/troc/master.key)
#   --delivery DEAL    a released deal whose delivery the profile below may download (a drill partner's)
#   --troc-config DIR  that partner's troc configuration directory (profiles and private key; TROC_CONFIG_DIR)
#   --profile NAME     the profile in it (default "default")
#   --keep             keep the scratch directory (the restored copy and trocd's log) for inspection
# trocd and troc are taken from $TROCD and $TROC, else from PATH. Needs curl.
set -euo pipefail

backups=/var/lib/troc/backups
master_key=/etc/troc/master.key
delivery=""
troc_config=""
profile=default
keep=no
while [ $# -gt 0 ]; do
    case "$1" in
    --backups) backups=$2 && shift 2 ;;
    --master-key) master_key=$2 && shift 2 ;;
    --delivery) delivery=$2 && shift 2 ;;
    --troc-config) troc_config=$2 && shift 2 ;;
    --profile) profile=$2 && shift 2 ;;
    --keep) keep=yes && shift ;;
    *)
        echo "restore-drill: unknown argument $1 (see the usage at the top of $0)" >&2
        exit 1
        ;;
    esac
done
trocd=${TROCD:-trocd}
troc=${TROC:-troc}
fail() {
    echo "restore-drill: FAILED: $*" >&2
    exit 1
}
passed() { echo "restore-drill: ok: $*"; }
command -v curl >/dev/null || fail "curl is missing (apt install curl)"
if [ -n "$delivery" ] && [ -z "$troc_config" ]; then fail "--delivery needs --troc-config (the partner's troc configuration)"; fi

# The newest backup with its manifest (written last): names sort in time order.
latest=""
for candidate in "$backups"/troc-backup-*; do
    if [ -f "$candidate/manifest.json" ]; then latest=$candidate; fi
done
[ -n "$latest" ] || fail "no complete backup in $backups"
passed "newest complete backup: $latest"

scratch=$(mktemp -d "${TMPDIR:-/var/tmp}/troc-restore-drill.XXXXXX")
pid=""
finish() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    if [ "$keep" = yes ]; then echo "restore-drill: kept $scratch"; else rm -rf "$scratch"; fi
}
trap finish EXIT

"$trocd" admin restore "$latest" --data "$scratch/data" >/dev/null || fail "trocd admin restore refused the backup (above)"
passed "restored (manifest, checksum and every blob's size verified) into $scratch/data"

# A broker of its own: the key file given, never the production service's credential or socket. Its log exists before it
# does (the background shell opens it when it gets to run), so the first read below finds a file.
: >"$scratch/trocd.log"
env -u NOTIFY_SOCKET -u CREDENTIALS_DIRECTORY -u TROC_MASTER_KEY \
    "$trocd" serve --http --host 127.0.0.1 --port 0 --data "$scratch/data" --master-key-file "$master_key" \
    >"$scratch/trocd.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 600); do
    url=$(sed -n 's/^Troc broker listening on //p' "$scratch/trocd.log")
    if [ -n "$url" ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
done
[ -n "$url" ] || fail "the restored broker did not start: $(cat "$scratch/trocd.log")"
passed "the restored broker runs at $url (its keys unwrap with $master_key)"

curl --silent --show-error --fail "$url/healthz" >/dev/null || fail "$url/healthz does not answer"
passed "/healthz answers"

verification=$("$trocd" admin audit verify --data "$scratch/data" --master-key-file "$master_key") ||
    fail "the audit trail does not verify: $verification"
passed "$verification"

if [ -n "$delivery" ]; then
    TROC_CONFIG_DIR=$troc_config "$troc" deal download "$delivery" --profile "$profile" --server "$url" -o "$scratch/delivery.csv" \
        >/dev/null || fail "the delivery of $delivery does not download from the restored broker"
    rows=$(($(wc -l <"$scratch/delivery.csv") - 1))
    [ "$rows" -gt 0 ] || fail "the delivery of $delivery is empty"
    passed "the delivery of $delivery downloads and decrypts ($rows contacts)"
fi

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
[ "$status" -eq 0 ] || fail "the restored broker did not stop cleanly (exit $status): $(tail -5 "$scratch/trocd.log")"
passed "the restored broker stopped cleanly"
echo "restore-drill: PASSED for $latest"
