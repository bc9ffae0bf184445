/**
 * The `redfish` vendor interface (Ironic's): event subscriptions through the EventService —
 * create_subscription (POST Destination, EventTypes, Context, Protocol, HttpHeaders), get_subscriptions,
 * delete_subscription (by id) — and eject_vmedia (all CD/DVD media).
 */
import { type InterfaceFactory, InvalidParameterValue, type JsonObject, type Task, type VendorInterface, type VendorMethod } from '@anvil/sdk';
import { type Json, link } from 'redfish-ts';
import { type RedfishContext, RedfishError, redfishContext, rf } from './connection.ts';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';
import { ejectAll } from './vmedia.ts';

const m = (http: string[], description: string, exclusive = false): VendorMethod => ({ http_methods: http, async: false, description, attach: false, require_exclusive_lock: exclusive });

/** Check create_subscription arguments (pure) and build the POST body. */
export function subscriptionBody(body: JsonObject): Json {
  const dest = body.Destination;
  if (typeof dest !== 'string' || !/^https?:\/\//.test(dest)) throw new InvalidParameterValue('Destination must be an http(s) URL.');
  const out: Json = { Destination: dest, Protocol: typeof body.Protocol === 'string' ? body.Protocol : 'Redfish' };
  if (body.EventTypes !== undefined) {
    if (!Array.isArray(body.EventTypes) || body.EventTypes.some((t) => typeof t !== 'string')) throw new InvalidParameterValue('EventTypes must be a list of strings.');
    out.EventTypes = body.EventTypes;
  }
  if (body.Context !== undefined) {
    if (typeof body.Context !== 'string') throw new InvalidParameterValue('Context must be a string.');
    out.Context = body.Context;
  }
  if (body.HttpHeaders !== undefined) {
    if (!Array.isArray(body.HttpHeaders) || body.HttpHeaders.some((h) => !h || typeof h !== 'object' || Array.isArray(h))) throw new InvalidParameterValue('HttpHeaders must be a list of objects.');
    out.HttpHeaders = body.HttpHeaders;
  }
  return out;
}

export class RedfishVendor implements VendorInterface {
  constructor(private readonly config: Readonly<Record<string, unknown>> = {}) {}

  getProperties() {
    return { ...COMMON_PROPERTIES };
  }

  async validate(task: Task): Promise<void> {
    parseDriverInfo(task.node.driver_info);
  }

  methods(): Record<string, VendorMethod> {
    return {
      create_subscription: m(['POST'], 'Creates a subscription on a node. Required argument: a dictionary of {"Destination": "destination_url"}'),
      delete_subscription: m(['DELETE'], 'Delete a subscription on a node. Required argument: a dictionary of {"id": "subscription_bmc_id"}'),
      get_all_subscriptions: m(['GET'], 'Returns all subscriptions on the node.'),
      get_subscription: m(['GET'], 'Get a subscription on the node. Required argument: a dictionary of {"id": "subscription_bmc_id"}'),
      eject_vmedia: m(['POST'], 'Eject a virtual media device.', true),
    };
  }

  async validateMethod(_task: Task, method: string, _http: string, body: JsonObject): Promise<void> {
    if (method === 'create_subscription') subscriptionBody(body);
    if ((method === 'delete_subscription' || method === 'get_subscription') && (typeof body.id !== 'string' || !body.id)) {
      throw new InvalidParameterValue(`${method} needs the subscription "id".`);
    }
  }

  private async events(task: Task, ctx: RedfishContext): Promise<string> {
    const root = await rf(task, ctx.info, 'read the service root', () => ctx.client.root());
    const es = link(root, 'EventService');
    if (!es) throw new RedfishError(`The BMC of node ${task.node.uuid} has no EventService.`);
    const svc = await rf(task, ctx.info, 'read the EventService', () => ctx.client.get(es));
    const subs = link(svc, 'Subscriptions');
    if (!subs) throw new RedfishError(`The EventService of node ${task.node.uuid} offers no Subscriptions.`);
    return subs;
  }

  async callMethod(task: Task, method: string, _http: string, body: JsonObject): Promise<unknown> {
    await this.validateMethod(task, method, _http, body);
    const ctx = await redfishContext(task, this.config);
    if (method === 'eject_vmedia') return { ejected: await ejectAll(task, ctx) };
    const subs = await this.events(task, ctx);
    const one = (id: string) => `${subs}/${encodeURIComponent(id)}`;
    switch (method) {
      case 'create_subscription': {
        const r = await rf(task, ctx.info, 'create an event subscription', () => ctx.client.post(subs, subscriptionBody(body)));
        const loc = typeof r.headers.location === 'string' ? r.headers.location : null;
        if (r.body && Object.keys(r.body).length) return r.body;
        return loc ? rf(task, ctx.info, 'read the new subscription', () => ctx.client.get(loc)) : {};
      }
      case 'get_all_subscriptions':
        return rf(task, ctx.info, 'list event subscriptions', () => ctx.client.get(subs));
      case 'get_subscription':
        return rf(task, ctx.info, 'read an event subscription', () => ctx.client.get(one(String(body.id))));
      case 'delete_subscription':
        await rf(task, ctx.info, 'delete an event subscription', () => ctx.client.delete(one(String(body.id))));
        return null;
      default:
        throw new InvalidParameterValue(`Unknown vendor method ${method}.`);
    }
  }
}

const factory: InterfaceFactory<'vendor'> = (config) => new RedfishVendor(config);
export default factory;
