#!/bin/sh
# web_core.sh - the web's files call each other downwards only: among src/html.c
# and src/web_*.c, no file calls a function of a file that (directly or not)
# calls back. A page group split over a *_int.h (web_results*.c over
# web_results_int.h, ...) counts as one file. The order, bottom up, is in
# docs/architecture.md ("The web core"); a cycle is named with the functions
# that make it, so the fix is to move the piece that closes it down or up.
cd "$(dirname "$0")/.." || exit 1
python3 - src/html.c src/web_*.c <<'PY'
import re, sys
files = sys.argv[1:]
groups = [re.match(r'src/(web_[a-z0-9_]+)_int\.h$', h).group(1)
          for h in __import__('glob').glob('src/web_*_int.h')]
def node(f):
    base = f[4:-2]
    for g in groups:
        if base == g or base.startswith(g + '_'):
            return g
    return base
defined, words = {}, {}
for f in files:
    text = open(f, encoding='utf-8').read()
    code = re.sub(r'/\*.*?\*/|"(?:\\.|[^"\\])*"', ' ', text, flags=re.S)
    names = set(re.findall(r'^[a-z_][a-z0-9_ *]*?\b([a-z_][a-z0-9_]*)\([^;{]*?\)\s*\n\{', code, flags=re.M))
    names -= set(re.findall(r'^static [^\n(]*?\b([a-z_][a-z0-9_]*)\(', code, flags=re.M))
    defined.setdefault(node(f), set()).update(names)
    words.setdefault(node(f), set()).update(re.findall(r'[a-z_][a-z0-9_]*', code))
edges = {}
for a in defined:
    for b in defined:
        if a != b:
            used = sorted(defined[b] & words[a])
            if used:
                edges.setdefault(a, {})[b] = used
index, low, stack, on, cycles, n = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, {}):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            cycles.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(defined):
    if v not in index:
        visit(v)
if not cycles:
    print("ok - the %d web files (page groups as one) call each other downwards only" % len(defined))
else:
    print("not ok - web files call each other in a circle:")
    for comp in cycles:
        for a in comp:
            for b, used in sorted(edges.get(a, {}).items()):
                if b in comp:
                    print("#   %s.c -> %s.c: %s" % (a, b, ", ".join(used)))
PY
