/**
 * A runbook in place of explicit steps (`PUT /v1/nodes/{node}/states/provision` with `runbook`, Ironic 1.92): the
 * runbook must be usable by the caller (baremetal:runbook:use) and approved for the node — below 1.112 its name is
 * one of the node's traits, from 1.112 the node shares one of the runbook's traits — and then its steps (in their
 * stored order) become the clean steps (or service steps) and its disable_ramdisk the operation's.
 */
import { AnvilError, InvalidParameterValue, type JsonObject, NotAcceptable, NotFound, type RunbookRecord } from '@anvil/sdk';
import type { Database, NodeView } from '@anvil/db';
import type { ApiContext } from '../context.ts';
import { pyRepr } from '@anvil/sdk';
import { check, forbidden } from '../policy/authorize.ts';
import { isUuidLike, LOGICAL_NAME_RE } from '../validate/common.ts';

export interface RunbookSteps {
  clean_steps?: JsonObject[];
  service_steps?: JsonObject[];
  disable_ramdisk: boolean;
}

/** Ironic's args.types(None, str) check on the request body, before anything else is looked at. */
export function checkRunbookArg(runbook: unknown): string | undefined {
  if (runbook === undefined || runbook === null) return undefined;
  if (typeof runbook !== 'string')
    throw new InvalidParameterValue(`Expected types <class 'NoneType'>, <class 'str'> for runbook: ${typeof runbook === 'number' ? runbook : pyRepr(runbook)}`);
  return runbook;
}

async function lookup(db: Database, ident: string): Promise<RunbookRecord> {
  if (!isUuidLike(ident) && !LOGICAL_NAME_RE.test(ident)) throw new InvalidParameterValue(`Expected a logical name or UUID but received ${ident}.`);
  try {
    return await db.runbooks.getByIdent(ident);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new NotFound(`Runbook ${ident} could not be found.`);
    throw e;
  }
}

/** Approval (pure): Ironic 39's trait-match rule for the request's version. */
export function checkApproved(rb: RunbookRecord, node: Pick<NodeView, 'uuid'>, nodeTraits: string[], minor: number): void {
  const has = new Set(nodeTraits);
  if (minor >= 112) {
    if (rb.traits.length === 0)
      throw new InvalidParameterValue(`Runbook ${rb.uuid} has no traits configured. Please ask an administrator to add traits to the runbook.`);
    if (!rb.traits.some((t) => has.has(t)))
      throw new InvalidParameterValue(
        `This runbook has not been approved for use on this node ${node.uuid}. The node does not have any of the runbook's traits ${pyRepr([...rb.traits].sort())}. Please ask an administrator to add a matching trait to your node.`,
      );
  } else if (!has.has(rb.name)) {
    throw new InvalidParameterValue(`This runbook has not been approved for use on this node ${node.uuid}. Please ask an administrator to add it to your node traits.`);
  }
}

/** The steps of the runbook for this target; explicit steps as well → 400, as Ironic. */
export async function runbookSteps(
  ctx: ApiContext,
  db: Database,
  node: NodeView,
  target: string,
  ident: string,
  explicit: { clean_steps?: unknown; service_steps?: unknown },
): Promise<RunbookSteps> {
  const minor = ctx.state.minor;
  if (minor < 92) throw new NotAcceptable('Request not acceptable.');
  const rb = await lookup(db, ident);
  const auth = ctx.state.auth;
  if (auth && !check('baremetal:runbook:use', { runbook_owner: rb.owner }, auth.creds, auth.policy)) throw forbidden('baremetal:runbook:use');
  checkApproved(rb, node, await db.traits.list(node.id), minor);
  const steps = rb.steps.map((s) => ({ interface: s.interface, step: s.step, args: s.args }));
  const out: RunbookSteps = { disable_ramdisk: rb.disable_ramdisk };
  if (target === 'clean') {
    if (explicit.clean_steps) throw new InvalidParameterValue('Please provide either "clean_steps" or a runbook, but not both.');
    out.clean_steps = steps;
  } else if (target === 'service') {
    if (explicit.service_steps) throw new InvalidParameterValue('Please provide either "service_steps" or a runbook, but not both.');
    out.service_steps = steps;
  }
  return out;
}
