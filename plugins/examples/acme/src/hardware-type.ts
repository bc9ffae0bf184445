/**
 * The acme hardware type: its own power and vendor interfaces; boot and deploy from the generic network
 * ones when installed (ipxe/pxe, direct), else the fake ones; management is fake (Acme has no boot-device API).
 */
import type { HardwareType } from '@anvil/sdk';

const acme: HardwareType = {
  name: 'acme',
  description: 'Acme R-series servers with the Acme HTTP BMC.',
  supported: {
    power: ['acme'],
    management: ['fake'],
    boot: ['ipxe', 'pxe', 'fake'],
    deploy: ['direct', 'fake'],
    vendor: ['acme', 'no-vendor'],
  },
};

export default acme;
