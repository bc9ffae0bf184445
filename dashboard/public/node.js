// One node: its states, power and provision actions (each confirmed first), last_error explained by Anvil's
// diagnosis (GET /v1/anvil/nodes/{node}/why), and a state timeline: the node history (with diagnoses) and the
// node events that arrive while the page is open.
import { api, ApiError } from './api.js';
import { fmtTime, h, notice, stateClass } from './dom.js';

/** Provision verbs Ironic accepts from each state (the common ones), as PUT /states/provision targets. */
export const VERBS = {
  enroll: ['manage'],
  manageable: ['provide', 'inspect', 'adopt'],
  available: ['active', 'manage'],
  active: ['deleted', 'rebuild', 'rescue'],
  'deploy failed': ['deleted', 'active'],
  'clean failed': ['manage'],
  'inspect failed': ['manage', 'inspect'],
  'adopt failed': ['manage', 'adopt'],
  'rescue failed': ['unrescue', 'deleted'],
  rescue: ['unrescue', 'deleted'],
  error: ['deleted', 'rebuild'],
  'wait call-back': ['abort'],
  'clean wait': ['abort'],
  'inspect wait': ['abort'],
  'rescue wait': ['abort'],
};
const VERB_LABEL = { active: 'deploy', deleted: 'undeploy' };
const POWER = [
  ['power on', 'power on'],
  ['power off', 'power off'],
  ['rebooting', 'reboot'],
];

function field(label, value) {
  return [h('dt', {}, label), h('dd', {}, value === null || value === undefined || value === '' ? '—' : String(value))];
}

function whyPanel(why) {
  const parts = [];
  const f = why.last_failure;
  if (f) {
    const d = f.diagnosis;
    parts.push(
      h('h3', {}, 'Last error'),
      h('p', { class: 'last-error' }, f.last_error),
      h(
        'dl',
        { class: 'diagnosis', id: 'diagnosis' },
        field('Diagnosis', d.code),
        field('Step', d.step),
        field('Interface', d.interface),
        field('Cause', d.cause),
        field('What to check', d.hint),
        field('Retrying helps', d.retryable ? 'yes' : 'no'),
      ),
    );
  }
  if (why.waiting) parts.push(h('p', {}, `Waiting for ${why.waiting.for}${why.waiting.until ? ` until ${fmtTime(why.waiting.until)}` : ''}.`));
  if (why.lock) parts.push(h('p', {}, `Locked by ${why.lock.holder} since ${fmtTime(why.lock.since)}${why.lock.alive ? '' : ' (that conductor is not alive)'}.`));
  if (why.current) parts.push(h('p', {}, `Now: ${why.current.cause} — ${why.current.hint}`));
  if (!parts.length) parts.push(h('p', { class: 'muted' }, 'Nothing failed and nothing is pending.'));
  return h('section', { class: 'why', id: 'why' }, h('h2', {}, 'Explained'), ...parts);
}

function timelineItem(t) {
  const d = t.diagnosis ? ` — ${t.diagnosis.code}: ${t.diagnosis.hint}` : '';
  return h(
    'li',
    { class: `tl-${t.kind} sev-${(t.severity ?? 'info').toLowerCase()}` },
    h('time', {}, fmtTime(t.at)),
    ' ',
    h('span', { class: 'tl-source' }, t.kind === 'live' ? 'event' : 'history'),
    ' ',
    t.text,
    d,
  );
}

async function act(node, path, body, question, out) {
  if (!window.confirm(question)) return;
  out.replaceChildren();
  try {
    await api('PUT', `/v1/nodes/${node.uuid}/states/${path}`, body);
    out.replaceChildren(notice(`Accepted: ${question.replace(/\?$/, '')}`, 'ok'));
  } catch (e) {
    out.replaceChildren(notice(e instanceof ApiError ? `${e.message} (HTTP ${e.status})` : String(e)));
  }
}

export async function renderNode(main, ident, onNodeEvent) {
  const node = await api('GET', `/v1/nodes/${encodeURIComponent(ident)}`);
  const [why, hist] = await Promise.all([
    api('GET', `/v1/anvil/nodes/${node.uuid}/why`).catch(() => null),
    api('GET', `/v1/anvil/nodes/${node.uuid}/history`).catch(() => ({ history: [] })),
  ]);
  const out = h('div', { class: 'action-result', id: 'action-result' });
  const states = h('dl', { class: 'states', id: 'node-states' });
  const actions = h('div', { class: 'actions', id: 'actions' });
  const whyBox = h('div');
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  const showStates = (n) => {
    states.replaceChildren(
      h('dt', {}, 'Provision state'),
      h('dd', {}, h('span', { class: stateClass(n.provision_state), id: 'provision-state' }, n.provision_state), n.target_provision_state ? ` → ${n.target_provision_state}` : ''),
      ...field('Power state', n.power_state),
      ...field('Maintenance', n.maintenance ? `yes${n.maintenance_reason ? ` (${n.maintenance_reason})` : ''}` : 'no'),
    );
    const verbs = VERBS[n.provision_state] ?? [];
    actions.replaceChildren(
      ...POWER.map(([target, label]) =>
        h('button', { type: 'button', onclick: () => act(node, 'power', { target }, `${label} ${node.name ?? node.uuid}?`, out) }, label),
      ),
      ...verbs.map((v) =>
        h('button', { type: 'button', class: 'provision', dataset: { verb: v }, onclick: () => act(node, 'provision', { target: v }, `${VERB_LABEL[v] ?? v} ${node.name ?? node.uuid}?`, out) }, VERB_LABEL[v] ?? v),
      ),
    );
  };
  showStates(node);
  if (why) whyBox.replaceChildren(whyPanel(why));
  const items = hist.history.map((e) => ({ kind: 'history', at: e.created_at, severity: e.severity, text: `${e.event_type ?? ''} ${e.event}`.trim(), diagnosis: e.diagnosis }));
  items.sort((a, b) => String(b.at).localeCompare(String(a.at)));
  timeline.replaceChildren(...items.map(timelineItem));
  main.append(
    h('p', {}, h('a', { href: '#/nodes' }, '← all nodes')),
    h('h1', {}, node.name ?? node.uuid, ' ', h('small', {}, node.uuid)),
    h('div', { class: 'node-grid' },
      h('section', {}, h('h2', {}, 'State'), states, h('h2', {}, 'Actions'), actions, out),
      h('section', {}, h('h2', {}, 'Node'), h('dl', {}, ...field('Driver', node.driver), ...field('Conductor', node.conductor), ...field('Owner', node.owner), ...field('Resource class', node.resource_class), ...field('Updated', fmtTime(node.provision_updated_at))))),
    whyBox,
    h('section', {}, h('h2', {}, 'Timeline'), timeline),
  );
  return onNodeEvent(async (e) => {
    if (e.uuid !== node.uuid) return;
    showStates(e);
    const text = `${e.event}: ${e.provision_state}${e.target_provision_state ? ` → ${e.target_provision_state}` : ''}, power ${e.power_state ?? '—'}${e.last_error ? ` — ${e.last_error}` : ''}`;
    timeline.prepend(timelineItem({ kind: 'live', at: e.at, severity: e.last_error ? 'ERROR' : 'INFO', text, diagnosis: e.diagnosis }));
    const w = await api('GET', `/v1/anvil/nodes/${node.uuid}/why`).catch(() => null);
    if (w) whyBox.replaceChildren(whyPanel(w));
  });
}
