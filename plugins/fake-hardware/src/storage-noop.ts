/** Ironic's "noop" storage interface: no volumes; the image is always written to local disk. */
import type { InterfaceFactory, StorageInterface, Task } from '@anvil/sdk';

export class NoopStorage implements StorageInterface {
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async attachVolumes(_task: Task): Promise<void> {}
  async detachVolumes(_task: Task): Promise<void> {}
  shouldWriteImage(_task: Task): boolean {
    return true;
  }
}

const factory: InterfaceFactory<'storage'> = () => new NoopStorage();
export default factory;
