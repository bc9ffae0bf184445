export { createRegistry, listSetting, type AnvilRegistry, type RegistryOptions } from './registry.ts';
export { PluginLoadError } from './plugin-error.ts';
export { discoverPackages, installChain, nodeModulesChain, type DiscoveredPackage } from './discover.ts';
export { parseManifest } from './manifest.ts';
export { invokeNodeVendor, invokeDriverVendor, vendorMethodFor, driverMethodsView, type VendorCallResult } from './vendor-call.ts';
export { declaredOptions, type DeclaredOption } from './options.ts';
