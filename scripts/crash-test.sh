#!/usr/bin/env bash
# Crash safety: kills the host with SIGKILL N times (default 20) at random moments while terminals stream sales,
# restarting it each time, and reconciles after each kill what the terminals saw with the journal. Prints the
# counts (docs/reliability.md); every problem count must be zero. CI runs the same test with 3 kills.
# Usage: scripts/crash-test.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-20}
POSFLEET_CRASH_ROUNDS=$kills ./mvnw -q -B -pl host -am test -Dtest=CrashRecoveryTest -Dsurefire.failIfNoSpecifiedTests=false
cat host/target/crash-recovery.txt
