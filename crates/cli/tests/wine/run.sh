#!/usr/bin/env bash
# Runs the install.cmd / rollback.cmd that `w2k8 script` generates under Wine's cmd.exe, with a stub in place of
# wusa.exe, and checks their control flow: the order of the wusa calls, the log lines, the stop at the first real
# failure with the resume message, the restart stops (planned, and wusa's 3010 inside a group), a restart already
# pending, a missing package, the architecture check, and rollback's reverse order and servicing-stack refusal; then
# isolate.cmd / undo.cmd (section 7): the dry run, isolate and undo on real registry values, the build check.
#
# The stub: W2K8_WUSA (see crates/report/src/script.rs) is set to `cmd /c <dir>\wusa.cmd`. The stub appends
# "%KB% <its arguments>" to calls.txt and exits with the code in rc-KBnnnnnnn.txt (0 when there is none). install.cmd
# and rollback.cmd set KB before each wusa call, so the stub knows which update it is asked for.
#
# Usage: crates/cli/tests/wine/run.sh   (W2K8_BIN = the w2k8 binary, built with cargo when unset;
#        WINEPREFIX = a Wine prefix, a fresh one under $TMPDIR when unset). Exits non-zero on the first failure.
#
# Known Wine differences, which the checks avoid: `%=ExitCode%` is empty under Wine, so the hex form of a failure
# code is not checked (the decimal one is); `call other.cmd` does not pass a batch file's exit code under Wine
# (hence `cmd /c` in W2K8_WUSA); Wine's `ver` says 6.0.6002 once the prefix is set to Windows Server 2008.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/w2k8-wine.XXXXXX")"
export WINEDEBUG=-all
export WINEPREFIX="${WINEPREFIX:-$tmp/prefix}"
# One wineserver for the whole run (-p: it stays up between wine calls), started once the prefix exists. Without it
# each wine call may start a server while the last one is still shutting down, a race that can make a call fail
# before cmd.exe starts. Debian installs it as /usr/bin/wineserver-stable or /usr/lib/wine/wineserver64, not on PATH.
wineserver_bin=""
for c in wineserver wineserver-stable /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver \
    /usr/lib/x86_64-linux-gnu/wine/wineserver; do
    if command -v "$c" >/dev/null 2>&1; then wineserver_bin="$(command -v "$c")"; break; fi
done
trap '[ -n "$wineserver_bin" ] && "$wineserver_bin" -k >/dev/null 2>&1; rm -rf "$tmp"' EXIT

if [ -z "${W2K8_BIN:-}" ]; then
    (cd "$root" && cargo build -q -p w2k8 --bin w2k8)
    W2K8_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/w2k8"
fi
command -v wine >/dev/null || { echo "wine not found" >&2; exit 1; }

fails=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1" >&2; fails=$((fails + 1)); }
explain() { # explain DIR: what the last run in DIR printed and logged, so that a failure in CI can be read
    local f
    for f in "$1"/out.txt "$1"/err.txt "$1"/*.log; do
        [ -s "$f" ] || continue
        echo "     --- $f" >&2
        tr -d '\r' < "$f" | head -n 40 | sed 's/^/     | /' >&2
    done
}
check() { # check NAME COMMAND... : passes when the command succeeds
    local name="$1"; shift
    if "$@"; then pass "$name"; else fail "$name"; [ -n "${d:-}" ] && [ "$fails" -le 3 ] && explain "$d"; fi
}
has() { grep -qF -- "$2" "$1"; }           # has FILE TEXT
lacks() { ! grep -qF -- "$2" "$1"; }       # lacks FILE TEXT
calls_are() { # calls_are DIR KB...: the stub's calls.txt names exactly these KBs, in this order
    local got want
    got="$(cut -d' ' -f1 "$1/calls.txt" 2>/dev/null | tr -d '\r' | tr '\n' ' ')"
    shift; want="$*"
    [ "$got" = "${want:+$want }" ] || { echo "     calls: got [$got] want [$want ]" >&2; return 1; }
}

echo "wine: $(wine --version); prefix $WINEPREFIX"
wine winecfg -v win2008 >/dev/null 2>&1 || true
[ -n "$wineserver_bin" ] || { echo "wineserver not found (looked on PATH and in /usr/lib/wine)" >&2; exit 1; }
"$wineserver_bin" -w   # the server winecfg started has saved the prefix and ended
"$wineserver_bin" -p || { echo "cannot start a persistent wineserver ($wineserver_bin -p)" >&2; exit 1; }
echo "wineserver: $wineserver_bin, persistent"
wine cmd /c ver 2>/dev/null | tr -d '\r' | grep -q "6.0.600" || { echo "wine's ver is not 6.0.600x: cannot run the scripts' build check" >&2; exit 1; }

# A systeminfo.txt of a 2008 SP2 host (the layout of w2k8_assess::generate::systeminfo_text).
systeminfo() { # systeminfo BUILD SYSTEM_TYPE KB...
    local build="$1" type="$2"; shift 2
    printf '\r\nHost Name:                 WINE-TEST\r\nOS Name:                   Microsoftr Windows Serverr 2008 Standard \r\n'
    printf 'OS Version:                6.0.%s Service Pack 2 Build %s\r\nOS Manufacturer:           Microsoft Corporation\r\n' "$build" "$build"
    printf 'OS Configuration:          Member Server\r\nOS Build Type:             Multiprocessor Free\r\nSystem Type:               %s\r\n' "$type"
    printf 'Hotfix(s):                 %s Hotfix(s) Installed.\r\n' "$#"
    local i=0
    for kb in "$@"; do i=$((i + 1)); printf '                           [%02d]: KB%s\r\n' "$i" "$kb"; done
    printf 'Network Card(s):           1 NIC(s) Installed.\r\n'
}

# A working folder with the host, the two scripts, the stub, and one empty .msu per KB of the plan.
setup() { # setup NAME BUILD SYSTEM_TYPE ESU KB...
    local d="$tmp/$1" build="$2" type="$3" esu="$4"; shift 4
    mkdir -p "$d/bundle"
    systeminfo "$build" "$type" "$@" > "$d/bundle/systeminfo.txt"
    "$W2K8_BIN" script "$d/bundle" --install --as-of 2026-06-01 --esu "$esu" > "$d/install.cmd"
    "$W2K8_BIN" script "$d/bundle" --rollback --as-of 2026-06-01 --esu "$esu" > "$d/rollback.cmd"
    printf '@echo off\r\n>>"%%~dp0calls.txt" echo %%KB%% %%*\r\nset "RC=0"\r\nif exist "%%~dp0rc-%%KB%%.txt" set /p RC=<"%%~dp0rc-%%KB%%.txt"\r\nexit /b %%RC%%\r\n' > "$d/wusa.cmd"
    for kb in $(grep -o '^call :install [0-9]*' "$d/install.cmd" | cut -d' ' -f3); do
        : > "$d/windows6.0-kb$kb-x64_0123456789abcdef.msu"
    done
    echo "$d"
}
rc() { printf '%s\r\n' "$3" > "$1/rc-KB$2.txt"; }   # rc DIR KB CODE: the stub's exit code for that KB
wine_cmd() { # wine_cmd DIR SCRIPT [ARG]: wine cmd /c in DIR, stdout to DIR/out.txt; echoes the exit code (mod 256).
    # Every script the checks run prints something; a failing run that printed nothing is Wine failing to start
    # cmd.exe (not the script): it is said on stderr and tried once more.
    local d="$1" code try; shift
    for try in 1 2; do
        code=0
        (cd "$d" && wine cmd /c "$@" > out.txt 2>err.txt) || code=$?
        if [ "$code" = 0 ] || [ -s "$d/out.txt" ]; then break; fi
        echo "     note: wine cmd /c $* in $d: exit $code with no output (try $try)" >&2
    done
    echo "$code"
}
run() { # run DIR SCRIPT [ARG]: the script under wine cmd with the wusa stub
    local d="$1"; shift
    W2K8_WUSA="cmd /c $(winepath -w "$d/wusa.cmd" 2>/dev/null)" wine_cmd "$d" "$@"
}

# ---- 1. fresh 6002, premium: SSU, SHA-2 (+restart), SSU, base rollup (+restart), ESU prep, ESU key, rollup ----
d="$(setup fresh 6002 "x64-based PC" premium)"
log="$d/w2k8-install.log"
[ "$(grep -c '^call :install ' "$d/install.cmd")" = 6 ] && pass "fresh: 6 install steps" || fail "fresh: 6 install steps"
rc "$d" 4493730 3010          # an SSU asking for a restart inside a group: logged, the script goes on
code="$(run "$d" install.cmd)"
check "fresh run 1: stops for the planned restart after KB4474419 (exit 3010)" test "$code" = "$((3010 % 256))"
check "fresh run 1: wusa called for steps 1-2 in order" calls_are "$d" KB4493730 KB4474419
check "fresh run 1: 3010 logged as restart required" has "$log" "step 1 KB4493730: installed, restart required"
check "fresh run 1: step 2 installed" has "$log" "step 2 KB4474419: installed"
check "fresh run 1: wusa command line logged" has "$log" '.msu" /quiet /norestart'
check "fresh run 1: restart message names step 3" has "$d/out.txt" 'Restart the server now, then run: '
check "fresh run 1: resume at 3" grep -q 'install.cmd" 3' "$d/out.txt"
rc "$d" 5039341 2359302       # already installed
rc "$d" 4534303 -2145124329   # not applicable
code="$(run "$d" install.cmd 3)"
check "fresh run 2: stops for the restart after the base rollup" test "$code" = "$((3010 % 256))"
check "fresh run 2: steps 3-4 called" calls_are "$d" KB4493730 KB4474419 KB5039341 KB4534303
check "fresh run 2: already installed (2359302) goes on" has "$log" "step 3 KB5039341: already installed"
check "fresh run 2: not applicable (-2145124329) goes on" has "$log" "step 4 KB4534303: not applicable to this host"
check "fresh run 2: restart required before step 5" has "$log" "restart required before step 5"
code="$(run "$d" install.cmd 5)"
check "fresh run 3: stops at the manual ESU key step (exit 4)" test "$code" = 4
check "fresh run 3: step 5 called" calls_are "$d" KB4493730 KB4474419 KB5039341 KB4534303 KB4538484
check "fresh run 3: manual step logged" has "$log" "step 6 is manual: Install and activate the ESU key"
check "fresh run 3: resume at 7" grep -q 'When it is done, run: .*install.cmd" 7' "$d/out.txt"
rc "$d" 5073697 -2147023293   # 0x80070643: a real failure
code="$(run "$d" install.cmd 7)"
check "fresh run 4: a failure stops the script (exit 1)" test "$code" = 1
check "fresh run 4: the failing code is logged" has "$log" "step 7 KB5073697: FAILED, wusa exit code -2147023293"
check "fresh run 4: resume message at the failed step" grep -q 'stopped at step 7. Fix the cause, restart if asked, then run: .*install.cmd" 7' "$log"
rm -f "$d/rc-KB5073697.txt"
code="$(run "$d" install.cmd 7)"
check "fresh run 5: the last step done, the final restart asked (exit 3010)" test "$code" = "$((3010 % 256))"
check "fresh run 5: step 7 installed" has "$log" "step 7 KB5073697: installed"
check "fresh run 5: restart to finish" has "$log" "restart required to finish"
check "fresh: bad resume step refused" test "$(run "$d" install.cmd 9)" = 2
check "fresh: bad resume step logged" has "$log" "no step 9 in this plan"

# ---- 2. rollback of that plan: reverse order, SSUs refused, 'not installed' goes on, failure stops ----
: > "$d/calls.txt"
rc "$d" 4534303 2359303       # 0x00240007 not installed
code="$(run "$d" rollback.cmd)"
rlog="$d/w2k8-rollback.log"
check "rollback: ends asking for a restart (exit 3010)" test "$code" = "$((3010 % 256))"
check "rollback: wusa /uninstall in reverse order, SSUs skipped" calls_are "$d" KB5073697 KB4538484 KB4534303 KB4474419
check "rollback: /uninstall /kb: arguments" grep -q '^KB5073697 /uninstall /kb:5073697 /quiet /norestart' "$d/calls.txt"
check "rollback: SSU KB5039341 refused with the way out" has "$rlog" "KB5039341 is a servicing stack update: it cannot be removed. To undo it, restore the backup or VM snapshot"
check "rollback: SSU KB4493730 refused" has "$rlog" "KB4493730 is a servicing stack update: it cannot be removed"
check "rollback: not installed goes on" has "$rlog" "KB4534303 was not installed - 0x00240007"
check "rollback: SHA-2 note" has "$rlog" "without KB4474419 updates released from July 2019 no longer install"
check "rollback: done" has "$rlog" "rollback done - restart the server to complete it"
: > "$d/calls.txt"; rm -f "$rlog"
rc "$d" 4538484 1603
code="$(run "$d" rollback.cmd)"
check "rollback failure: stops (exit 1)" test "$code" = 1
check "rollback failure: stops at the failing KB" calls_are "$d" KB5073697 KB4538484
check "rollback failure: message" has "$rlog" "stopped at KB4538484: remove it by hand, or restore the backup taken before install.cmd"
check "rollback failure: nothing after it" lacks "$rlog" "rollback done"

# ---- 3. a restart already pending: install.cmd refuses before any step ----
d="$(setup pending 6003 "x64-based PC" none 4530695 4531787 4474419)"
key='HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
wine reg add "$key" /f >/dev/null 2>&1
code="$(run "$d" install.cmd)"
wine reg delete "$key" /f >/dev/null 2>&1
check "pending restart: refused (exit 3010)" test "$code" = "$((3010 % 256))"
check "pending restart: no wusa call" test ! -s "$d/calls.txt"
check "pending restart: message" grep -q 'a restart is pending - Component Based Servicing RebootPending exists. Restart the server, then run: .*install.cmd" 1' "$d/w2k8-install.log"
code="$(run "$d" install.cmd)"
check "after the restart: the plan runs (SSU, rollup, then the planned restart)" calls_are "$d" KB4536953 KB4534303
check "after the restart: exit 3010 for the final restart" test "$code" = "$((3010 % 256))"
check "after the restart: restart to finish" has "$d/w2k8-install.log" "restart required to finish"

# ---- 4. a missing package stops the script at its step ----
d="$(setup missing 6003 "x64-based PC" none 4530695 4531787 4474419)"
rm -f "$d"/windows6.0-kb4534303-*.msu
code="$(run "$d" install.cmd)"
check "missing package: stops (exit 1)" test "$code" = 1
check "missing package: only the SSU was called" calls_are "$d" KB4536953
check "missing package: says what to download" has "$d/w2k8-install.log" "step 2 KB4534303: no *kb4534303*.msu next to this script - download KB4534303"

# ---- 5. another architecture: refused before any step ----
d="$(setup x86 6003 "X86-based PC" none 4530695 4531787 4474419)"
code="$(run "$d" install.cmd)"
check "wrong architecture: refused (exit 2)" test "$code" = 2
check "wrong architecture: no wusa call" test ! -s "$d/calls.txt"
check "wrong architecture: message" has "$d/w2k8-install.log" "this script is for another architecture - this machine is AMD64"

# ---- 6. Windows Server 2008 R2 SP1 (issue 17): the build check, then the R2 order ----
d="$tmp/r2"
mkdir -p "$d/bundle"
{
    printf '\r\nHost Name:                 WINE-R2\r\nOS Name:                   Microsoft Windows Server 2008 R2 Standard \r\n'
    printf 'OS Version:                6.1.7601 Service Pack 1 Build 7601\r\nOS Manufacturer:           Microsoft Corporation\r\n'
    printf 'OS Configuration:          Member Server\r\nOS Build Type:             Multiprocessor Free\r\nSystem Type:               x64-based PC\r\n'
    printf 'Hotfix(s):                 3 Hotfix(s) Installed.\r\n'
    printf '                           [01]: KB4490628\r\n                           [02]: KB4474419\r\n                           [03]: KB4530734\r\n'
    printf 'Network Card(s):           1 NIC(s) Installed.\r\n'
} > "$d/bundle/systeminfo.txt"
"$W2K8_BIN" script "$d/bundle" --install --as-of 2026-06-01 --esu none > "$d/install.cmd"
printf '@echo off\r\n>>"%%~dp0calls.txt" echo %%KB%% %%*\r\nset "RC=0"\r\nif exist "%%~dp0rc-%%KB%%.txt" set /p RC=<"%%~dp0rc-%%KB%%.txt"\r\nexit /b %%RC%%\r\n' > "$d/wusa.cmd"
for kb in $(grep -o '^call :install [0-9]*' "$d/install.cmd" | cut -d' ' -f3); do
    : > "$d/windows6.1-kb$kb-x64_0123456789abcdef.msu"
done
code="$(run "$d" install.cmd)"
check "R2 script on a 2008 machine: refused (exit 2)" test "$code" = 2
check "R2 script on a 2008 machine: no wusa call" test ! -s "$d/calls.txt"
check "R2 script on a 2008 machine: message" has "$d/w2k8-install.log" "this machine is not Windows Server 2008 R2 SP1 - build 7601 expected"
wine winecfg -v win2008r2 >/dev/null 2>&1 || true
if wine cmd /c ver 2>/dev/null | tr -d '\r' | grep -q "6.1.7601"; then
    code="$(run "$d" install.cmd)"
    # The December 2019 rollup is installed; without a programme the plan ends at January 2020: the SSU of that
    # month (KB4536952), then the rollup KB4534310 (data/servicing/ws2008r2-sp1-updates.csv), then a restart.
    check "R2: SSU then the January 2020 rollup" calls_are "$d" KB4536952 KB4534310
    check "R2: exit 3010 for the final restart" test "$code" = "$((3010 % 256))"
else
    fail "R2: wine's ver is not 6.1.7601 with the win2008r2 version"
fi
wine winecfg -v win2008 >/dev/null 2>&1 || true

# ---- 7. isolate.cmd / undo.cmd (issue 20): dry run, isolate + undo on real registry values, stubs for sc and net,
# a role step left out, a failing command, and the build check ----
# The bundle: a 2008 SP2 host through March 2019 (no fix for PrintNightmare or SIGRed without ESU) with the
# configuration fixtures of crates/inventory (DNS running, TcpReceivePacketSize absent; roles: DC, DNS, print server).
# Wine's own reg.exe makes the registry changes; sc and net are stubbed (W2K8_SC / W2K8_NET): the stub appends its
# arguments to calls.txt and exits with the code in rc-TOOL-VERB.txt (0 when there is none).
fx="$root/crates/inventory/tests/fixtures"
iso_bundle() { # iso_bundle DIR ROLES_FILE SYSTEMINFO_FUNCTION...
    local d="$1" roles="$2"; shift 2
    mkdir -p "$d/bundle"
    "$@" > "$d/bundle/systeminfo.txt"
    sed '0,/Start    REG_DWORD    0x4/s//Start    REG_DWORD    0x2/' "$fx/reg-mitigations/collector_smb1_off_spooler_disabled.txt" > "$d/bundle/reg-mitigations.txt"
    sed '0,/STATE              : 1  STOPPED/s//STATE              : 4  RUNNING/' "$fx/sc-queryex/en_2008.txt" > "$d/bundle/services.txt"
    cp "$fx/netstat-ano/en_2008.txt" "$d/bundle/netstat.txt"
    cp "$fx/netsh-advfirewall/en_2008r2.txt" "$d/bundle/firewall.txt"
    cp "$roles" "$d/bundle/roles.txt"
    "$W2K8_BIN" script "$d/bundle" --isolate --as-of 2026-06-01 --esu none > "$d/isolate.cmd"
    "$W2K8_BIN" script "$d/bundle" --isolate --undo --as-of 2026-06-01 --esu none > "$d/undo.cmd"
    printf '@echo off\r\n>>"%%~dp0calls.txt" echo %%*\r\nset "RC=0"\r\nif exist "%%~dp0rc-%%1-%%2.txt" set /p RC=<"%%~dp0rc-%%1-%%2.txt"\r\nexit /b %%RC%%\r\n' > "$d/stub.cmd"
}
iso_run() { # iso_run DIR SCRIPT [ARG]: like run, with the sc and net stubs; echoes the exit code (mod 256)
    local d="$1" stub; shift
    stub="cmd /c $(winepath -w "$d/stub.cmd" 2>/dev/null)"
    W2K8_SC="$stub sc" W2K8_NET="$stub net" wine_cmd "$d" "$@"
}
sp2_2019_03() { systeminfo 6002 "x64-based PC" 4493471; }
dns_key='HKLM\SYSTEM\CurrentControlSet\Services\DNS\Parameters'
font_key='HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Windows'
reg_value() { # reg_value KEY VALUE: prints the value's data as `reg query` shows it, or "absent"
    local v
    v="$(wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | awk -v n="$2" '$1 == n {print $3}')"
    echo "${v:-absent}"
}
wine reg delete "$dns_key" /v TcpReceivePacketSize /f >/dev/null 2>&1 || true
wine reg delete "$font_key" /v DisableATMFD /f >/dev/null 2>&1 || true

d="$tmp/isolate"
iso_bundle "$d" "$fx/servermanagercmd/en_dc_print.txt" sp2_2019_03
code="$(iso_run "$d" isolate.cmd /dry-run)"
check "isolate dry run: exit 0" test "$code" = 0
check "isolate dry run: prints the registry change" has "$d/out.txt" 'would run: reg add "HKLM\SYSTEM\CurrentControlSet\Services\DNS\Parameters" /v TcpReceivePacketSize /t REG_DWORD /d 0xFF00 /f'
check "isolate dry run: prints the DNS restart" has "$d/out.txt" "would run: net stop DNS"
check "isolate dry run: says the print-server step is left out" has "$d/out.txt" "step 1 stop_spooler left out: this host is a print server"
check "isolate dry run: nothing changed in the registry" test "$(reg_value "$dns_key" TcpReceivePacketSize)" = absent
check "isolate dry run: no tool called" test ! -s "$d/calls.txt"
check "isolate dry run: no log written" test ! -e "$d/w2k8-isolate.log"
code="$(iso_run "$d" isolate.cmd)"
check "isolate: exit 3010 (DisableATMFD holds after a restart)" test "$code" = "$((3010 % 256))"
check "isolate: TcpReceivePacketSize set to 0xFF00" test "$(reg_value "$dns_key" TcpReceivePacketSize)" = 0xff00
check "isolate: DisableATMFD set to 1" test "$(reg_value "$font_key" DisableATMFD)" = 0x1
check "isolate: DNS restarted through net, the spooler left alone" test "$(tr -d '\r' < "$d/calls.txt" | tr '\n' '|')" = "net stop DNS|net start DNS|"
check "isolate: log names each command" has "$d/w2k8-isolate.log" 'step 3 dns_tcp_receive_packet_size: net start DNS'
check "isolate: log says the left-out step" has "$d/w2k8-isolate.log" "step 1 stop_spooler left out"
check "isolate: restart asked" has "$d/w2k8-isolate.log" "restart the server now: disable_atmfd_registry needs a restart to hold"
: > "$d/calls.txt"
code="$(iso_run "$d" undo.cmd /dry-run)"
check "undo dry run: exit 0, the value still set" test "$code:$(reg_value "$dns_key" TcpReceivePacketSize)" = "0:0xff00"
check "undo dry run: prints the reg delete" has "$d/out.txt" 'would run: reg delete "HKLM\SYSTEM\CurrentControlSet\Services\DNS\Parameters" /v TcpReceivePacketSize /f'
code="$(iso_run "$d" undo.cmd)"
check "undo: exit 3010" test "$code" = "$((3010 % 256))"
check "undo: TcpReceivePacketSize absent again" test "$(reg_value "$dns_key" TcpReceivePacketSize)" = absent
check "undo: DisableATMFD back to 0" test "$(reg_value "$font_key" DisableATMFD)" = 0x0
check "undo: DNS restarted" test "$(tr -d '\r' < "$d/calls.txt" | tr '\n' '|')" = "net stop DNS|net start DNS|"
check "undo: done" has "$d/w2k8-isolate-undo.log" "done: changes reverted"
check "isolate: an unknown argument is refused (exit 2)" test "$(iso_run "$d" isolate.cmd /now)" = 2
wine reg delete "$font_key" /v DisableATMFD /f >/dev/null 2>&1 || true

# Not a print server: the spooler step runs; sc stop failing (1062: the service is not started) is logged, the script
# goes on with the next command and exits 1. Undo restores the start type the bundle recorded (Start 2 = auto).
d="$tmp/isolate-noprint"
grep -v 'Print' "$fx/servermanagercmd/en_dc_print.txt" > "$tmp/roles-dc-dns.txt"
iso_bundle "$d" "$tmp/roles-dc-dns.txt" sp2_2019_03
printf '1062\r\n' > "$d/rc-sc-stop.txt"
code="$(iso_run "$d" isolate.cmd)"
check "isolate, no print server: a failed command gives exit 1" test "$code" = 1
check "isolate, no print server: spooler stopped and disabled" test "$(tr -d '\r' < "$d/calls.txt" | tr '\n' '|')" = "sc stop Spooler|sc config Spooler start= disabled|net stop DNS|net start DNS|"
check "isolate, no print server: the failure logged with its code" has "$d/w2k8-isolate.log" "step 1 stop_spooler: FAILED, exit code 1062"
check "isolate, no print server: the count and the way back" has "$d/w2k8-isolate.log" "1 command(s) failed - see"
: > "$d/calls.txt"
code="$(iso_run "$d" undo.cmd)"
check "undo, no print server: the recorded start type restored, last step first" test "$(tr -d '\r' < "$d/calls.txt" | tr '\n' '|')" = "net stop DNS|net start DNS|sc config Spooler start= auto|sc start Spooler|"
wine reg delete "$font_key" /v DisableATMFD /f >/dev/null 2>&1 || true

# --allow-from: a DNS server (no DC, no print server) gets one netsh rule per listening management port (135, 445,
# 3389 in the netstat fixture), each blocking every address outside 10.0.50.0/24. netsh is stubbed (W2K8_NETSH):
# the check is that cmd.exe hands the rule to netsh whole (the comma-separated remoteip= list, the quoted name).
d="$tmp/isolate-mgmt"
grep -v 'Print\|Domain' "$fx/servermanagercmd/en_dc_print.txt" > "$tmp/roles-dns.txt"
iso_bundle "$d" "$tmp/roles-dns.txt" sp2_2019_03
"$W2K8_BIN" script "$d/bundle" --isolate --as-of 2026-06-01 --esu none --allow-from 10.0.50.0/24 > "$d/isolate.cmd"
"$W2K8_BIN" script "$d/bundle" --isolate --undo --as-of 2026-06-01 --esu none --allow-from 10.0.50.0/24 > "$d/undo.cmd"
outside='0.0.0.0-10.0.49.255,10.0.51.0-255.255.255.255,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'
iso_mgmt_run() { # iso_mgmt_run DIR SCRIPT: iso_run with netsh stubbed too
    local d="$1" stub; shift
    stub="cmd /c $(winepath -w "$d/stub.cmd" 2>/dev/null)"
    W2K8_SC="$stub sc" W2K8_NET="$stub net" W2K8_NETSH="$stub netsh" wine_cmd "$d" "$@"
}
code="$(iso_mgmt_run "$d" isolate.cmd)"
check "isolate --allow-from: the RDP rule reaches netsh whole" grep -qF "netsh advfirewall firewall add rule name=\"w2k8-mgmt-only-tcp-3389\" dir=in action=block protocol=TCP localport=3389 remoteip=$outside profile=any" "$d/calls.txt"
check "isolate --allow-from: one rule per listening management port" test "$(grep -c 'add rule name="w2k8-mgmt-only-tcp-' "$d/calls.txt")" = 3
: > "$d/calls.txt"
code="$(iso_mgmt_run "$d" undo.cmd)"
check "undo --allow-from: the rules deleted" test "$(grep -c 'delete rule name="w2k8-mgmt-only-tcp-' "$d/calls.txt")" = 3
wine reg delete "$dns_key" /v TcpReceivePacketSize /f >/dev/null 2>&1 || true
wine reg delete "$font_key" /v DisableATMFD /f >/dev/null 2>&1 || true

# The build check: a 2008 R2 host's isolate.cmd on this 2008 prefix is refused before any change, dry run too.
d="$tmp/isolate-r2"
r2_2019_12() {
    printf '\r\nHost Name:                 WINE-R2\r\nOS Name:                   Microsoft Windows Server 2008 R2 Standard \r\n'
    printf 'OS Version:                6.1.7601 Service Pack 1 Build 7601\r\nOS Manufacturer:           Microsoft Corporation\r\n'
    printf 'OS Configuration:          Member Server\r\nOS Build Type:             Multiprocessor Free\r\nSystem Type:               x64-based PC\r\n'
    printf 'Hotfix(s):                 3 Hotfix(s) Installed.\r\n'
    printf '                           [01]: KB4490628\r\n                           [02]: KB4474419\r\n                           [03]: KB4530734\r\n'
    printf 'Network Card(s):           1 NIC(s) Installed.\r\n'
}
iso_bundle "$d" "$fx/servermanagercmd/en_dc_print.txt" r2_2019_12
check "R2 isolate.cmd: checks ver 6.1.7601" grep -q 'ver | find "6.1.7601" >nul' "$d/isolate.cmd"
check "R2 isolate.cmd: has a registry step to refuse" grep -q 'TcpReceivePacketSize /t REG_DWORD /d 0xFF00' "$d/isolate.cmd"
code="$(iso_run "$d" isolate.cmd)"
check "R2 isolate.cmd on a 2008 machine: refused (exit 2)" test "$code" = 2
check "R2 isolate.cmd on a 2008 machine: message" has "$d/out.txt" "this machine is not Windows Server 2008 R2 SP1 - build 7601 expected"
check "R2 isolate.cmd on a 2008 machine: nothing changed" test "$(reg_value "$dns_key" TcpReceivePacketSize):$(reg_value "$font_key" DisableATMFD)" = "absent:absent"
check "R2 isolate.cmd on a 2008 machine: no tool called" test ! -s "$d/calls.txt"
check "R2 isolate.cmd on a 2008 machine: dry run refused too" test "$(iso_run "$d" isolate.cmd /dry-run)" = 2

if [ "$fails" -ne 0 ]; then
    echo "wine script tests: $fails failure(s)" >&2
    exit 1
fi
echo "wine script tests: all passed"
