#!/usr/bin/env bash
# The main job, end to end on this machine: starts the host on its embedded PostgreSQL, provisions two
# terminals (one by key ceremony, one by remote TMK download over SM2), plays each terminal once (TMK,
# sign-on with working-key check values, echo test, a sale with PIN, its void with the supervisor's void
# password, a new sale, settlement, sign-off), then provisions a fleet of 200 terminals and runs 10 s of mixed
# open-loop load against the host (live line, summary, JSON and HTML report), and stops the host.
# Build first: ./mvnw -q -B package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."

data=${POSFLEET_DEMO_DATA:-$(mktemp -d -t posfleet-demo.XXXXXX)}
port=${POSFLEET_DEMO_PORT:-9583}
dbport=${POSFLEET_DEMO_DB_PORT:-55433}
host=(java -jar host/target/posfleet-host.jar)
fleet=(java -jar fleet-sim/target/posfleet-fleet.jar)
admin=(--data-dir "$data" --db-port "$dbport")
mid=898100000000001

for jar in host/target/posfleet-host.jar fleet-sim/target/posfleet-fleet.jar; do
  [ -f "$jar" ] || { echo "missing $jar: run ./mvnw -q -B package -DskipTests first" >&2; exit 1; }
done

echo "== starting the host (data in $data)"
"${host[@]}" serve "${admin[@]}" --port "$port" > "$data/host.log" 2>&1 &
host_pid=$!
trap 'kill $host_pid 2>/dev/null; wait $host_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  grep -q "posfleet host listening on" "$data/host.log" 2>/dev/null && break
  kill -0 $host_pid 2>/dev/null || { cat "$data/host.log"; exit 1; }
  sleep 0.5
done
grep "posfleet host listening on" "$data/host.log"

echo "== terminal 10000001: key ceremony (two components), TDES"
"${host[@]}" register-terminal "${admin[@]}" --tid 10000001 --mid $mid --merchant-name "Demo shop" --serial DEMO-SN-0001
"${host[@]}" load-tmk "${admin[@]}" --tid 10000001 --component 11111111111111112222222222222222 --component 0123456789ABCDEFFEDCBA9876543210
"${host[@]}" set-operator "${admin[@]}" --tid 10000001 --operator 1 --password 123456
"${host[@]}" set-operator "${admin[@]}" --tid 10000001 --operator 0 --supervisor --password 888888
"${fleet[@]}" terminal --port "$port" --tid 10000001 --mid $mid --serial DEMO-SN-0001 \
  --tmk-component 11111111111111112222222222222222 --tmk-component 0123456789ABCDEFFEDCBA9876543210 --password 123456 \
  --sale 12345 --void-password 888888 --settle

echo "== terminal 10000002: remote TMK download over SM2, SM4 keys"
"${host[@]}" register-terminal "${admin[@]}" --tid 10000002 --mid $mid --serial DEMO-SN-0002
"${host[@]}" set-operator "${admin[@]}" --tid 10000002 --operator 1 --password 20261124
"${fleet[@]}" terminal --port "$port" --tid 10000002 --mid $mid --serial DEMO-SN-0002 --remote-tmk SM2 --suite SM4 --password 20261124 \
  --sale 5000 --settle

echo "== the same terminal from another device is refused"
"${fleet[@]}" terminal --port "$port" --tid 10000002 --mid $mid --serial SOMEONE-ELSES --remote-tmk SM2 --suite SM4 --password 20261124 || true

echo "== a fleet: 200 terminals provisioned in one command, then 10 s of mixed load at 100 tx/s, open loop"
fleet_key=00112233445566778899AABBCCDDEEFF
"${host[@]}" provision-fleet "${admin[@]}" --count 200 --fleet-key $fleet_key
"${fleet[@]}" run --port "$port" --terminals 200 --fleet-key $fleet_key --rate 100 --warmup 2 --duration 10 --report "$data/fleet-report" || true

echo "== done; the host's log is $data/host.log, the fleet's report $data/fleet-report/report.html"
