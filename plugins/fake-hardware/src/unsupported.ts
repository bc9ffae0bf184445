/**
 * The no-* interfaces (Ironic's noop.py): a kind the hardware does not implement. validate() raises
 * UnsupportedDriverExtension, so GET /v1/nodes/{id}/validate reports result false with Ironic's reason,
 * and every action raises the same error.
 */
import { type Task, UnsupportedDriverExtension } from '@anvil/sdk';

export function unsupportedError(task: Task | null, kind: string): InstanceType<typeof UnsupportedDriverExtension> {
  const driver = task?.node.driver ?? 'this driver';
  return new UnsupportedDriverExtension(`Driver ${driver} does not support ${kind} (disabled or not implemented).`);
}

/** Build a no-op implementation whose listed methods all raise UnsupportedDriverExtension. */
export function unsupported<T>(kind: string, methods: readonly string[], extra: Record<string, unknown> = {}): T {
  const impl: Record<string, unknown> = {
    getProperties: () => ({}),
    validate: async (task: Task) => {
      throw unsupportedError(task, kind);
    },
    ...extra,
  };
  for (const m of methods) {
    if (m in impl) continue;
    impl[m] = async (task: Task) => {
      throw unsupportedError(task && typeof task === 'object' && 'node' in task ? task : null, kind);
    };
  }
  return impl as T;
}
