/** Ironic's "fake" storage interface: attach/detach succeed; the image is always written. */
import type { InterfaceFactory, StorageInterface, Task } from '@anvil/sdk';

export class FakeStorage implements StorageInterface {
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

const factory: InterfaceFactory<'storage'> = () => new FakeStorage();
export default factory;
