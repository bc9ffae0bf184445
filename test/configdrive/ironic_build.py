"""Builds config drives with real Ironic's conductor code (ironic.conductor.utils.build_configdrive).

Usage: /usr/bin/python3 ironic_build.py  < [{"node": {"uuid", "name"}, "configdrive": {...}}, ...]
Prints a JSON list with the gzip+base64 string Ironic stores for each case.
"""
import json
import sys
import types

from ironic.conductor import utils

out = []
for case in json.load(sys.stdin):
    node = types.SimpleNamespace(uuid=case["node"]["uuid"], name=case["node"].get("name"))
    out.append(utils.build_configdrive(node, case["configdrive"]))
json.dump(out, sys.stdout)
