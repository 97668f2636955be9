#!/usr/bin/env bash
# Builds the Debian package of Troc with dpkg-deb: trocd and troc compiled in release mode with the Swift runtime
# linked in (the machine needs no Swift, only libc, libsqlite3 and libssl3, which the package depends on), their man
# pages generated from the commands' own help, the systemd units, the default configuration, the proxy and
# monitoring configurations, the restore drill and the maintainer scripts. Prints the package's path.
#
# Usage: Deploy/debian/build-package.sh [--output DIR] [--skip-build | --build-only] [--debug]
#   --output DIR   where to write troc_<version>_<arch>.deb (default .build-release/debian, .build/debian with --debug)
#   --skip-build   package the binaries already built (after a first run)
#   --build-only   build the binaries and the man page tool, package nothing
#   --debug        package the debug build in .build instead, linked the same way (static Swift runtime, full RELRO):
#                  CI checks the package from the build its tests ran rather than compile the whole stack a second
#                  time in release mode (Deploy/check.sh --debug); a package for a machine is built without it. It
#                  is meant for CI's throwaway clone: SwiftPM may leave modules of .build compiled for the static
#                  runtime, and a later plain `swift build` in the same tree then fails to link (cannot find
#                  -lCoreFoundation) until those modules' directories (.build/debug/Troc*.build) are removed
# Needs: swift, dpkg-dev (dpkg-shlibdeps), binutils (strip).
set -euo pipefail
umask 022

repository=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$repository/.build-release
configuration=release
output=""
build=yes
while [ $# -gt 0 ]; do
    case "$1" in
    --output)
        output=$2
        shift 2
        ;;
    --skip-build)
        build=no
        shift
        ;;
    --build-only)
        build=only
        shift
        ;;
    --debug)
        scratch=$repository/.build
        configuration=debug
        shift
        ;;
    *)
        echo "build-package.sh: unknown argument $1 (see the comment at the top of this script)" >&2
        exit 1
        ;;
    esac
done
output=${output:-$scratch/debian}
deploy=$repository/Deploy
cd "$repository"

# 1. Release binaries (debug ones with --debug), the Swift runtime inside; full RELRO as Debian's hardening expects.
build_flags=(-c "$configuration" --static-swift-stdlib --scratch-path "$scratch" -Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now)
if [ "$configuration" = debug ]; then
    # The debug build was compiled for the shared runtime, and SwiftPM does not always recompile it for the static one:
    # modules it keeps then ask the linker for the shared Foundation libraries' names alone, without the static
    # archives those depend on (ICU, CoreFoundation), and in the order the linker meets them. Naming the static
    # Foundation archives as one group resolves them whatever the order; a release build is compiled static throughout.
    build_flags+=(-Xlinker --start-group)
    for library in Foundation FoundationInternationalization _FoundationICU FoundationEssentials CoreFoundation _FoundationCShims \
        _FoundationCollections FoundationNetworking FoundationXML; do
        build_flags+=(-Xlinker "-l$library")
    done
    build_flags+=(-Xlinker --end-group)
fi
# The man pages' tool (step 5) is swift-argument-parser's generate-manual, built from the release build's checkout.
manual_tool_scratch=$scratch/generate-manual
manual_tool_build=(--package-path "$scratch/checkouts/swift-argument-parser" --scratch-path "$manual_tool_scratch")
if [ "$build" != no ]; then
    swift build "${build_flags[@]}" --product trocd
    swift build "${build_flags[@]}" --product troc
    swift build "${manual_tool_build[@]}" --product generate-manual >/dev/null
fi
if [ "$build" = only ]; then exit 0; fi
bin=$(swift build "${build_flags[@]}" --show-bin-path)

# 2. One version everywhere: the commands' and the changelog's first entry.
version=$("$bin/trocd" --version)
changelog_version=$(sed -n '1s/^troc (\([^)]*\)).*/\1/p' "$deploy/debian/changelog")
if [ "$version" != "$changelog_version" ]; then
    echo "build-package.sh: trocd --version says $version but Deploy/debian/changelog starts with $changelog_version;" \
        "add a changelog entry for $version" >&2
    exit 1
fi
arch=$(dpkg --print-architecture)
# Reproducible: every date in the package is the changelog's.
SOURCE_DATE_EPOCH=$(date -d "$(sed -n 's/^ -- .*>  //p' "$deploy/debian/changelog" | head -1)" +%s)
export SOURCE_DATE_EPOCH

root=$output/root
rm -rf "$root"
mkdir -p "$root/DEBIAN"

# 3. Files. The real executables live in /usr/lib/troc beside trocd's resource bundle (the OpenAPI document, found
# next to the executable), with links in /usr/bin.
install -D -m 0755 "$bin/trocd" "$root/usr/lib/troc/trocd"
install -D -m 0755 "$bin/troc" "$root/usr/lib/troc/troc"
strip --remove-section=.comment --remove-section=.note "$root/usr/lib/troc/trocd" "$root/usr/lib/troc/troc"
cp -R "$bin/troc_TrocServer.resources" "$root/usr/lib/troc/"
install -D -m 0755 "$deploy/restore-drill.sh" "$root/usr/lib/troc/restore-drill"
mkdir -p "$root/usr/bin"
ln -s ../lib/troc/trocd "$root/usr/bin/trocd"
ln -s ../lib/troc/troc "$root/usr/bin/troc"
install -D -m 0755 "$deploy/debian/trocd-admin" "$root/usr/sbin/trocd-admin"
for unit in trocd.service trocd@.service trocd-backup.service trocd-backup.timer; do
    install -D -m 0644 "$deploy/systemd/$unit" "$root/lib/systemd/system/$unit"
done
install -D -m 0644 "$deploy/debian/trocd.conf" "$root/etc/troc/trocd.conf"
install -D -m 0644 "$deploy/debian/trocd-cluster.conf" "$root/etc/troc/trocd-cluster.conf"
install -D -m 0644 "$deploy/nginx/troc.conf" "$root/usr/share/troc/nginx/troc.conf"
install -D -m 0644 "$deploy/nginx/troc-cluster-upstream.conf" "$root/usr/share/troc/nginx/troc-cluster-upstream.conf"
install -D -m 0644 "$deploy/caddy/Caddyfile" "$root/usr/share/troc/caddy/Caddyfile"
install -D -m 0644 "$deploy/debian/lintian-overrides" "$root/usr/share/lintian/overrides/troc"
for file in "$deploy"/prometheus/*.yml; do
    install -D -m 0644 "$file" "$root/usr/share/troc/prometheus/$(basename "$file")"
done

# 4. Documentation: the operations guide, the changelog, the copyright with every package linked into the binaries.
doc=$root/usr/share/doc/troc
install -D -m 0644 "$deploy/README.md" "$doc/README.Deploy.md"
gzip -9n <"$deploy/debian/changelog" >"$doc/changelog.gz"
bundled=$(
    # Every pinned package (Package.resolved, which the release build used), with the license its checkout carries.
    awk -F'"' '/"identity"/ { identity = $4 } /"location"/ { location = $4 } /"version"/ { print identity, location, $4 }' \
        "$repository/Package.resolved" |
        while read -r identity location revision; do
            # Test-only packages are not in the binaries.
            case "$identity" in yams | swift-property-based) continue ;; esac
            checkout=$(find "$scratch/checkouts" -mindepth 1 -maxdepth 1 -iname "$identity" | head -1)
            license_file=$(find "$checkout" -maxdepth 1 -iname 'LICENSE*' | head -1)
            if grep -q "Apache License" "$license_file"; then
                license=Apache-2.0
            elif grep -q "Permission is hereby granted, free of charge" "$license_file"; then
                license=Expat
            else
                echo "build-package.sh: cannot tell the license of $identity ($license_file): add it to copyright.in" >&2
                exit 1
            fi
            echo " - ${location%.git} $revision ($license)"
        done
)
awk -v bundled="$bundled" '{ if ($0 == "@BUNDLED@") print bundled; else print }' "$deploy/debian/copyright.in" >"$doc/copyright"
chmod 0644 "$doc/copyright"

# 5. Man pages, generated from the commands' own help by swift-argument-parser's generate-manual (the tool behind its
# generate-manual plugin, run here on the release binaries so that the pages describe exactly what is packaged).
swift build "${manual_tool_build[@]}" --product generate-manual >/dev/null
manual_tool=$(swift build "${manual_tool_build[@]}" --show-bin-path)/generate-manual
pages=$output/man
rm -rf "$pages"
mkdir -p "$pages"
manual_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
for command in trocd troc; do
    "$manual_tool" "$bin/$command" --multi-page --section 1 --date "$manual_date" \
        --authors "Troc maintainers<maintainers@troc.example>" --output-directory "$pages"
done
# A subcommand's page is named like its file (trocd.serve) in NAME, so that whatis and `man trocd.serve` find it, while its
# synopsis keeps the command as typed ("trocd serve"); descriptions lose the quotes around them.
for page in "$pages"/*.1; do
    name=$(sed -n 's/^\.Nm "\(.*\)"$/\1/p' "$page" | head -1)
    if [ -n "$name" ]; then
        sed -i -e "0,/^\.Nm \"$name\"\$/s//.Nm ${name// /.}/" -e "s/^\.Nm\$/.Nm \"$name\"/" "$page"
    fi
    sed -i 's/^\.Nd "\(.*\)"$/.Nd \1/' "$page"
done
install -D -m 0644 "$deploy/debian/trocd-admin.8" "$pages/trocd-admin.8"
for page in "$pages"/*.[18]; do
    name=$(basename "$page")
    section=${name##*.}
    mkdir -p "$root/usr/share/man/man$section"
    gzip -9n -c "$page" >"$root/usr/share/man/man$section/$name.gz"
done

# 6. Control files. Depends come from the libraries the binaries load, as dpkg-shlibdeps finds them.
for script in preinst postinst prerm postrm; do
    install -m 0755 "$deploy/debian/$script" "$root/DEBIAN/$script"
done
printf '/etc/troc/trocd.conf\n/etc/troc/trocd-cluster.conf\n' >"$root/DEBIAN/conffiles"
shlibs_workspace=$(mktemp -d)
trap 'rm -rf "$shlibs_workspace"' EXIT
mkdir -p "$shlibs_workspace/debian"
printf 'Source: troc\nMaintainer: Troc maintainers <maintainers@troc.example>\n\nPackage: troc\nArchitecture: any\n' \
    >"$shlibs_workspace/debian/control"
depends=$(cd "$shlibs_workspace" && dpkg-shlibdeps -O -e"$root/usr/lib/troc/trocd" -e"$root/usr/lib/troc/troc" | sed -n 's/^shlibs:Depends=//p')
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    "$deploy/debian/control.in" >"$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"
find "$root" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

package=$output/troc_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$package" >/dev/null
echo "$package"
