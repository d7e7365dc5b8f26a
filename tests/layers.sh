#!/bin/sh
# layers.sh - the include rule of docs/architecture.md: a file of src/ includes
# only headers of its own layer or of a layer below it, so that the engine never
# knows the store, the store never knows a face, and the web never knows the
# command line. Prints one TAP-style line per layer and names every include that
# goes upward (files whose name is in no layer are listed, not failed). Run
# from the repository root.
set -u

# The layer of a file of src/ by its name, lowest first (docs/architecture.md).
layer_of() {
    case $1 in
        err.*|buf.*|text.*|json.*|xalloc.*|account.*|uuid.*|smtp.*) echo 0 ;;
        catalog.*|policy.*|assessment.*|assessment_json*|assessment_specs.*|rules.*|demo_data.*|ipa.*) echo 1 ;;
        engine.*|engine_*|explain.*|plan.*) echo 2 ;;
        store.*|store_*) echo 3 ;;
        csv.*|import.*|import_*|accounts.*|export.*|report_*|results.*|results_*|portfolio.*|plans.*|training.*|catalog_exchange.*|orgcols.*|orgcols_*|review.*|review_*|targets.*|notify.*|notify_*) echo 4 ;;
        web.*|web_*|html.*|html_*|svg.*|svg_*) echo 5 ;;
        cli.*|cli_*|main.*) echo 6 ;;
        *) echo "?" ;;
    esac
}
names="base domain engine store reports web cli"

bad=$(mktemp); trap 'rm -f "$bad"' EXIT
for f in src/*.c src/*.h; do
    [ -f "$f" ] || continue
    from=$(layer_of "$(basename "$f")")
    if [ "$from" = "?" ]; then
        echo "$f: not in any layer (add it to tests/layers.sh and docs/architecture.md)" >>"$bad.0"
        continue
    fi
    grep -n '^#include "[^"]*"' "$f" | while IFS= read -r line; do
        h=$(echo "$line" | sed 's/.*#include "\([^"]*\)".*/\1/')
        case $h in */*) continue ;; esac          # generated files under build/
        [ -f "src/$h" ] || continue
        to=$(layer_of "$h")
        [ "$to" = "?" ] && continue               # reported as a file of its own
        if [ "$to" -gt "$from" ]; then
            echo "$from $f:${line%%:*}: includes $h, a layer above" >>"$bad"
        fi
    done
done

i=0
for n in $names; do
    if grep -q "^$i " "$bad"; then
        echo "not ok - the $n layer includes nothing above it"
        sed -n "s/^$i /#   /p" "$bad"
    else
        echo "ok - the $n layer includes nothing above it"
    fi
    i=$((i + 1))
done
# A file whose name says no layer is not checked yet: named, not failed, so that
# a new module lands and is placed in the table (here and in the document).
[ -s "$bad.0" ] && sed 's/^/# /' "$bad.0"
rm -f "$bad.0"
