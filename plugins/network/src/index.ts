export { NeutronClient, NetworkError, neutronFor, type NeutronPort } from './neutron-client.ts';
export { NeutronNetwork } from './neutron.ts';
export { FlatNetwork } from './flat.ts';
export { allAttachables, bindingBody, pxeAttachables } from './port-binding.ts';
