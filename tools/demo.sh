#!/usr/bin/env bash
# Demo driver (called by ./run demo after the release build).
#
# 1. starts a local central store (lietvedis-server, embedded SQLite) over HTTPS on a free
#    loopback port, with a self-signed certificate made for the run (openssl) that every
#    enrolment code pins;
# 2. creates the Liepāja unit of the Kurzeme region with two officers, a supervisor and a
#    volunteer coordinator, and one-time enrolment codes for them; the second officer is on
#    leave and the first covers for him;
# 3. enrols four devices (one data directory each, encrypted stores), loads a realistic
#    caseload on each officer's device and volunteers with mentoring logs on the
#    coordinator's, and synchronises all of them through the central store;
# 4. opens the desktop client as the first officer. With no display it runs the client under
#    Xvfb instead, tours the main screens and saves screenshots to demo-screenshots/.
#
# Everything lives in build/demo/ and is created afresh on every run. The demo passphrase is
# printed; the server stops when the client closes.
set -euo pipefail
BUILD=$1; shift || true
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEMO="$ROOT/build/demo"
SERVER_BIN="$BUILD/sync/lietvedis-server"
CLI="$BUILD/client/lietvedis"
DESKTOP="$BUILD/ui/lietvedis-desktop"
PASSPHRASE="demo passphrase Liepāja"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

rm -rf "$DEMO"
mkdir -p "$DEMO"
printf '%s\n' "$PASSPHRASE" > "$DEMO/passphrase"
chmod 600 "$DEMO/passphrase"
STORE="sqlite:$DEMO/central.db"
# The organisation's root key signs every directory change; the central store never holds it.
# A real administrator keeps it off the server behind a strong passphrase (docs/SERVER.md).
export LIETVEDIS_ROOT_PASSPHRASE="demo root passphrase"
say "the organisation's root key: $DEMO/root.key"
"$SERVER_BIN" admin --root-key "$DEMO/root.key" root init --fast-kdf > "$DEMO/root.pub"
admin() { "$SERVER_BIN" admin --store "$STORE" --root-key "$DEMO/root.key" "$@"; }

say "central store: creating the Liepāja unit and its staff"
UNIT=$(admin unit add --region "Kurzemes reģions" --name "Liepājas struktūrvienība")
OFFICER=$(admin user add --unit "$UNIT" --role officer --name "Ilze Ozola")
OFFICER2=$(admin user add --unit "$UNIT" --role officer --name "Jānis Kalniņš")
SUPERVISOR=$(admin user add --unit "$UNIT" --role supervisor --name "Anna Vītola")
COORDINATOR=$(admin user add --unit "$UNIT" --role volunteer_coordinator --name "Dace Krūmiņa")
# Jānis is on leave for two weeks from today; Ilze covers for him: his case files reach her
# laptop and open there by break-glass, with a reason (docs/PROTOCOL.md "Covers").
admin cover set --user "$OFFICER2" --deputy "$OFFICER" --from "$(date -u +%F)" \
  --until "$(date -u -d '+14 days' +%F)"

say "central store: a self-signed certificate for 127.0.0.1 ($DEMO/cert.pem)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$DEMO/key.pem" -out "$DEMO/cert.pem" > "$DEMO/openssl.log" 2>&1 \
  || { cat "$DEMO/openssl.log" >&2; echo "openssl could not make the certificate" >&2; exit 1; }
chmod 600 "$DEMO/key.pem"

say "central store: starting on loopback, HTTPS"
"$SERVER_BIN" serve --store "$STORE" --listen 127.0.0.1:0 --cert "$DEMO/cert.pem" \
  --key "$DEMO/key.pem" > "$DEMO/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$DEMO/server.log" 2>/dev/null && break
  sleep 0.1
done
ADDRESS=$(grep -o "listening on [0-9.]*:[0-9]*" "$DEMO/server.log" | awk '{print $3}')
[ -n "$ADDRESS" ] || { cat "$DEMO/server.log" >&2; echo "the central store did not start" >&2; exit 1; }
URL="https://$ADDRESS"
say "central store: $URL (log: $DEMO/server.log)"

# Demo stores use the interactive Argon2id cost so the demo starts quickly.
export LIETVEDIS_FAST_KDF=1
cli() { "$CLI" --passphrase-file "$DEMO/passphrase" "$@"; }
enrol() {  # $1 user id, $2 directory name, $3 device name
  local code
  code=$(admin enrol-code --user "$1" --server-url "$URL" --cert "$DEMO/cert.pem")
  cli --data "$DEMO/$2" enrol --code "$code" --device-name "$3" > "$DEMO/$2.enrol.txt"
}

say "enrolling four devices (recovery kits in $DEMO/*.enrol.txt)"
enrol "$OFFICER" officer "Ilzes klēpjdators"
enrol "$OFFICER2" officer2 "Jāņa klēpjdators"
enrol "$SUPERVISOR" supervisor "Annas dators"
enrol "$COORDINATOR" coordinator "Daces dators"

say "loading caseloads on the officers' devices"
cli --data "$DEMO/officer" demo-data --cases 60 --seed 1
cli --data "$DEMO/officer2" demo-data --cases 40 --seed 2
say "synchronising"
cli --data "$DEMO/officer" sync --quiet
cli --data "$DEMO/officer2" sync --quiet
cli --data "$DEMO/coordinator" sync --quiet
say "volunteers and mentoring logs on the coordinator's device"
cli --data "$DEMO/coordinator" demo-data --seed 3
cli --data "$DEMO/coordinator" sync --quiet
for d in supervisor officer officer2; do cli --data "$DEMO/$d" sync --quiet; done
admin status

echo
echo "Demo unit ready. Data directories (encrypted stores) in $DEMO:"
echo "  officer (Ilze Ozola), officer2 (Jānis Kalniņš), supervisor (Anna Vītola), coordinator (Dace Krūmiņa)"
echo "  Ilze covers for Jānis (on leave): his cases open on her laptop by break-glass, with a reason"
echo "  passphrase: $PASSPHRASE"
echo "  e.g.  $CLI --data $DEMO/supervisor --passphrase-file $DEMO/passphrase list"
echo

if [ -n "${DISPLAY:-}" ]; then
  say "opening the desktop client as Ilze Ozola (officer); close the window to stop the demo"
  "$DESKTOP" --data "$DEMO/officer" --passphrase-file "$DEMO/passphrase"
  exit 0
fi

OUT="$ROOT/demo-screenshots"
rm -rf "$OUT"
mkdir -p "$OUT"
say "no display: running the desktop client under Xvfb and saving screenshots to $OUT"
shoot() {  # $1 data dir, $2 page, $3 file
  xvfb-run -a -s "-screen 0 1600x1000x24" "$DESKTOP" --data "$DEMO/$1" --passphrase-file "$DEMO/passphrase" \
    --page "$2" --screenshot "$OUT/$3" --after-frames 40 >/dev/null 2>&1 \
    || echo "  could not save $3" >&2
}
shoot officer caseload officer-caseload.png
shoot officer agenda officer-agenda.png
shoot officer mappa officer-mappa.png
shoot officer sync officer-sync.png
shoot supervisor dashboard supervisor-dashboard.png
shoot supervisor caseload supervisor-caseload.png
shoot coordinator volunteers coordinator-volunteers.png
shoot coordinator cards coordinator-cards.png
ls -1 "$OUT"
echo "Screenshots of the main screens are in $OUT"
