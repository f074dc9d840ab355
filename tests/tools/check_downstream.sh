#!/bin/sh
# check_downstream.sh - evgen as another project uses it, once installed.
#
# Installs evgen with `make install DESTDIR=... PREFIX=/opt/evgen`, then moves
# the staged tree elsewhere, as a package unpacked in another place, and
# builds copies of examples/downstream/ outside the source tree:
#   make    through the installed share/evgen/evgen.mk
#   cmake   through find_package(evgen) and evgen_generate(), with the
#           "Unix Makefiles" generator and, when ninja is there, Ninja
# Each build must:
#   1. build from scratch, and the program print expected.out;
#   2. do nothing the second time: no compiler call, no evgen run;
#   3. compile nothing after the catalog is touched but not changed (evgen
#      may run once), and do nothing the time after;
#   4. regenerate and recompile after one event changed (an optional
#      property added), the program still right, and do nothing the time after.
# The compiler is a wrapper that logs every call, so "compiles nothing" is
# counted rather than read from timestamps; evgen runs are seen in the
# commands the builds echo. One line per check; exit status 1 if any failed.
#
# Run from anywhere: sh tests/tools/check_downstream.sh
# EVGEN_INSTALL: the install command, to which DESTDIR=... PREFIX=... are
# appended (default: make -C <repository> install).
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/evgen-downstream.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
failed=0

ok() { echo "ok:   $*"; }
fail() {
    echo "FAIL: $*"
    failed=1
}
# The end of the last command's output, after a failure.
show_log() { tail -n 20 "$tmp/last.log" | sed 's/^/      /'; }

# ------------------------------------------------------------------ install
stage=$tmp/stage
prefix=$tmp/moved
if [ -n "${EVGEN_INSTALL:-}" ]; then
    # shellcheck disable=SC2086  # a command and its arguments: split on purpose
    set -- $EVGEN_INSTALL
else
    set -- make -C "$root" install
fi
if ! "$@" DESTDIR="$stage" PREFIX=/opt/evgen > "$tmp/last.log" 2>&1; then
    fail "install: $* DESTDIR=$stage PREFIX=/opt/evgen"
    show_log
    exit 1
fi
# Elsewhere than where it was installed for: only what finds its files
# relative to itself still works.
mv "$stage/opt/evgen" "$prefix"
missing=""
for f in bin/evgen bin/evdecode share/man/man1/evgen.1 share/man/man1/evdecode.1 \
         share/evgen/evgen.mk lib/cmake/evgen/evgenConfig.cmake \
         lib/cmake/evgen/evgenConfigVersion.cmake; do
    [ -f "$prefix/$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then
    fail "install layout: missing$missing"
    exit 1
elif grep -q '@EVGEN_' "$prefix"/lib/cmake/evgen/*.cmake; then
    fail "install layout: @EVGEN_...@ left unsubstituted in lib/cmake/evgen/"
    exit 1
fi
evgen_version=$("$prefix/bin/evgen" --version) || { fail "installed evgen does not run"; exit 1; }
ok "install: the seven files in place ($evgen_version), staged and moved"

# ---------------------------------------------------------------- the builds
# The compiler wrapper: one line per call in $cc_log.
real_cc=$(command -v "${CC:-cc}") || { fail "no C compiler (${CC:-cc})"; exit 1; }
cc_log=$tmp/cc.log
mkdir "$tmp/bin"
cat > "$tmp/bin/cc" <<EOF
#!/bin/sh
echo "\$*" >> "$cc_log"
exec "$real_cc" "\$@"
EOF
chmod +x "$tmp/bin/cc"

# build COMMAND...: runs one build; sets calls (compiler calls), compiles
# (of them, those that compile a source) and evgen (ran or not).
build() {
    : > "$cc_log"
    "$@" > "$tmp/last.log" 2>&1 || return 1
    calls=$(wc -l < "$cc_log" | tr -d ' ')
    compiles=$(grep -c -- ' -c ' "$cc_log")
    if grep -q 'bin/evgen -o' "$tmp/last.log"; then evgen=ran; else evgen="did not run"; fi
}

# check NAME SRC PROGRAM GENDIR BUILD_COMMAND...: the four checks for one
# way of building the copy SRC of the example.
check() {
    name=$1 src=$2 program=$3 gen=$4
    shift 4
    if build "$@" && "$program" > "$tmp/out" 2>&1 && cmp -s "$tmp/out" "$src/expected.out"; then
        ok "$name: builds from scratch ($compiles compiles) and runs as expected"
    else
        fail "$name: build from scratch, or its program's output"
        show_log
        return
    fi
    if build "$@" && [ "$calls" = 0 ] && [ "$evgen" = "did not run" ]; then
        ok "$name: a second build does nothing"
    else
        fail "$name: a second build: ${calls:-?} compiler calls, evgen $evgen"
    fi

    touch "$src/sensors.yaml"
    if build "$@" && [ "$calls" = 0 ]; then
        ok "$name: catalog touched: nothing compiled (evgen $evgen)"
    else
        fail "$name: catalog touched: ${calls:-?} compiler calls"
        show_log
    fi
    if build "$@" && [ "$calls" = 0 ] && [ "$evgen" = "did not run" ]; then
        ok "$name: and the build after that does nothing"
    else
        fail "$name: the build after touching: ${calls:-?} compiler calls, evgen $evgen"
    fi

    # A real change: sensor-offline gets an optional property.
    awk '{ print } /^ *lastSeenAt: string$/ { print "          battery: number?" }' \
        "$src/sensors.yaml" > "$tmp/changed.yaml" && cat "$tmp/changed.yaml" > "$src/sensors.yaml"
    # Only what changed is compiled again: never the runtime, which did not.
    if build "$@" && [ "$evgen" = ran ] && [ "$compiles" -gt 0 ] &&
       ! grep -Eq -- '-c [^ ]*evgen_runtime\.c( |$)' "$cc_log" &&
       grep -q 'has_battery' "$gen/events.h" &&
       "$program" > "$tmp/out" 2>&1 && cmp -s "$tmp/out" "$src/expected.out"; then
        ok "$name: one event changed: regenerated, $compiles files recompiled (not the runtime), runs as expected"
    else
        fail "$name: one event changed: evgen ${evgen:-?}, ${compiles:-?} compiles"
        show_log
    fi
    if build "$@" && [ "$calls" = 0 ] && [ "$evgen" = "did not run" ]; then
        ok "$name: and the build after that does nothing"
    else
        fail "$name: the build after the change: ${calls:-?} compiler calls, evgen $evgen"
    fi
}

# A fresh copy of the example for each build, without any in-tree build.
copy_example() {
    cp -R "$root/examples/downstream" "$tmp/$1"
    rm -rf "$tmp/$1/build"
}

# Make: evgen.mk is found from evgen's own location, as the example's
# Makefile does by default.
copy_example make-src
check "make" "$tmp/make-src" "$tmp/make-src/build/sensors_demo" "$tmp/make-src/build/gen" \
    make -C "$tmp/make-src" -j4 CC="$tmp/bin/cc" EVGEN="$prefix/bin/evgen"

# CMake: install it when it is missing and that can be done (root, apt).
need=""
command -v cmake > /dev/null 2>&1 || need="$need cmake"
command -v ninja > /dev/null 2>&1 || need="$need ninja-build"
if [ -n "$need" ] && command -v dpkg > /dev/null 2>&1; then
    # shellcheck disable=SC2086  # one argument per package
    sh "$root/mk/install-packages.sh" $need > /dev/null 2>&1
fi
if ! command -v cmake > /dev/null 2>&1; then
    echo "skip: cmake checks: cmake is not installed and could not be (apt-get install cmake)"
else
    # Generator names, with _ for the space of "Unix Makefiles".
    generators=Unix_Makefiles
    if command -v ninja > /dev/null 2>&1; then
        generators="$generators Ninja"
    else
        echo "skip: cmake with Ninja: ninja is not installed and could not be (apt-get install ninja-build)"
    fi
    for word in $generators; do
        g=$(echo "$word" | tr _ ' ')
        dir=cmake-$word
        copy_example "$dir-src"
        if ! cmake -S "$tmp/$dir-src" -B "$tmp/$dir" -G "$g" -DCMAKE_PREFIX_PATH="$prefix" \
                   -DCMAKE_C_COMPILER="$tmp/bin/cc" > "$tmp/last.log" 2>&1; then
            fail "cmake ($g): configure"
            show_log
            continue
        fi
        # The evgen of the moved installation, not one elsewhere on the system.
        found=$(sed -n 's/^EVGEN_EXECUTABLE:[A-Z]*=//p' "$tmp/$dir/CMakeCache.txt")
        if [ "$found" = "$prefix/bin/evgen" ]; then
            ok "cmake ($g): find_package(evgen) finds the moved installation's evgen"
        else
            fail "cmake ($g): find_package(evgen) found '$found', not $prefix/bin/evgen"
        fi
        check "cmake ($g)" "$tmp/$dir-src" "$tmp/$dir/sensors_demo" "$tmp/$dir/sensors_demo_evgen" \
            cmake --build "$tmp/$dir" --verbose --parallel 4
    done
fi

if [ "$failed" = 0 ]; then
    echo "check_downstream: all checks passed"
else
    echo "check_downstream: some checks failed"
fi
exit "$failed"
