/** Placeholders for node fields an under-privileged reader may not see (Ironic's filter_threshold), pure. */

export const REDACTED: Readonly<Record<string, unknown>> = {
  last_error: '** Value Redacted - Requires baremetal:node:get:last_error permission. **',
  reservation: '** Redacted - requires baremetal:node:get:reservation permission. **',
  driver_internal_info: { content: '** Redacted - Requires baremetal:node:get:driver_internal_info permission. **' },
  driver_info: { content: '** Redacted - Requires baremetal:node:get:driver_info permission. **' },
};

/** Replace each present field whose `baremetal:node:get:<field>` rule fails (allowed(field) false). */
export function redactNode(node: Record<string, unknown>, allowed: (field: string) => boolean): void {
  for (const [field, placeholder] of Object.entries(REDACTED)) {
    if (field in node && !allowed(field)) node[field] = structuredClone(placeholder);
  }
}
