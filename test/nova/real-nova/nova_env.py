"""Nova's own configuration and objects for the harness (Debian python3-nova 26, under /usr/bin/python3).

Everything the driver runs is Nova's: IronicDriver, its two clients (openstacksdk, ironicclient through
keystoneauth), oslo.config option handling, the config drive builder (genisoimage). What a compute service
would get from its database and from Neutron is supplied here instead, at the narrowest seams:
  - the compute service list (hash ring members) and the instances this host owns (node cache);
  - Instance.save()/refresh() (the compute manager's DB round trips) are no-ops;
  - EC2 ids, block device mappings and security groups the metadata builder would read from DB/Neutron.
"""
import base64
import uuid

import nova.conf
from nova import context as nova_context
from nova import objects
from nova.network import model as net_model
from nova.network import security_group_api
from nova.virt import virtapi

CONF = nova.conf.CONF
HOST = 'harness-compute'
OWNED = set()  # instance uuids this compute "has in its database"


def configure(url):
    objects.register_all()
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('host', HOST)
    CONF.set_override('auth_type', 'none', group='ironic')
    CONF.set_override('endpoint_override', url, group='ironic')
    CONF.set_override('api_retry_interval', 1, group='ironic')
    CONF.set_override('api_max_retries', 30, group='ironic')
    CONF.set_override('mkisofs_cmd', 'genisoimage')

    svc_list = objects.ServiceList
    svc_list.get_all_computes_by_hv_type = classmethod(lambda cls, ctx, hv: svc_list(objects=[]))
    objects.InstanceList.get_uuids_by_host = classmethod(lambda cls, ctx, host: sorted(OWNED))
    objects.EC2Ids.get_by_instance = classmethod(
        lambda cls, ctx, inst: objects.EC2Ids(instance_id='i-00000001', ami_id='ami-00000001', kernel_id=None, ramdisk_id=None))
    objects.BlockDeviceMappingList.get_by_instance_uuid = classmethod(
        lambda cls, ctx, u: objects.BlockDeviceMappingList(objects=[]))
    security_group_api.get_instance_security_groups = lambda ctx, inst, detailed=False: []
    # the compute manager's DB round trips for the instance: nothing to write to or reload from
    objects.Instance.save = lambda self, *a, **kw: self.obj_reset_changes()
    objects.Instance.refresh = lambda self, *a, **kw: None


class FakeVirtAPI(virtapi.VirtAPI):
    """The compute manager's side of the driver: nothing here is called by the Ironic driver's operations."""

    def exit_wait_early(self, events):
        pass

    def wait_for_instance_event(self, instance, event_names, deadline=300, error_callback=None):
        import contextlib
        return contextlib.nullcontext()

    def update_compute_provider_status(self, context, rp_uuid, enabled):
        pass


def admin_context():
    return nova_context.get_admin_context()


def flavor(traits=()):
    specs = {'resources:CUSTOM_BAREMETAL': '1', 'resources:VCPU': '0', 'resources:MEMORY_MB': '0', 'resources:DISK_GB': '0'}
    for t in traits:
        specs['trait:%s' % t] = 'required'
    return objects.Flavor(id=1, flavorid='bm-1', name='bm.small', memory_mb=1024, vcpus=1, root_gb=10, ephemeral_gb=0,
                          swap=0, rxtx_factor=1.0, vcpu_weight=0, disabled=False, is_public=True, extra_specs=specs,
                          description=None)


def instance(ctx, node_uuid, name, flavor_obj, image_id):
    inst = objects.Instance(context=ctx)
    inst.uuid = str(uuid.uuid4())
    inst.node = node_uuid
    inst.host = HOST
    inst.flavor = flavor_obj
    inst.project_id = 'harness-project'
    inst.user_id = 'harness-user'
    inst.hostname = name
    inst.display_name = name
    inst.display_description = None
    inst.image_ref = image_id
    inst.config_drive = 'True'
    inst.user_data = base64.b64encode(b'#cloud-config\nhostname: %s\n' % name.encode()).decode()
    inst.launch_index = 0
    inst.availability_zone = 'nova'
    inst.reservation_id = 'r-harness'
    inst.key_name = None
    inst.key_data = None
    inst.metadata = {'role': 'harness'}
    inst.system_metadata = {}
    inst.vm_state = 'building'
    inst.task_state = 'spawning'
    inst.power_state = 0
    inst.ec2_ids = objects.EC2Ids(instance_id='i-00000001', ami_id='ami-00000001', kernel_id=None, ramdisk_id=None)
    inst.keypairs = objects.KeyPairList(objects=[])
    inst.device_metadata = None
    inst.numa_topology = None
    inst.security_groups = objects.SecurityGroupList(objects=[])
    inst.info_cache = objects.InstanceInfoCache(network_info=net_model.NetworkInfo([]))
    inst.tags = objects.TagList(objects=[])
    inst.services = objects.ServiceList(objects=[])
    inst.trusted_certs = None
    inst.vcpu_model = None
    inst.pci_devices = objects.PciDeviceList(objects=[])
    inst.ephemeral_key_uuid = None
    inst.default_ephemeral_device = None
    inst.os_type = None
    inst.launched_at = None
    inst.created_at = None
    inst.updated_at = None
    inst.deleted = False
    inst.cell_name = None
    inst.kernel_id = ''
    inst.ramdisk_id = ''
    inst.root_device_name = None
    inst.architecture = None
    inst.access_ip_v4 = None
    inst.access_ip_v6 = None
    return inst


def image_meta(image_id):
    return objects.ImageMeta.from_dict({'id': image_id, 'name': 'harness-image', 'disk_format': 'raw',
                                        'container_format': 'bare', 'properties': {}})


def vif(port_id, mac, ip='10.20.0.5'):
    subnet = net_model.Subnet(cidr='10.20.0.0/24', gateway=net_model.IP(address='10.20.0.1', type='gateway'),
                              ips=[net_model.FixedIP(address=ip)], dns=[net_model.IP(address='10.20.0.2', type='dns')],
                              routes=[])
    net = net_model.Network(id='3f1e8f0a-0b5c-4a58-9b1e-2c6d1b0f7a10', bridge='br-int', label='harness-net',
                            subnets=[subnet], meta={'mtu': 1500})
    return net_model.VIF(id=port_id, address=mac, network=net, type='other', vnic_type='baremetal', details={},
                         devname='tap' + port_id[:11], active=True)


def network_info(*vifs):
    return net_model.NetworkInfo(list(vifs))

