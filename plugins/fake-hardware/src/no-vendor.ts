/** "no-vendor": no vendor passthru methods. */
import { type InterfaceFactory, REQUIRED_METHODS, type VendorInterface } from '@anvil/sdk';
import { unsupported } from './unsupported.ts';

const factory: InterfaceFactory<'vendor'> = () =>
  unsupported<VendorInterface>('vendor', REQUIRED_METHODS.vendor, { methods: () => ({}), driverMethods: () => ({}) });
export default factory;
