/** Which boot mode a node deploys in, resolved like Ironic's boot_mode_utils.get_boot_mode. Pure. */
import type { NodeRecord } from '@anvil/sdk';

/** Read one capability from "k1:v1,k2:v2" or an object, as Ironic's utils.parse_instance_info_capabilities does. */
export function capability(caps: unknown, name: string): string | undefined {
  if (!caps) return undefined;
  if (typeof caps === 'object') {
    const v = (caps as Record<string, unknown>)[name];
    return v === undefined || v === null ? undefined : String(v);
  }
  for (const pair of String(caps).split(',')) {
    const [k, v] = pair.split(':');
    if (k?.trim() === name && v !== undefined) return v.trim();
  }
  return undefined;
}

export function bootModeOf(node: Pick<NodeRecord, 'instance_info' | 'properties' | 'boot_mode'>, dflt: 'uefi' | 'bios'): 'uefi' | 'bios' {
  const ii = node.instance_info ?? {};
  const secure = capability(ii.capabilities, 'secure_boot') ?? capability(node.properties?.capabilities, 'secure_boot');
  if (secure?.toLowerCase() === 'true') return 'uefi';
  const wanted =
    (typeof ii.deploy_boot_mode === 'string' ? ii.deploy_boot_mode : undefined) ??
    capability(ii.capabilities, 'boot_mode') ??
    capability(node.properties?.capabilities, 'boot_mode') ??
    node.boot_mode ??
    dflt;
  return wanted.toLowerCase() === 'bios' ? 'bios' : 'uefi';
}
