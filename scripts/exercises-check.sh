#!/usr/bin/env bash
# make exercises-check [ONE=ID]: the exercises work for a learner (issue #9).
#
# On a scratch copy of the tree (the working tree itself is never touched; `--in-place` works
# in the tree itself and reuses its build — for CI, whose fresh clone is already a scratch copy,
# and only on a tree without uncommitted changes):
#   1. `exercise start --all`, one release build, one full test run. Required: the build
#      succeeds, the test process completes (the final "Test run with …" line, no crash),
#      every exercise's own suite fails, every other failing suite is listed in EXERCISES.md
#      as depending on some exercise, and no failure floods (≤ 64 issues per test case,
#      ≤ 2,000 characters per message).
#   2. `exercise reset --all`: git sees no change — every solution came back byte for byte.
#   3. One exercise alone (ID, default 8b): build, run every test. Required: its own suite
#      fails, and every other failing suite is one EXERCISES.md lists as depending on it.
#   4. Reset: git sees no change.
#
# `exercises-check.sh --measure [ID…]` (default: every exercise) measures instead of checking:
# on a scratch copy, for each ID alone, blank → build → run every test → reset, and print
# "ID: failing suites…" — the `dependents` the catalogue (Sources/exercise/) lists.
# Failing suites are read from Swift Testing's xUnit report, not from the console.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
in_place=0
measure=0
if [ "${1:-}" = "--in-place" ]; then in_place=1; shift; fi
if [ "${1:-}" = "--measure" ]; then measure=1; shift; fi
one=${1:-8b}
flags=(-c release -Xswiftc -enable-testing)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lowbit-exercises.XXXXXX")
logs=$(mktemp -d "${TMPDIR:-/tmp}/lowbit-exercises-logs.XXXXXX")   # outside the checked tree
trap 'rm -rf "$scratch" "$logs"' EXIT

if [ "$in_place" -eq 1 ]; then
    cd "$root"
    if [ -n "$(git status --porcelain)" ]; then
        echo "error: --in-place needs a tree without uncommitted changes"; exit 1
    fi
    echo "== exercises-check in place in $root (one exercise alone: $one)"
else
    echo "== exercises-check on a scratch copy in $scratch (one exercise alone: $one)"
    # Tracked and untracked-but-not-ignored files: the tree as it is, without .build or .exercises.
    git -C "$root" ls-files -z --cached --others --exclude-standard |
        (cd "$root" && tar --null -T - -cf -) | tar -C "$scratch" -xf -
    cd "$scratch"
    git init -q && git add -A && git -c user.name=check -c user.email=check@localhost commit -qm tree
fi
swift build "${flags[@]}" --product exercise -q
exercise=.build/release/exercise
# Whatever happens below, a tree checked in place gets its solutions back.
if [ "$in_place" -eq 1 ]; then trap '$exercise reset --all > /dev/null 2>&1 || true; rm -rf "$scratch" "$logs"' EXIT; fi
$exercise lint

# Runs the whole test suite; prints the failing suites' names, one per line, to $1.
run_tests() {
    local log=$1.log
    swift build "${flags[@]}" --build-tests -q > "$1.build" 2>&1 || {
        echo "error: the package does not build:"; grep -m 10 "error:" "$1.build"; exit 1; }
    set +e
    rm -f "$1-swift-testing.xml"
    swift test "${flags[@]}" --skip-build --xunit-output "$1.xml" > "$log" 2>&1 < /dev/null
    local status=$?
    set -e
    if ! grep -aq "Test run with .* tests" "$log" || [ "$status" -gt 1 ] \
        || [ ! -s "$1-swift-testing.xml" ]; then
        echo "error: the test process did not complete (exit $status); last lines:"; tail -5 "$log"; exit 1
    fi
    # A failing test case is a <testcase classname="Target.Suite" …> holding a <failure>.
    awk '/<testcase /{ match($0, /classname="[^"]*"/); c = substr($0, RSTART + 11, RLENGTH - 12)
                       sub(/^[^.]*\./, "", c); sub(/\/.*/, "", c) }
         /<failure/ { print c }' "$1-swift-testing.xml" | sort -u > "$1"
    # Failures must talk, not flood: per test case at most $max_issues recorded issues, each
    # message at most $max_message characters (a count and the first few mismatches).
    awk -v n="$max_issues" -v len="$max_message" '
        /<testcase / { match($0, /classname="[^"]*" name="[^"]*"/); t = substr($0, RSTART, RLENGTH); k = 0 }
        /<failure/   { k++; if (k == n + 1) print "more than " n " issues: " t
                       m = $0; sub(/.*message="/, "", m); sub(/".*/, "", m)
                       if (length(m) > len) print length(m) " characters in one message: " t }
    ' "$1-swift-testing.xml" | sort -u > "$1.floods"
}
max_issues=64
max_message=2000

require_clean() {
    if [ -n "$(git status --porcelain)" ]; then
        echo "error: reset did not restore the tree byte for byte:"; git status --short | head; exit 1
    fi
}

if [ "$measure" -eq 1 ]; then
    ids=("$@"); [ "${#ids[@]}" -gt 0 ] || read -r -a ids <<< "$($exercise list --ids)"
    for id in "${ids[@]}"; do
        $exercise start "$id" > /dev/null
        run_tests "$logs/m"
        echo "$id: $(tr '\n' ' ' < "$logs/m")"
        [ -s "$logs/m.floods" ] && sed "s/^/   flood with $id blanked: /" "$logs/m.floods"
        $exercise reset "$id" > /dev/null
        require_clean
    done
    exit 0
fi

echo "== 1. every exercise blanked"
$exercise start --all > /dev/null
run_tests "$logs/all"
missing=0
for suite in $($exercise list --suites); do
    if ! grep -qx "$suite" "$logs/all"; then echo "error: $suite passes with every exercise blanked"; missing=1; fi
done
[ "$missing" -eq 0 ] || exit 1
if [ -s "$logs/all.floods" ]; then echo "error: failures that flood:"; cat "$logs/all.floods"; exit 1; fi
# Every suite that fails with everything blanked must be some exercise's own suite or listed
# as depending on one (a new test that calls exercised code and is listed nowhere fails here).
for id in $($exercise list --ids); do $exercise list --suites --allowed-failures "$id"; done | sort -u > "$logs/listed"
unlisted=$(comm -23 "$logs/all" "$logs/listed")
if [ -n "$unlisted" ]; then
    echo "error: these suites fail with every exercise blanked but EXERCISES.md lists them under no exercise:"
    echo "$unlisted"; exit 1
fi
echo "   build ok, test run completed, all $($exercise list --suites | wc -l) exercise suites fail," \
    "every other failing suite is listed as a dependent, no failure floods"

echo "== 2. reset --all"
$exercise reset --all > /dev/null
require_clean
echo "   tree restored byte for byte"

echo "== 3. exercise $one alone"
$exercise start "$one" > /dev/null
run_tests "$logs/one"
allowed=$($exercise list --suites --allowed-failures "$one")
own=$($exercise list --suites --only "$one")
grep -qx "$own" "$logs/one" || { echo "error: $own passes with exercise $one blanked"; exit 1; }
unexpected=0
while read -r suite; do
    [ -z "$suite" ] && continue
    if ! grep -qx "$suite" <<< "$allowed"; then echo "error: $suite fails with $one blanked, but EXERCISES.md does not list it"; unexpected=1; fi
done < "$logs/one"
[ "$unexpected" -eq 0 ] || exit 1
echo "   failing: $(tr '\n' ' ' < "$logs/one")— all listed"

echo "== 4. reset"
$exercise reset "$one" > /dev/null
require_clean
echo "exercises-check passed"
