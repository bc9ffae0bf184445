/**
 * Ironic's "fake" vendor interface (its FakeVendorB): passthru methods for exercising the vendor_passthru API.
 *   second_method              POST, async, exclusive lock: bar == "kazoo". Anvil also keeps `bar` in
 *                              driver_internal_info.fake_vendor_bar so the asynchronous run can be observed.
 *   third_method_sync          POST, sync: returns whether bar == "meow"
 *   fourth_method_shared_lock  POST, async, shared lock: bar == "woof"
 * Driver-level (no node): fake_driver_method  GET/POST, sync: echoes `bar`.
 * Every method needs a `bar` argument (MissingParameterValue otherwise).
 * Service steps (Ironic 39): `log_passthrough` (no ramdisk needed, does nothing; also an automated clean step at
 * priority 1) and `trigger_servicewait` (leaves
 * the node in `service wait`, nothing ever continues it); another step name fails as Ironic's AttributeError does.
 */
import {
  InvalidParameterValue,
  type InterfaceFactory,
  type JsonObject,
  MissingParameterValue,
  type StepDeclaration,
  type Task,
  type VendorInterface,
  type VendorMethod,
} from '@anvil/sdk';

const method = (async: boolean, description: string, exclusive = true): VendorMethod => ({
  http_methods: ['POST'],
  async,
  description,
  attach: false,
  require_exclusive_lock: exclusive,
});

const METHODS: Record<string, VendorMethod> = {
  second_method: method(true, 'Test if the value of bar is kazoo (asynchronous; the value is kept in the node).'),
  third_method_sync: method(false, 'Test if the value of bar is meow.'),
  fourth_method_shared_lock: method(true, 'Test if the value of bar is woof, under a shared lock.', false),
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

function needBar(name: string, body: JsonObject): void {
  if (body.bar === undefined || body.bar === null || body.bar === '') {
    throw new MissingParameterValue(`Parameter 'bar' not passed to method '${name}'.`);
  }
}

export class FakeVendor implements VendorInterface {
  readonly ironicClass = 'FakeVendorB';
  readonly serviceSteps: StepDeclaration[] = [
    { step: 'log_passthrough', priority: 0, abortable: false, requires_ramdisk: false },
    { step: 'trigger_servicewait', priority: 0, abortable: false },
  ];
  /** Ironic 39's log_passthrough is a clean step too, at priority 1: automated cleaning runs it (it does nothing). */
  readonly cleanSteps: StepDeclaration[] = [{ step: 'log_passthrough', priority: 1, abortable: false }];
  async executeStep(_task: Task, step: string, _args: JsonObject, _kind: 'clean' | 'deploy' | 'service'): Promise<void | 'wait'> {
    if (step === 'trigger_servicewait') return 'wait';
    if (step !== 'log_passthrough') throw new Error(`'${this.ironicClass}' object has no attribute '${step}'`);
  }
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
  async validateMethod(_task: Task, name: string, _httpMethod: string, body: JsonObject): Promise<void> {
    needBar(name, body);
  }
  async validateDriverMethod(name: string, _httpMethod: string, body: JsonObject): Promise<void> {
    needBar(name, body);
  }
  async callMethod(task: Task, name: string, _httpMethod: string, body: JsonObject): Promise<unknown> {
    needBar(name, body);
    switch (name) {
      case 'second_method':
        await task.setInternalInfo({ fake_vendor_bar: body.bar });
        return body.bar === 'kazoo';
      case 'third_method_sync':
        return body.bar === 'meow';
      case 'fourth_method_shared_lock':
        return body.bar === 'woof';
      default:
        throw new InvalidParameterValue(`No handler for method ${name}`);
    }
  }
  async callDriverMethod(name: string, _httpMethod: string, body: JsonObject): Promise<unknown> {
    if (name !== 'fake_driver_method') throw new InvalidParameterValue(`No handler for method ${name}`);
    needBar(name, body);
    return { bar: body.bar };
  }
}

const factory: InterfaceFactory<'vendor'> = () => new FakeVendor();
export default factory;
