/**
 * Ironic's "fake" vendor interface: a few passthru methods for exercising the vendor_passthru API.
 *   first_method               POST, async, exclusive lock: stores `bar` in driver_internal_info.fake_vendor_bar
 *   third_method_sync          POST, sync: returns whether bar == "meow"
 *   fourth_method_shared_lock  POST, sync, shared lock: returns whether bar == "woof"
 * Driver-level (no node): fake_driver_method  GET/POST, sync: echoes `bar`.
 * Every method needs a `bar` argument (MissingParameterValue otherwise).
 */
import {
  InvalidParameterValue,
  type InterfaceFactory,
  type JsonObject,
  MissingParameterValue,
  type Task,
  type VendorInterface,
  type VendorMethod,
} from '@anvil/sdk';

const METHODS: Record<string, VendorMethod> = {
  first_method: {
    http_methods: ['POST'],
    async: true,
    description: 'Store the value of bar in the node (asynchronous).',
    attach: false,
    require_exclusive_lock: true,
  },
  third_method_sync: {
    http_methods: ['POST'],
    async: false,
    description: 'Return true when bar is "meow".',
    attach: false,
    require_exclusive_lock: true,
  },
  fourth_method_shared_lock: {
    http_methods: ['POST'],
    async: false,
    description: 'Return true when bar is "woof"; runs under a shared lock.',
    attach: false,
    require_exclusive_lock: false,
  },
};

const DRIVER_METHODS: Record<string, VendorMethod> = {
  fake_driver_method: {
    http_methods: ['GET', 'POST'],
    async: false,
    description: 'Echo the value of bar.',
    attach: false,
    require_exclusive_lock: false,
  },
};

function needBar(method: string, body: JsonObject): void {
  if (body.bar === undefined || body.bar === null || body.bar === '') {
    throw new MissingParameterValue(`Parameter 'bar' not passed to method '${method}'.`);
  }
}

export class FakeVendor implements VendorInterface {
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  methods() {
    return structuredClone(METHODS);
  }
  driverMethods() {
    return structuredClone(DRIVER_METHODS);
  }
  async validateMethod(_task: Task, method: string, _httpMethod: string, body: JsonObject): Promise<void> {
    needBar(method, body);
  }
  async validateDriverMethod(method: string, _httpMethod: string, body: JsonObject): Promise<void> {
    needBar(method, body);
  }
  async callMethod(task: Task, method: string, _httpMethod: string, body: JsonObject): Promise<unknown> {
    needBar(method, body);
    switch (method) {
      case 'first_method':
        await task.setInternalInfo({ fake_vendor_bar: body.bar });
        return null;
      case 'third_method_sync':
        return body.bar === 'meow';
      case 'fourth_method_shared_lock':
        return body.bar === 'woof';
      default:
        throw new InvalidParameterValue(`No handler for method ${method}`);
    }
  }
  async callDriverMethod(method: string, _httpMethod: string, body: JsonObject): Promise<unknown> {
    if (method !== 'fake_driver_method') throw new InvalidParameterValue(`No handler for method ${method}`);
    needBar(method, body);
    return { bar: body.bar };
  }
}

const factory: InterfaceFactory<'vendor'> = () => new FakeVendor();
export default factory;
