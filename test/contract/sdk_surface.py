"""openstacksdk against Anvil beyond nodes: allocations, deploy templates, volume connectors/targets, node history.

Usage: python3 sdk_surface.py URL  -> prints one JSON document with what the SDK saw.
Run by pyclients.test.ts; any exception exits non-zero with the traceback on stderr.
"""
import json
import sys

import openstack
from openstack import exceptions

url = sys.argv[1]
conn = openstack.connection.Connection(auth_type="none", baremetal_endpoint_override=url,
                                       baremetal_api_version="1.82")
bm = conn.baremetal
out = {}

node = bm.create_node(driver="fake-hardware", name="sdk-alloc-node", resource_class="sdk-rc")
bm.set_node_provision_state(node, "manage", wait=True, timeout=60)
bm.set_node_provision_state(node, "provide", wait=True, timeout=60)
# fake-hardware knows no power state before a power action, and allocations only take nodes whose state is known
bm.set_node_power_state(node, "power off", wait=True, timeout=60)
bm.add_node_trait(node, "CUSTOM_SDK_GOLD")
node = bm.get_node(node.id)
out["node_state"] = [node.provision_state, node.power_state]

# allocations: one that finds the node, one that cannot
alloc = bm.create_allocation(resource_class="sdk-rc", traits=["CUSTOM_SDK_GOLD"], name="sdk-alloc", extra={"a": "1"})
alloc = bm.wait_for_allocation(alloc, timeout=30)
out["allocation"] = {"state": alloc.state, "node_id": alloc.node_id, "name": alloc.name, "traits": alloc.traits}
out["node_allocation"] = bm.get_node(node.id).allocation_id == alloc.id
out["node_instance"] = bm.get_node(node.id).instance_id == alloc.id
alloc = bm.update_allocation(alloc, extra={"b": "2"})
out["allocation_extra"] = alloc.extra
out["allocations_active"] = [a.name for a in bm.allocations(state="active")]
out["allocations_by_node"] = [a.id for a in bm.allocations(node=node.id)] == [alloc.id]
bm.delete_allocation(alloc)
out["after_delete"] = [bm.get_node(node.id).allocation_id, bm.get_node(node.id).instance_id]
bad = bm.create_allocation(resource_class="no-such-class")
try:
    bm.wait_for_allocation(bad, timeout=30)
    out["bad"] = "no error"
except exceptions.SDKException as e:
    bad = bm.get_allocation(bad.id)
    out["bad"] = {"state": bad.state, "last_error": bad.last_error}
bm.delete_allocation(bad)

# deploy templates
tpl = bm.create_deploy_template(name="CUSTOM_SDK_TPL", extra={"k": "v"},
                                steps=[{"interface": "bios", "step": "apply_configuration",
                                        "args": {"settings": [], "admin_password": "pw"}, "priority": 150}])
out["template"] = {"name": tpl.name, "steps": tpl.steps}
out["templates"] = [t.name for t in bm.deploy_templates()]
tpl = bm.patch_deploy_template(tpl, [{"op": "replace", "path": "/name", "value": "CUSTOM_SDK_TPL2"}])
out["template_renamed"] = bm.get_deploy_template("CUSTOM_SDK_TPL2").id == tpl.id
bm.delete_deploy_template(tpl)
out["templates_after"] = [t.name for t in bm.deploy_templates()]

# volume connectors and targets
con = bm.create_volume_connector(node_id=node.id, type="iqn", connector_id="iqn.2026-11.org.anvil:sdk")
tgt = bm.create_volume_target(node_id=node.id, volume_type="iscsi", volume_id="vol-sdk", boot_index=0,
                              properties={"target_lun": 0})
out["connectors"] = [c.connector_id for c in bm.volume_connectors(node=node.id, details=True)]
out["targets"] = [(t.volume_id, t.boot_index, t.properties) for t in bm.volume_targets(node=node.id, details=True)]
tgt = bm.update_volume_target(tgt, extra={"x": "y"})
out["target_extra"] = tgt.extra
bm.delete_volume_target(tgt)
bm.delete_volume_connector(con)
out["targets_after"] = list(bm.volume_targets(node=node.id))

# node history: a power change is recorded
bm.set_node_power_state(node, "power on", wait=True, timeout=30)
hist = bm.get("/nodes/%s/history" % node.id, microversion="1.78").json()["history"]
out["history"] = [h["event"] for h in hist]
one = bm.get("/nodes/%s/history/%s" % (node.id, hist[-1]["uuid"]), microversion="1.78").json()
out["history_entry"] = {"event_type": one["event_type"], "severity": one["severity"]}

bm.set_node_power_state(node, "power off", wait=True, timeout=30)
bm.set_node_maintenance(node, reason="cleanup")
bm.delete_node(node)
print(json.dumps(out))
