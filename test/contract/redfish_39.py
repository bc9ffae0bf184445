"""Asks the real Ironic 39 (its installed package, scripts/services/ironic39.sh's venv) what its redfish raid and
firmware interfaces declare and decide, for test/contract/redfish-raid-39.test.ts. Reads one JSON document on
stdin: {"plans": [{"drives": [...], "logical_disks": [...]}], "raid_configs": [...], "firmware_settings": [...]};
prints one JSON document: the steps each interface declares, and per input Ironic's answer or its error text."""
import json
import sys
import warnings

warnings.simplefilter('ignore')

import sushy  # noqa: E402
from ironic.common import exception  # noqa: E402
from ironic.drivers.modules.redfish import firmware as redfish_firmware  # noqa: E402
from ironic.drivers.modules.redfish import firmware_utils  # noqa: E402
from ironic.drivers.modules.redfish import raid as redfish_raid  # noqa: E402

PROTOCOLS = {'SATA': sushy.PROTOCOL_TYPE_SATA, 'SAS': sushy.PROTOCOL_TYPE_SAS}


class Drive:
    def __init__(self, d):
        self.identity = d['id']
        self.capacity_bytes = d['capacityBytes']
        self.media_type = d['mediaType']
        self.protocol = PROTOCOLS[d['protocol']]


class Storage:
    def __init__(self, identity):
        self.identity = identity


class Node:
    uuid = 'raid-node'


def plan(case):
    drives = [Drive(d) for d in case['drives']]
    storages = {}
    disk_to_storage = {}
    for drive, d in zip(drives, case['drives']):
        disk_to_storage[drive] = storages.setdefault(d['storage'], Storage(d['storage']))
    logical = json.loads(json.dumps(case['logical_disks']))
    try:
        redfish_raid.convert_drive_units(logical, Node)
        out = redfish_raid._find_configuration(logical, drives, disk_to_storage)
    except exception.IronicException as e:
        return {'error': str(e)}
    return {'volumes': [{k: v for k, v in ld.items() if k not in ('span_depth', 'span_length')} for ld in out]}


def first_line(fn, *args):
    try:
        fn(*args)
    except exception.IronicException as e:
        return str(e).split('\n')[0]
    return None


def main():
    req = json.load(sys.stdin)
    steps = []
    for cls in (redfish_raid.RedfishRAID, redfish_firmware.RedfishFirmware):
        iface = cls()
        for kind in ('clean', 'deploy', 'service'):
            for s in getattr(iface, kind + '_steps'):
                steps.append(dict(s, kind=kind))
    raid = redfish_raid.RedfishRAID()
    print(json.dumps({
        'steps': steps,
        'plans': [plan(c) for c in req['plans']],
        'raid_configs': [first_line(raid.validate_raid_config, None, c) for c in req['raid_configs']],
        'firmware_settings': [first_line(firmware_utils.validate_firmware_interface_update_args, s)
                              for s in req['firmware_settings']],
    }))


if __name__ == '__main__':
    main()
