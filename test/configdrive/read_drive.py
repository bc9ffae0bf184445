"""Reads an extracted config drive with Debian's cloud-init, as its ConfigDrive datasource does.

Usage: /usr/bin/python3 read_drive.py DIR
Prints one JSON object: what cloud-init's reader returned (metadata, userdata, vendordata, vendordata2,
networkdata, ec2-metadata, files), the network config cloud-init converts network_data.json into, the
content types cloud-init splits the user-data into, and whether every *.json file on the drive is
byte-identical to Python's json.dumps of its content (Nova's serialisation).
"""
import base64
import json
import os
import sys

from cloudinit import handlers
from cloudinit import user_data as ud
from cloudinit.sources import DataSourceConfigDrive as ds
from cloudinit.sources.helpers import openstack


def plain(v):
    if isinstance(v, bytes):
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return {"base64": base64.b64encode(v).decode()}
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def main(path):
    read = getattr(ds, "read_config_drive_dir", None) or ds.read_config_drive
    res = read(path)
    out = {k: plain(v) for k, v in res.items()}
    md = res["metadata"]
    if isinstance(md.get("random_seed"), bytes):
        out["metadata"]["random_seed"] = base64.b64encode(md["random_seed"]).decode()
    net = res.get("networkdata")
    if net:
        macs = {}
        for i, link in enumerate(l for l in net.get("links", []) if l.get("type") in openstack.KNOWN_PHYSICAL_TYPES):
            macs[link["ethernet_mac_address"].lower()] = "eth%d" % i
        out["network_config"] = openstack.convert_net_json(net, known_macs=macs)
    raw = res.get("userdata")
    if raw:
        msg = ud.convert_string(raw.encode() if isinstance(raw, str) else raw)
        out["userdata_parts"] = [
            {
                "type": p.get_content_type(),
                "detected": handlers.type_from_starts_with(p.get_payload(decode=True).decode("utf-8", "replace")),
                "payload": plain(p.get_payload(decode=True)),
            }
            for p in msg.walk()
            if not p.is_multipart()
        ]
    same = True
    for root, _, names in os.walk(path):
        for n in names:
            if n.endswith(".json"):
                data = open(os.path.join(root, n), "rb").read()
                if json.dumps(json.loads(data)).encode() != data:
                    same = False
                    out.setdefault("json_mismatch", []).append(os.path.join(root, n))
    out["json_as_python_dumps"] = same
    json.dump(out, sys.stdout, sort_keys=True)


main(sys.argv[1])
