/** The `ipmitool` vendor interface (Ironic's name): send_raw and bmc_reset passthru methods. */
import { type InterfaceFactory, InvalidParameterValue, type JsonObject, type Task, type VendorInterface, type VendorMethod } from '@anvil/sdk';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';
import { ipmiCall, ipmiContext } from './ipmi-call.ts';

/** "0x06 0x01 ..." → bytes; Ironic's raw_bytes argument. */
export function parseRawBytes(raw: unknown): number[] {
  if (typeof raw !== 'string' || raw.trim() === '') throw new InvalidParameterValue('Parameter raw_bytes (string of bytes) was not specified.');
  const parts = raw.trim().split(/\s+/);
  const bytes = parts.map((p) => (/^0x[0-9a-f]{1,2}$/i.test(p) ? Number.parseInt(p, 16) : /^[0-9]{1,3}$/.test(p) ? Number(p) : Number.NaN));
  if (bytes.length < 2 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) {
    throw new InvalidParameterValue(`Invalid raw bytes string: "${raw}"; expected netfn, command and data bytes like "0x06 0x01".`);
  }
  return bytes;
}

export class IpmitoolVendor implements VendorInterface {
  constructor(private readonly config: Readonly<Record<string, unknown>> = {}) {}

  getProperties() {
    return { ...COMMON_PROPERTIES };
  }

  async validate(task: Task): Promise<void> {
    parseDriverInfo(task.node.driver_info);
  }

  methods(): Record<string, VendorMethod> {
    return {
      send_raw: { http_methods: ['POST'], async: true, description: 'Send raw bytes to the BMC. Required argument: raw_bytes, e.g. "0x06 0x01".', attach: false, require_exclusive_lock: true },
      bmc_reset: { http_methods: ['POST'], async: true, description: 'Reset the BMC. Optional argument: warm (boolean, default false = cold reset).', attach: false, require_exclusive_lock: true },
    };
  }

  async callMethod(task: Task, method: string, _httpMethod: string, body: JsonObject): Promise<unknown> {
    const ctx = await ipmiContext(task, this.config);
    if (method === 'send_raw') {
      const [netFn, cmd, ...data] = parseRawBytes(body.raw_bytes);
      const r = await ipmiCall(task, `send raw bytes ${String(body.raw_bytes)}`, () => ctx.client.rawResponse(netFn, cmd, Buffer.from(data)));
      return { completion_code: r.completionCode, data: [...r.data].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ') };
    }
    if (method === 'bmc_reset') {
      const warm = body.warm === true || body.warm === 'true';
      await ipmiCall(task, `${warm ? 'warm' : 'cold'} BMC reset`, () => ctx.client.raw(0x06, warm ? 0x03 : 0x02));
      return null;
    }
    throw new InvalidParameterValue(`Unsupported method (${method}) passed to the ipmitool vendor interface.`);
  }
}

const factory: InterfaceFactory<'vendor'> = (config) => new IpmitoolVendor(config);
export default factory;
