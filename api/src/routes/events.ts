/** POST /v1/events (1.54): external (Neutron) network events; validated, logged, answered 204. */
import Joi from 'joi';
import { NotFound } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { Query } from '../query.ts';
import { mac, uuid, validateBody } from '../validate/common.ts';

export const NETWORK_EVENTS = ['network.bind_port', 'network.unbind_port', 'network.delete_port'];

const EVENT = Joi.object({
  event: Joi.string()
    .valid(...NETWORK_EVENTS)
    .required()
    .messages({ 'any.only': `'{#value}' is not one of [${NETWORK_EVENTS.map((e) => `'${e}'`).join(', ')}]` }),
  port_id: uuid().required(),
  mac_address: mac().required(),
  status: Joi.string().required(),
  device_id: uuid().allow(null),
  'binding:host_id': Joi.string().allow(null),
  'binding:vnic_type': Joi.string().allow(null),
}).unknown(false);

export const EVENTS_SCHEMA = Joi.object({ events: Joi.array().items(EVENT).min(1).required() }).unknown(false);

export function register(router: ApiRouter, _deps: RouteDeps): void {
  router.post('/v1/events', async (ctx) => {
    new Query(ctx.query, []);
    validateBody(EVENTS_SCHEMA, ctx.state.body, 'evts'); // Ironic validates the body before the version
    if (ctx.state.minor < 54) throw new NotFound('Resource could not be found.');
    ctx.status = 204;
  });
}
