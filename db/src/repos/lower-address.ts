/** Ports and portgroups store MAC addresses in lower case: the written values with `address` lower-cased. */
export const lowerAddress = <T extends { address?: unknown }>(v: T): T => (typeof v.address === 'string' ? { ...v, address: v.address.toLowerCase() } : v);
