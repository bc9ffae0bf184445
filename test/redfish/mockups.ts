/**
 * DMTF-style mockup trees (one index.json per resource, as sushy-static serves them) for vendor quirks: virtual
 * media only under the System, no InsertMedia action, a SessionService, an EventService, a vendor name; and the
 * quirks.json behaviours of sushy_launch.py (409 while in POST, full Boot payload, sessions, always 500).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MockupOptions {
  manufacturer?: string;
  /** where the virtual media collection lives */
  vmediaUnder?: 'Managers' | 'Systems';
  insertAction?: boolean;
  sessions?: { user: string; password: string; ttl?: number };
  events?: boolean;
  quirks?: { busy_writes?: number; full_boot_payload?: boolean; always_500?: boolean; etag?: boolean; etag_changes_once?: string; expand?: boolean };
  /** SecureBoot resource under the System */
  secureBoot?: boolean;
}

const S = '/redfish/v1/Systems/1';
const M = '/redfish/v1/Managers/1';

export function writeMockup(dir: string, o: MockupOptions = {}): void {
  const put = (path: string, body: object) => {
    const d = join(dir, path.replace(/^\/redfish\/v1\/?/, ''));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'index.json'), JSON.stringify({ '@odata.id': path, ...body }, null, 1));
  };
  const vmParent = o.vmediaUnder === 'Systems' ? S : M;
  const root: Record<string, unknown> = { '@odata.type': '#ServiceRoot.v1_11_0.ServiceRoot', Id: 'RootService', RedfishVersion: '1.11.0', Systems: { '@odata.id': '/redfish/v1/Systems' }, Managers: { '@odata.id': '/redfish/v1/Managers' } };
  if (o.sessions) {
    root.SessionService = { '@odata.id': '/redfish/v1/SessionService' };
    root.Links = { Sessions: { '@odata.id': '/redfish/v1/SessionService/Sessions' } };
    put('/redfish/v1/SessionService', { Id: 'SessionService', Sessions: { '@odata.id': '/redfish/v1/SessionService/Sessions' } });
    put('/redfish/v1/SessionService/Sessions', { Members: [] });
  }
  if (o.events) {
    root.EventService = { '@odata.id': '/redfish/v1/EventService' };
    put('/redfish/v1/EventService', { Id: 'EventService', Subscriptions: { '@odata.id': '/redfish/v1/EventService/Subscriptions' } });
    put('/redfish/v1/EventService/Subscriptions', { Members: [{ '@odata.id': '/redfish/v1/EventService/Subscriptions/7' }] });
    put('/redfish/v1/EventService/Subscriptions/7', { Id: '7', Destination: 'https://collector.example/events', EventTypes: ['Alert'], Context: 'anvil', Protocol: 'Redfish' });
  }
  if (o.quirks?.expand) root.ProtocolFeaturesSupported = { ExpandQuery: { Levels: true, MaxLevels: 1, ExpandAll: false, NoLinks: true, Links: false } };
  put('/redfish/v1', root);
  put('/redfish/v1/Systems', { Members: [{ '@odata.id': S }] });
  const system: Record<string, unknown> = {
    '@odata.type': '#ComputerSystem.v1_13_0.ComputerSystem',
    Id: '1',
    Manufacturer: o.manufacturer ?? 'Contoso',
    PowerState: 'On',
    Boot: { BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'None', BootSourceOverrideMode: 'UEFI', 'BootSourceOverrideTarget@Redfish.AllowableValues': ['Pxe', 'Cd', 'Hdd', 'BiosSetup'] },
    Links: { ManagedBy: [{ '@odata.id': M }] },
    Actions: { '#ComputerSystem.Reset': { target: `${S}/Actions/ComputerSystem.Reset`, 'ResetType@Redfish.AllowableValues': ['On', 'ForceOff', 'GracefulShutdown', 'ForceRestart'] } },
  };
  const manager: Record<string, unknown> = { '@odata.type': '#Manager.v1_10_0.Manager', Id: '1', ManagerType: 'BMC', FirmwareVersion: '2.1' };
  if (o.secureBoot) {
    system.SecureBoot = { '@odata.id': `${S}/SecureBoot` };
    put(`${S}/SecureBoot`, { Id: 'SecureBoot', SecureBootEnable: false, SecureBootMode: 'UserMode' });
  }
  if (vmParent === S) system.VirtualMedia = { '@odata.id': `${S}/VirtualMedia` };
  else manager.VirtualMedia = { '@odata.id': `${M}/VirtualMedia` };
  put(S, system);
  put('/redfish/v1/Managers', { Members: [{ '@odata.id': M }] });
  put(M, manager);
  put(`${vmParent}/VirtualMedia`, { Members: [{ '@odata.id': `${vmParent}/VirtualMedia/Floppy1` }, { '@odata.id': `${vmParent}/VirtualMedia/CD1` }] });
  put(`${vmParent}/VirtualMedia/Floppy1`, { Id: 'Floppy1', MediaTypes: ['Floppy', 'USBStick'], Inserted: false, Image: null });
  const cd: Record<string, unknown> = { Id: 'CD1', MediaTypes: ['CD', 'DVD'], Inserted: false, Image: null };
  if (o.insertAction !== false) {
    cd.Actions = {
      '#VirtualMedia.InsertMedia': { target: `${vmParent}/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia` },
      '#VirtualMedia.EjectMedia': { target: `${vmParent}/VirtualMedia/CD1/Actions/VirtualMedia.EjectMedia` },
    };
  }
  put(`${vmParent}/VirtualMedia/CD1`, cd);
  const quirks: Record<string, unknown> = { ...o.quirks };
  if (o.sessions) quirks.sessions = o.sessions;
  writeFileSync(join(dir, 'quirks.json'), JSON.stringify(quirks));
}
