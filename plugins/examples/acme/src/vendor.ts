/**
 * The acme vendor interface: passthru methods on a node, and one on the driver.
 *   POST /v1/nodes/{node}/vendor_passthru?method=identify  {"seconds": N}  sync → BMC's answer
 *   GET  /v1/nodes/{node}/vendor_passthru?method=firmware_version           sync → {"version": ...}
 *   GET  /v1/drivers/acme/vendor_passthru?method=supported_models           sync → ["R1", "R2"]
 */
import {
  InvalidParameterValue,
  type InterfaceFactory,
  type JsonObject,
  type Task,
  type VendorInterface,
  type VendorMethod,
} from '@anvil/sdk';
import { bmcAddress, bmcCall } from './bmc-client.ts';

const sync = (http: string[], description: string, exclusive = false): VendorMethod => ({
  http_methods: http,
  async: false,
  description,
  attach: false,
  require_exclusive_lock: exclusive,
});

/** "seconds" as a number; the baremetal CLI sends --arg values as strings. */
const seconds = (body: JsonObject): number =>
  typeof body.seconds === 'string' && body.seconds.trim() !== '' ? Number(body.seconds) : Number(body.seconds ?? Number.NaN);

export class AcmeVendor implements VendorInterface {
  getProperties() {
    return {};
  }
  async validate(task: Task): Promise<void> {
    bmcAddress(task.node.driver_info);
  }
  methods(): Record<string, VendorMethod> {
    return {
      identify: sync(['POST'], 'Blink the front LED for "seconds" (1-300).', true),
      firmware_version: sync(['GET'], 'Report the BMC firmware version.'),
    };
  }
  driverMethods(): Record<string, VendorMethod> {
    return { supported_models: sync(['GET'], 'List the Acme models this plugin drives.') };
  }
  async validateMethod(task: Task, method: string, _http: string, body: JsonObject): Promise<void> {
    bmcAddress(task.node.driver_info);
    if (method === 'identify') {
      const s = seconds(body);
      if (!Number.isInteger(s) || s < 1 || s > 300) {
        throw new InvalidParameterValue('identify needs "seconds", an integer from 1 to 300.');
      }
    }
  }
  async callMethod(task: Task, method: string, _http: string, body: JsonObject): Promise<unknown> {
    const bmc = bmcAddress(task.node.driver_info);
    if (method === 'identify') return bmcCall(bmc, 'POST', '/identify', { seconds: seconds(body) });
    if (method === 'firmware_version') return bmcCall(bmc, 'GET', '/firmware');
    throw new InvalidParameterValue(`No handler for method ${method}`);
  }
  async callDriverMethod(method: string): Promise<unknown> {
    if (method === 'supported_models') return ['R1', 'R2'];
    throw new InvalidParameterValue(`No handler for method ${method}`);
  }
}

const factory: InterfaceFactory<'vendor'> = () => new AcmeVendor();
export default factory;
