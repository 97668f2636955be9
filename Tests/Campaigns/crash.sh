#!/usr/bin/env bash
# The full crash campaign: 100 SIGKILLs of the real trocd at seeded random instants (issue 15).
# Usage: Tests/Campaigns/crash.sh [SEED] [KILLS]; the seed is printed first, and each kill's instant after it, so a run can
# be replayed with the same seed. Results go to docs/RELIABILITY.md by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."

seed="${1:-${TROC_CRASH_SEED:-$(date +%s)}}"
kills="${2:-${TROC_CRASH_RUNS:-100}}"
echo "crash campaign: seed ${seed}, ${kills} kills"
swift build --build-tests
started=$(date +%s)
TROC_CRASH_SEED="$seed" TROC_CRASH_RUNS="$kills" nice -n 10 swift test --skip-build \
    --filter CrashCampaignEndToEndTests.killedAtAnyInstantTheBrokerLosesNothing
echo "crash campaign: seed ${seed}, ${kills} kills, passed in $(($(date +%s) - started)) s"
