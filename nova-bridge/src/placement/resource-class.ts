/** Placement's name for a node's resource class: CUSTOM_ + upper case, runs of non-alphanumerics → `_` (pure). */
export function customResourceClass(rc: string): string {
  const norm = rc.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return norm.startsWith('CUSTOM_') ? norm : `CUSTOM_${norm}`;
}
