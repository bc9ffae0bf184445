/**
 * Ramdisk callbacks (Ironic ConductorManager.get_node_with_token and heartbeat): the agent token is issued at the
 * first lookup and required on every heartbeat after; a heartbeat records agent_url / agent_version /
 * agent_last_heartbeat (and agent_verify_ca: the path of the stored certificate) in the states Ironic allows heartbeats
 * in (waits and the busy states before them; elsewhere it is logged and dropped) and, in a wait state, lets the deploy
 * interface decide whether the paused flow resumes.
 */
import { agentHeartbeats } from '../metrics.ts';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type AgentHeartbeat, InvalidParameterValue, type JsonObject, LOOKUP_ALLOWED_STATES, NotFound } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { cleaningFailed, continueNodeClean } from './clean.ts';
import { storeAgentCertificate } from './agent-certificate.ts';
import { errText, safely } from './common.ts';
import { continueNodeDeploy, deployFailed } from './deploy.ts';
import { continueNodeService, servicingFailed } from './service.ts';
import { agentServiceHeartbeatFailed } from './service-agent.ts';

const SECRET = '******';
const HEARTBEAT_ALLOWED = ['wait call-back', 'clean wait', 'rescue wait', 'deploying', 'cleaning', 'rescuing', 'deploy hold', 'clean hold', 'servicing', 'service wait', 'service hold'];

export async function getNodeWithToken(ctx: ConductorContext, uuid: string): Promise<{ node: JsonObject; token: string }> {
  return withTask(ctx, uuid, { purpose: 'get node with agent token', attempts: 5 }, async (task) => {
    // re-checked under the lock: a lookup that waited for the lock must not mint a token for a node that left the
    // ramdisk states meanwhile (it would shadow the token of the next ramdisk)
    if (ctx.settings.restrict_lookup !== false && !LOOKUP_ALLOWED_STATES.includes(task.node.provision_state)) {
      throw new NotFound('Resource could not be found.');
    }
    let token = SECRET;
    if (typeof task.node.driver_internal_info.agent_secret_token !== 'string') {
      token = randomBytes(32).toString('base64url');
      await task.setInternalInfo({ agent_secret_token: token });
    }
    return { node: task.node as unknown as JsonObject, token };
  });
}

function tokenMatches(stored: unknown, given: string | null): boolean {
  if (typeof stored !== 'string' || !given) return false;
  const a = Buffer.from(stored);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

type Resume = 'deploy' | 'clean' | 'service' | null;

export async function agentHeartbeat(ctx: ConductorContext, uuid: string, hb: AgentHeartbeat): Promise<void> {
  const resume = await withTask<Resume>(ctx, uuid, { purpose: 'heartbeat', attempts: 5 }, async (task) => {
    const info = task.node.driver_internal_info;
    if (!hb.agent_token) throw new InvalidParameterValue('Agent token is required for heartbeat processing.');
    if (!tokenMatches(info.agent_secret_token, hb.agent_token)) throw new InvalidParameterValue('Invalid or missing agent token received.');
    if (typeof info.agent_url === 'string' && info.agent_url !== hb.callback_url) {
      throw new InvalidParameterValue('Detected change in ramdisk provided "callback_url"');
    }
    // Ironic's HeartbeatMixin.heartbeat: outside HEARTBEAT_ALLOWED (Ironic 39's, with the hold and service states) nothing is recorded (a rescue agent still running
    // in `rescue` must not leave its URL for the next flow)
    if (!HEARTBEAT_ALLOWED.includes(task.node.provision_state)) {
      task.log.error(`Heartbeat from node ${task.node.uuid} in unsupported provision state ${task.node.provision_state}, not taking any action.`);
      return null;
    }
    // the agent's certificate goes to a file; its path is what the node keeps (Ironic's store_agent_certificate)
    const verifyCa = hb.agent_verify_ca ? { agent_verify_ca: await storeAgentCertificate(task, hb.agent_verify_ca) } : {};
    const state = task.node.provision_state;
    const recorded = { agent_url: hb.callback_url, agent_version: hb.agent_version, agent_last_heartbeat: new Date().toISOString(), ...verifyCa };
    const internal = task.mergedInternalInfo(recorded) ?? task.node.driver_internal_info;
    // Ironic's node.touch_provisioning() in the deploy/clean wait heartbeat: a live agent moves the callback deadline
    // (deploy_callback_timeout / clean_callback_timeout run from provision_updated_at); rescue wait is not touched
    const touch = !task.node.maintenance && (state === 'wait call-back' || state === 'clean wait' || state === 'service wait') ? { provision_updated_at: new Date().toISOString() } : {};
    await task.saveNode({ driver_internal_info: internal, ...touch });
    agentHeartbeats.inc({ provision_state: state });
    if (task.node.maintenance || !['wait call-back', 'clean wait', 'rescue wait', 'service wait'].includes(state)) return null;
    const deploy = task.driver.get('deploy');
    if (!deploy.heartbeat) return null;
    let outcome: unknown;
    try {
      outcome = await deploy.heartbeat(task, hb.callback_url, hb.agent_version, hb.agent_status ?? null);
    } catch (err) {
      await heartbeatFailed(task, state, err);
      return null;
    }
    if (outcome !== 'continue') return null;
    if (state === 'rescue wait') {
      await task.processEvent('resume');
      await task.processEvent('done');
      return null;
    }
    return state === 'wait call-back' ? 'deploy' : state === 'service wait' ? 'service' : 'clean';
  });
  if (resume === 'deploy') await continueNodeDeploy(ctx, uuid);
  else if (resume === 'clean') await continueNodeClean(ctx, uuid);
  else if (resume === 'service') await continueNodeService(ctx, uuid);
}

async function heartbeatFailed(task: TaskManager, state: string, err: unknown): Promise<void> {
  if (state === 'wait call-back') return deployFailed(task, err);
  if (state === 'clean wait') return cleaningFailed(task, err);
  if (state === 'service wait') return agentServiceHeartbeatFailed(task, err, servicingFailed);
  const msg = `Failed to rescue node ${task.node.uuid}: ${errText(err)}`;
  task.log.error(msg);
  await safely(task, 'rescue failure handling', () => task.processEvent('fail', { lastError: msg }));
}
