/** The flat and neutron network interfaces' settings, declared once (Ironic's [neutron] names). */
import { type OptionSpec, strOpt } from '@anvil/sdk';

const OPTIONS: OptionSpec[] = [
  strOpt('provisioning_network', null, '[neutron]provisioning_network: name or UUID of the network deploys run on'),
  strOpt('cleaning_network', null, '[neutron]cleaning_network: name or UUID of the network cleaning runs on'),
  strOpt('rescuing_network', null, '[neutron]rescuing_network: name or UUID of the network rescue runs on'),
];
export default OPTIONS;
