#!/usr/bin/env bash
# Regenerate src/fixtures/ipmitool-suite{3,17}.json: run `ipmitool -I lanplus -C N chassis status` against
# ipmi_sim (suite 3) and the pyghmi BMC (suite 17) on 127.0.0.1, capture with tcpdump, extract with tshark.
# Needs root (tcpdump on lo), openipmi, ipmitool, python3-pyghmi, tcpdump, tshark.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../src/fixtures"
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

cat > "$tmp/lan.conf" <<CONF
name "capture"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 16623
    priv_limit admin
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
  user 2 true "admin" "password" admin 10 none md2 md5 straight
CONF
printf 'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\nmc_enable 0x20\n' > "$tmp/cmd.conf"
mkdir "$tmp/state"
ipmi_sim -c "$tmp/lan.conf" -f "$tmp/cmd.conf" -s "$tmp/state" -n >/dev/null 2>&1 & pids+=($!)
/usr/bin/python3 "$here/pyghmi_bmc.py" --port 16624 --state "$tmp/py.json" >/dev/null 2>&1 & pids+=($!)
sleep 2

capture() { # name port suite peer-description
  tcpdump -Z root -i lo -U -w "$tmp/$1.pcap" "udp port $2" >/dev/null 2>&1 & local tp=$!
  sleep 2
  ipmitool -I lanplus -C "$3" -H 127.0.0.1 -p "$2" -U admin -P password chassis status >/dev/null
  sleep 1; kill "$tp"; wait "$tp" 2>/dev/null || true
  tshark -r "$tmp/$1.pcap" -T fields -e udp.srcport -e udp.payload 2>/dev/null |
    BMCPORT="$2" SUITE="$3" PEER="$4" /usr/bin/python3 -c '
import json, os, sys
pk = [{"from": "bmc" if l.split()[0] == os.environ["BMCPORT"] else "console", "hex": l.split()[1]} for l in sys.stdin if l.strip()]
s = int(os.environ["SUITE"])
json.dump({"description": "ipmitool -I lanplus -C %d chassis status against %s on 127.0.0.1, captured with tcpdump, payloads by tshark" % (s, os.environ["PEER"]),
           "suite": s, "username": "admin", "password": "password", "packets": pk}, sys.stdout, indent=1)' > "$out/ipmitool-suite$3.json"
}
capture s3 16623 3 "ipmi_sim"
capture s17 16624 17 "pyghmi_bmc.py (suite 17 extension)"
echo "wrote $out/ipmitool-suite3.json $out/ipmitool-suite17.json"
