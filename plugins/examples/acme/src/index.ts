/** anvil-plugin-acme: the entry points are declared in package.json ("anvil" field); these exports are for tests. */
export { AcmePower } from './power.ts';
export { AcmeVendor } from './vendor.ts';
export { default as acme } from './hardware-type.ts';
