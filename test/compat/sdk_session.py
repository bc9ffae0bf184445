"""An openstacksdk session against Anvil (auth_type none, baremetal endpoint override).

Usage: python3 sdk_session.py URL  -> prints one JSON document with what the SDK saw.
Run by openstacksdk.test.ts; any exception exits non-zero with the traceback on stderr.
"""
import json
import sys

import openstack

url = sys.argv[1]
conn = openstack.connection.Connection(auth_type="none", baremetal_endpoint_override=url)
bm = conn.baremetal
out = {}

node = bm.create_node(driver="fake-hardware", name="sdk-node-0", provision_state="enroll",
                      properties={"cpus": 4}, driver_info={"ipmi_password": "pw", "ipmi_address": "10.1.1.1"})
out["created"] = {"id": node.id, "name": node.name, "provision_state": node.provision_state,
                  "driver_info": node.driver_info, "power_interface": node.power_interface}
out["microversion"] = bm.get_endpoint_data().max_microversion and str(bm.get_endpoint_data().max_microversion)
out["list"] = sorted(n.name for n in bm.nodes())
out["list_details"] = [(n.name, n.driver) for n in bm.nodes(details=True)]
out["get_by_name"] = bm.get_node("sdk-node-0").id
node = bm.update_node(node, extra={"k": "v"})
out["updated_extra"] = node.extra
node = bm.patch_node(node, [{"op": "add", "path": "/properties/memory_mb", "value": 2048},
                            {"op": "remove", "path": "/properties/cpus"}])
out["patched_properties"] = node.properties
bm.add_node_trait(node, "CUSTOM_SDK")
bm.set_node_traits(node, ["CUSTOM_A", "CUSTOM_B"])
bm.remove_node_trait(node, "CUSTOM_A")
out["traits"] = bm.get_node(node.id).traits

chassis = bm.create_chassis(description="sdk chassis")
out["chassis"] = [c.id for c in bm.chassis()] == [chassis.id]
pg = bm.create_port_group(node_id=node.id, name="sdk-bond", address="52:54:00:00:5D:01")
out["port_group"] = {"name": pg.name, "address": pg.address, "node_id": pg.node_id}
port = bm.create_port(node_id=node.id, address="52:54:00:00:5D:02", port_group_id=pg.id)
out["port"] = {"address": port.address, "node_id": port.node_id, "port_group_id": port.port_group_id}
out["ports"] = [p.address for p in bm.ports(details=True, node=node.id)]
out["port_get"] = bm.get_port(port.id).address
bm.delete_port(port)
bm.delete_port_group(pg)
bm.delete_chassis(chassis)
found = bm.find_node("sdk-node-0")
out["found"] = found.id if found else None
bm.delete_node(node)
out["after_delete"] = [n.name for n in bm.nodes()]
out["missing"] = bm.find_node("sdk-node-0") is None
print(json.dumps(out))
