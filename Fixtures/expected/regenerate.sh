#!/bin/sh
# Regenerates the expected reports and release files from the fixtures with `troc match`.
# Run from the repository root after `swift build`:  sh Fixtures/expected/regenerate.sh [path/to/troc]
# Review the diff against the hand-derived facts in Fixtures/README.md before committing: these
# files are what the tests hold the engine to, not a snapshot to refresh blindly.
set -eu
TROC=${1:-.build/debug/troc}
C=Fixtures/contacts
E=Fixtures/expected
KEY=$E/match-key.hex   # any key gives the same reports; fixed so runs are reproducible

match() { # name A B extra-options...
    name=$1 a=$2 b=$3
    shift 3
    for policy in equal-count quality-weighted all; do
        "$TROC" match "$C/$a" "$C/$b" --as-of 2026-11-23 --key-file "$KEY" --policy "$policy" --json "$@" >"$E/$name.$policy.json"
    done
}

match renovation menuiserie-atlantique.csv peinture-erdre.csv --naf-a 43.32A --naf-b 43.34Z --suppression $C/opposition-2026.txt
match paysage jardins-de-provence.txt piscines-azur-hubspot.csv
match mariage traiteur-saveurs-du-rhone.csv studio-lumiere-ainay.csv

release=$(mktemp -d)
"$TROC" match $C/menuiserie-atlantique.csv $C/peinture-erdre.csv --as-of 2026-11-23 --key-file "$KEY" \
    --naf-a 43.32A --naf-b 43.34Z --suppression $C/opposition-2026.txt --policy equal-count --release-dir "$release" >/dev/null
cp "$release/to-a.csv" $E/renovation.to-a.csv
cp "$release/to-b.csv" $E/renovation.to-b.csv
rm -r "$release"
