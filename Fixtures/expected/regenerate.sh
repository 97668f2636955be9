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
match consentement auto-ecole-confluence-sellsy.csv velos-saone-newsletter.csv

# release NAME A B extra-options...: the files --release-dir writes under equal-count.
release() {
    name=$1 a=$2 b=$3
    shift 3
    dir=$(mktemp -d)
    "$TROC" match "$C/$a" "$C/$b" --as-of 2026-11-23 --key-file "$KEY" --policy equal-count --release-dir "$dir" "$@" >/dev/null
    cp "$dir/to-a.csv" "$E/$name.to-a.csv"
    cp "$dir/to-b.csv" "$E/$name.to-b.csv"
    rm -r "$dir"
}

release renovation menuiserie-atlantique.csv peinture-erdre.csv --naf-a 43.32A --naf-b 43.34Z --suppression $C/opposition-2026.txt \
    --supplier-a-name "Menuiserie Atlantique SARL" --supplier-a-siren 812345676 \
    --supplier-b-name "Peinture de l'Erdre SAS" --supplier-b-siren 439876129 --deal-id del_FIXTURERENOV01
release consentement auto-ecole-confluence-sellsy.csv velos-saone-newsletter.csv \
    --supplier-a-name "Auto-École Confluence SAS" --supplier-a-siren 790345128 \
    --supplier-b-name "Vélos de la Saône SARL" --deal-id del_FIXTURECONSENT1
