/**
 * The Acme BMC's (made-up) HTTP protocol, the only I/O of this plugin:
 *   GET  /power            → {"state": "on" | "off"}
 *   PUT  /power  {"state"} → 204
 *   POST /identify {"seconds"} → {"identifying": true}
 *   GET  /firmware         → {"version": "..."}
 *   POST /reset            → 204          (the reset_bmc clean step)
 * driver_info: acme_address ("host:port", required), acme_password (optional, sent as a bearer token).
 */
import { DriverOperationError, InvalidParameterValue, type JsonObject, MissingParameterValue } from '@anvil/sdk';

export interface BmcAddress {
  base: string;
  password: string | null;
}

export function bmcAddress(driverInfo: JsonObject): BmcAddress {
  const addr = driverInfo.acme_address;
  if (addr === undefined || addr === null || addr === '') {
    throw new MissingParameterValue('Missing the following Acme parameters in node\'s driver_info: acme_address.');
  }
  if (typeof addr !== 'string' || !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(addr)) {
    throw new InvalidParameterValue(`acme_address must look like host:port, got '${String(addr)}'.`);
  }
  const pw = driverInfo.acme_password;
  return { base: `http://${addr}`, password: typeof pw === 'string' ? pw : null };
}

export async function bmcCall(bmc: BmcAddress, method: string, path: string, body?: JsonObject): Promise<JsonObject | null> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bmc.password) headers.authorization = `Bearer ${bmc.password}`;
  let res: Response;
  try {
    res = await fetch(bmc.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw new DriverOperationError(`Acme BMC at ${bmc.base} unreachable: ${(e as Error).message}`);
  }
  if (!res.ok) throw new DriverOperationError(`Acme BMC ${method} ${path} failed: HTTP ${res.status}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as JsonObject) : null;
}
