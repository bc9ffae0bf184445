/** What a flavor (+ image) asks of a node, read from its extra specs (pure). */
import type { Flavor, Image } from '../compute/types.ts';
import { flavorCapabilities, forbiddenTraits, requiredTraits } from '../driver/instance-info.ts';

export interface ResourceRequest {
  resources: Record<string, number>; // resources:X=N with N > 0
  required: string[];
  forbidden: string[];
  capabilities: Record<string, string>; // ComputeCapabilitiesFilter (cpu_arch included when asked)
}

export function requestFor(flavor: Flavor, image?: Image): ResourceRequest {
  const resources: Record<string, number> = {};
  for (const [k, v] of Object.entries(flavor.extra_specs)) {
    const m = /^resources\d*:(.+)$/.exec(k);
    if (m && Number(v) > 0) resources[m[1]] = Number(v);
  }
  const capabilities = flavorCapabilities(flavor);
  const arch = flavor.extra_specs.cpu_arch ?? (image?.properties.architecture as string | undefined);
  if (arch && !capabilities.cpu_arch) capabilities.cpu_arch = arch;
  return { resources, required: requiredTraits(flavor, image), forbidden: forbiddenTraits(flavor), capabilities };
}
