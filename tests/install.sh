#!/bin/sh
# install.sh - `make install` as a Debian administrator runs it: with DESTDIR and
# PREFIX=/usr the binary, the manual page and the systemd unit land where Debian
# keeps them; the installed binary runs; `man -l` renders itss(1) with every
# command of `itss --help`; the unit runs the installed binary as the system user
# itss with the database under /var/lib/itss and the usual hardening; an existing
# /etc/default/itss is kept; make uninstall removes what was installed. Run from
# the repository root with ITSS_BIN set; TAP-style "ok - ..." lines.
. "$(dirname "$0")/lib.sh"

# The build directory of the binary under test (build for ./itss, else its own).
bindir=$(cd "$(dirname "$ITSS_BIN")" && pwd)
if [ "$bindir" = "$(pwd)" ]; then build=build; else build=$(basename "$bindir"); fi
mk() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s BUILD="$build" "$@"; }

D=$T/root
if mk install DESTDIR="$D" PREFIX=/usr >"$T/out" 2>&1; then pass "make install DESTDIR PREFIX=/usr exits 0"
else fail "make install DESTDIR PREFIX=/usr exits 0"; sed 's/^/# /' "$T/out"; exit 1; fi

check "the binary is /usr/bin/itss, executable" test -x "$D/usr/bin/itss"
check "the installed binary runs (itss --version)" sh -c "'$D/usr/bin/itss' --version | grep -q '^itss '"
check "the manual page is /usr/share/man/man1/itss.1.gz" test -s "$D/usr/share/man/man1/itss.1.gz"
check "the unit is /usr/lib/systemd/system/itss.service" test -s "$D/usr/lib/systemd/system/itss.service"
check "the service's options are /etc/default/itss" test -s "$D/etc/default/itss"

if command -v man >/dev/null 2>&1; then
    LC_ALL=C.UTF-8 MANWIDTH=100 man -l "$D/usr/share/man/man1/itss.1.gz" >"$T/man.txt" 2>"$T/man.err"
    check "man -l renders itss(1) without warnings" sh -c "[ -s '$T/man.txt' ] && [ ! -s '$T/man.err' ]"
    check "itss(1) has NAME, SYNOPSIS, COMMANDS, ENVIRONMENT and EXIT STATUS" sh -c \
        "for s in NAME SYNOPSIS COMMANDS ENVIRONMENT 'EXIT STATUS'; do grep -q \"^\$s\" '$T/man.txt' || exit 1; done"
    # Every command `itss --help` lists has its section, with its own help text.
    "$ITSS_BIN" --help | sed -n '/^commands:/,/^$/p' | awk 'NF && !/^commands:/ { print $1 }' | grep -v '^help$' >"$T/cmds"
    missing=""
    while read -r c; do grep -q "^   itss $c\$" "$T/man.txt" || missing="$missing $c"; done <"$T/cmds"
    check "itss(1) has a section for each of the $(wc -l <"$T/cmds") commands of itss --help${missing:+ (missing:$missing)}" \
        test -z "$missing"
    check "itss(1) quotes the commands' help texts (itss serve's --trusted-proxy)" grep -q -- '--trusted-proxy CIDR' "$T/man.txt"
else
    echo "ok - man -l renders itss(1) # SKIP man is not installed (apt-get install man-db)"
fi

U=$D/usr/lib/systemd/system/itss.service
check "the unit starts the installed binary" grep -q '^ExecStart=/usr/bin/itss serve ' "$U"
check "the unit creates or migrates the schema first (itss init)" grep -q '^ExecStartPre=/usr/bin/itss init ' "$U"
check "the unit runs as the system user itss" grep -q '^User=itss$' "$U"
check "the database is under /var/lib/itss (StateDirectory)" sh -c "grep -q '^StateDirectory=itss\$' '$U' && grep -q '^Environment=ITSS_DB=/var/lib/itss/itss.db\$' '$U'"
for h in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes; do
    check "the unit is hardened: $h" grep -q "^$h\$" "$U"
done
if command -v systemd-analyze >/dev/null 2>&1; then
    # verify resolves ExecStart against the real file system: point it at ours.
    sed "s|/usr/bin/itss|$D/usr/bin/itss|g" "$U" >"$T/itss.service"
    check "systemd-analyze verify accepts the unit" sh -c "MANPATH='$D/usr/share/man' systemd-analyze verify '$T/itss.service' >'$T/verify' 2>&1 || { cat '$T/verify' >&2; exit 1; }"
else
    echo "ok - systemd-analyze verify accepts the unit # SKIP systemd-analyze is not installed (apt-get install systemd)"
fi

echo "ITSS_LISTEN=127.0.0.1:9999 # the administrator's" >"$D/etc/default/itss"
mk install DESTDIR="$D" PREFIX=/usr >"$T/out2" 2>&1
check "a second make install keeps the administrator's /etc/default/itss" grep -q "the administrator's" "$D/etc/default/itss"

mk uninstall DESTDIR="$D" PREFIX=/usr >"$T/out3" 2>&1
check "make uninstall removes the binary, the page and the unit" sh -c \
    "[ ! -e '$D/usr/bin/itss' ] && [ ! -e '$D/usr/share/man/man1/itss.1.gz' ] && [ ! -e '$U' ]"
check "make uninstall keeps /etc/default/itss" test -e "$D/etc/default/itss"

# PREFIX defaults to /usr/local.
mk install DESTDIR="$T/local" >"$T/out4" 2>&1
check "without PREFIX everything goes under /usr/local" sh -c \
    "[ -x '$T/local/usr/local/bin/itss' ] && grep -q '^ExecStart=/usr/local/bin/itss serve ' '$T/local/usr/local/lib/systemd/system/itss.service'"
