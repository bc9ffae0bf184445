/**
 * The RFB security proxy of ironic-novncproxy (Ironic's RFBSecurityProxy): between the ProtocolVersion exchange and
 * the SecurityResult it poses as a server offering only "None" to the browser (tenant) and as a client to the VNC
 * server (host), choosing one of the configured auth schemes (`vnc_novnc_auth_schemes`; Ironic knows only
 * "none"). RFB 3.8 on both sides, as Ironic mandates. After it returns, bytes are piped unchanged (the host's
 * SecurityResult included).
 */
import { RFB_38, SECURITY, VERSION_LENGTH, parseVersion, securityFailed } from './rfb.ts';

export interface Channel {
  read(n: number): Promise<Buffer>;
  write(b: Buffer): void;
}

export class SecurityProxyNegotiationFailed extends Error {
  override name = 'SecurityProxyNegotiationFailed';
}

const SCHEME_TYPES: Record<string, number> = { none: SECURITY.none };
/** a security-type count of 0: the reason follows */
const AUTH_STATUS_FAIL = Buffer.from([0]);

export async function negotiateSecurity(tenant: Channel, host: Channel, authSchemes: readonly string[] = ['none']): Promise<void> {
  const hostVersion = await host.read(VERSION_LENGTH);
  if (parseVersion(hostVersion) !== 3.8)
    throw new SecurityProxyNegotiationFailed(`Security proxying requires RFB protocol version 3.8, but server sent ${hostVersion.subarray(0, -1).toString('latin1')}`);
  host.write(hostVersion);
  tenant.write(Buffer.from(RFB_38, 'latin1'));
  const tenantVersion = await tenant.read(VERSION_LENGTH);
  if (parseVersion(tenantVersion) !== 3.8)
    throw new SecurityProxyNegotiationFailed(`Security proxying requires RFB protocol version 3.8, but tenant asked for ${tenantVersion.subarray(0, -1).toString('latin1')}`);

  const count = (await host.read(1))[0];
  if (count === 0) {
    // the server refused: pass its reason on (bounded, as Ironic does)
    const lenRaw = await host.read(4);
    const len = lenRaw.readUInt32BE(0);
    const reason = len <= 256 ? await host.read(len) : Buffer.from('Unable to negotiate security with server');
    const reasonLen = Buffer.alloc(4);
    reasonLen.writeUInt32BE(reason.length, 0);
    tenant.write(Buffer.concat([AUTH_STATUS_FAIL, reasonLen, reason]));
    throw new SecurityProxyNegotiationFailed(reason.toString('utf8'));
  }
  const offered = [...(await host.read(count))];

  // the tenant is offered "None" only
  tenant.write(Buffer.from([1, SECURITY.none]));
  const chosen = (await tenant.read(1))[0];
  if (chosen !== SECURITY.none) {
    tenant.write(securityFailed(`Only the security type ${SECURITY.none} (NONE) is supported`));
    host.write(Buffer.from([SECURITY.invalid]));
    throw new SecurityProxyNegotiationFailed(`Client requested a security type other than ${SECURITY.none} (NONE): ${chosen}`);
  }
  const scheme = authSchemes.map((s) => SCHEME_TYPES[s]).find((t) => t !== undefined && offered.includes(t));
  if (scheme === undefined) {
    // the tenant is not told what really failed (Ironic: information leakage)
    tenant.write(securityFailed('Unable to negotiate security with server'));
    host.write(Buffer.from([SECURITY.invalid]));
    throw new SecurityProxyNegotiationFailed(`No host auth available: the server offers ${offered.join(', ')}, allowed: ${authSchemes.join(', ')}`);
  }
  // "None" needs no handshake of its own: the host's SecurityResult is proxied to the tenant
  host.write(Buffer.from([scheme]));
}
