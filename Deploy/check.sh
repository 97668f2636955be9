#!/usr/bin/env bash
# Checks what Deploy/ ships beyond what the Swift tests run (those start nginx, Caddy, the backup and the restore
# drill): the Debian package builds and lintian finds no error, its files extract and run on their own, the systemd
# units verify and are confined (exposure at most 2.0), the Prometheus configuration and alert rules load and their
# unit tests pass, the Caddyfile validates, and the shell scripts pass shellcheck. CI runs it after the tests.
#
# Usage: Deploy/check.sh [--skip-build] [--debug]
#   --skip-build   package the binaries already built (by Deploy/debian/build-package.sh --build-only)
#   --debug        package the debug build in .build (after `swift build`), relinked as the package links: what CI does,
#                  so that it compiles the stack once; without it, the release build in .build-release (see
#                  Deploy/debian/build-package.sh before using --debug in a working tree)
# Needs: swift, dpkg-dev, lintian, systemd (systemd-analyze), prometheus (promtool), caddy, shellcheck, curl.
set -euo pipefail

repository=$(cd "$(dirname "$0")/.." && pwd)
deploy=$repository/Deploy
configuration=release
scratch=$repository/.build-release
for argument in "$@"; do
    case "$argument" in
    --debug)
        configuration=debug
        scratch=$repository/.build
        ;;
    --skip-build) ;;
    *)
        echo "check.sh: unknown argument $argument (see the comment at the top of this script)" >&2
        exit 1
        ;;
    esac
done
work=$(mktemp -d)
server=""
hidden=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server" || true; fi
    if [ -n "$hidden" ] && [ -e "$hidden.hidden" ]; then mv "$hidden.hidden" "$hidden"; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Runs one named step, printing how long it took (CI budgets its time from these lines).
step() {
    local name=$1
    shift
    local start=$SECONDS
    echo "== $name"
    "$@"
    echo "== $name: ok in $((SECONDS - start)) s"
}

shell_scripts() {
    shellcheck "$deploy/check.sh" "$deploy/restore-drill.sh" "$deploy/debian/build-package.sh"
    shellcheck -s sh "$deploy/debian/trocd-admin" "$deploy/debian/preinst" "$deploy/debian/postinst" "$deploy/debian/prerm" \
        "$deploy/debian/postrm"
}

package=""
build_package() {
    package=$("$deploy/debian/build-package.sh" "$@" | tail -1)
    echo "built $package ($(du -h "$package" | cut -f1))"
}

run_lintian() {
    # Errors fail the build; warnings and informational tags are printed for the record (README.Deploy.md lists them).
    lintian --fail-on error --display-info "$package"
}

extracted_files() {
    local root=$work/root
    dpkg-deb -x "$package" "$root"
    local version
    version=$(dpkg-deb -f "$package" Version)
    [ "$("$root/usr/bin/trocd" --version)" = "$version" ] || { echo "trocd --version is not $version" >&2 && return 1; }
    [ "$("$root/usr/bin/troc" --version)" = "$version" ] || { echo "troc --version is not $version" >&2 && return 1; }
    echo "libraries loaded by trocd (the package depends on $(dpkg-deb -f "$package" Depends)):"
    ldd "$root/usr/lib/troc/trocd" | sed 's/^/  /'

    # The packaged daemon on its own: its OpenAPI document must come from the resource bundle beside it, so the one
    # in the build directory is hidden while it runs (cleanup puts it back).
    local bin
    bin=$(cd "$repository" && swift build -c "$configuration" --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)
    hidden=$bin/troc_TrocServer.resources
    mv "$hidden" "$hidden.hidden"
    # The log exists before the daemon does: the background shell opens it when it gets to run, and reading a file not
    # yet there would end this script (set -e) on a busy machine.
    : >"$work/trocd.log"
    (cd "$work" && exec "$root/usr/bin/trocd" serve --http --dev --port 0 --data "$work/data" --master-key-file "$work/master.key" \
        >"$work/trocd.log" 2>&1) &
    server=$!
    local url=""
    for _ in $(seq 1 300); do
        url=$(sed -n 's/^Troc broker listening on //p' "$work/trocd.log")
        if [ -n "$url" ] || ! kill -0 "$server" 2>/dev/null; then break; fi
        sleep 0.1
    done
    [ -n "$url" ] || { cat "$work/trocd.log" >&2 && return 1; }
    curl --silent --show-error --fail "$url/healthz" >/dev/null
    curl --silent --show-error --fail --output "$work/openapi.yaml" "$url/v1/openapi.yaml"
    grep -q '^openapi: 3.1' "$work/openapi.yaml"
    kill -TERM "$server"
    wait "$server"
    server=""
    mv "$hidden.hidden" "$hidden"
    hidden=""
    echo "the packaged trocd served $url/healthz and its OpenAPI document, then stopped cleanly"
}

systemd_units() {
    local root=$work/root
    # systemd-analyze verify loads the units as systemd would, from the package's files; the targets they refer to
    # come from this machine.
    mkdir -p "$root/lib/systemd/system"
    for target in basic.target sysinit.target shutdown.target multi-user.target timers.target network.target network-online.target sockets.target \
        paths.target slices.target local-fs.target swap.target rescue.target emergency.target; do
        if [ -e "/lib/systemd/system/$target" ]; then cp -n "/lib/systemd/system/$target" "$root/lib/systemd/system/"; fi
    done
    # Clean means silent: an unknown or misspelt setting is only a warning to systemd, but a failure here.
    local findings
    findings=$(MANPATH=$root/usr/share/man systemd-analyze verify --root="$root" trocd.service trocd@8081.service trocd-backup.service \
        trocd-backup.timer 2>&1) ||
        { echo "$findings" >&2 && return 1; }
    [ -z "$findings" ] || { echo "$findings" >&2 && return 1; }
    echo "systemd-analyze verify: no finding"
    for unit in trocd.service trocd@8081.service trocd-backup.service; do
        # --threshold counts tenths: 20 is an exposure of 2.0.
        systemd-analyze security --offline=true --root="$root" --threshold=20 --no-pager "$unit" | tail -1
    done
}

prometheus_rules() {
    promtool check config "$deploy/prometheus/prometheus.yml"
    (cd "$deploy/prometheus" && promtool test rules troc-alerts.test.yml)
}

caddy_configuration() {
    HOME=$work XDG_DATA_HOME=$work XDG_CONFIG_HOME=$work caddy validate --config "$deploy/caddy/Caddyfile" --adapter caddyfile 2>&1 | tail -1
}

total=$SECONDS
step "shellcheck" shell_scripts
step "package build ($configuration, static Swift runtime)" build_package "$@"
step "lintian" run_lintian
step "extracted package runs" extracted_files
step "systemd units" systemd_units
step "prometheus" prometheus_rules
step "caddy" caddy_configuration
echo "== Deploy checks passed in $((SECONDS - total)) s"
