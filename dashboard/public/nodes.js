// The node table: filters (state, driver, conductor, owner, maintenance) as Ironic's own query parameters on
// GET /v1/nodes/detail, kept in the URL; rows change in place on each node event, then the list is re-read.
import { api } from './api.js';
import { h, stateClass } from './dom.js';

export const PROVISION_STATES = [
  'enroll', 'verifying', 'manageable', 'inspecting', 'inspect wait', 'inspect failed', 'cleaning', 'clean wait',
  'clean failed', 'available', 'deploying', 'wait call-back', 'deploy failed', 'active', 'deleting', 'error',
  'adopting', 'adopt failed', 'rescuing', 'rescue wait', 'rescue failed', 'rescue', 'unrescuing', 'unrescue failed',
  'servicing', 'service wait', 'service failed',
];
const FILTERS = ['provision_state', 'driver', 'conductor', 'owner', 'maintenance'];

function filtersFromHash() {
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
  return Object.fromEntries(FILTERS.map((k) => [k, q.get(k) ?? '']));
}

function select(name, value, options, label) {
  return h(
    'label',
    {},
    label,
    h('select', { name, 'aria-label': label }, h('option', { value: '' }, 'any'), ...options.map((o) => h('option', { value: o, selected: o === value }, o))),
  );
}

function row(n) {
  const target = n.target_provision_state ? ` → ${n.target_provision_state}` : '';
  return h(
    'tr',
    { dataset: { uuid: n.uuid } },
    h('td', {}, h('a', { href: `#/nodes/${n.uuid}` }, n.name ?? n.uuid)),
    h('td', { class: 'power' }, n.power_state ?? ''),
    h('td', { class: 'provision' }, h('span', { class: stateClass(n.provision_state) }, n.provision_state ?? ''), target),
    h('td', { class: 'maintenance' }, n.maintenance ? 'yes' : ''),
    h('td', {}, n.driver),
    h('td', {}, n.conductor ?? ''),
    h('td', {}, n.owner ?? ''),
    h('td', { class: 'error-cell', title: n.last_error ?? '' }, n.last_error ?? ''),
  );
}

/** Apply an event (uuid + state fields) to a row already shown; returns whether one was. */
export function applyEvent(tbody, e) {
  const tr = tbody.querySelector(`tr[data-uuid="${e.uuid}"]`);
  if (!tr) return false;
  const target = e.target_provision_state ? ` → ${e.target_provision_state}` : '';
  tr.querySelector('.power').textContent = e.power_state ?? '';
  tr.querySelector('.provision').replaceChildren(h('span', { class: stateClass(e.provision_state) }, e.provision_state), target);
  tr.querySelector('.maintenance').textContent = e.maintenance ? 'yes' : '';
  const err = tr.querySelector('.error-cell');
  err.textContent = e.last_error ?? '';
  err.title = e.last_error ?? '';
  tr.classList.remove('flash');
  void tr.offsetWidth; // restart the animation
  tr.classList.add('flash');
  return true;
}

export async function renderNodes(main, onNodeEvent) {
  const f = filtersFromHash();
  const [drivers, conductors] = await Promise.all([api('GET', '/v1/drivers'), api('GET', '/v1/conductors')]);
  const form = h(
    'form',
    { class: 'filters', id: 'node-filters' },
    select('provision_state', f.provision_state, PROVISION_STATES, 'State'),
    select('driver', f.driver, drivers.drivers.map((d) => d.name), 'Driver'),
    select('conductor', f.conductor, conductors.conductors.map((c) => c.hostname), 'Conductor'),
    h('label', {}, 'Owner', h('input', { name: 'owner', value: f.owner, placeholder: 'project id', 'aria-label': 'Owner' })),
    select('maintenance', f.maintenance, ['true', 'false'], 'Maintenance'),
  );
  const apply = () => {
    const q = new URLSearchParams();
    for (const k of FILTERS) if (form.elements[k].value) q.set(k, form.elements[k].value);
    location.hash = `#/nodes${q.size ? `?${q}` : ''}`;
  };
  form.addEventListener('change', apply);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    apply();
  });
  const tbody = h('tbody');
  const count = h('span', { class: 'count' });
  const load = async () => {
    const q = new URLSearchParams();
    for (const k of FILTERS) if (f[k]) q.set(k, f[k]);
    q.set('limit', '1000');
    const { nodes } = await api('GET', `/v1/nodes/detail?${q}`);
    tbody.replaceChildren(...nodes.map(row));
    count.textContent = `${nodes.length} node${nodes.length === 1 ? '' : 's'}`;
  };
  await load();
  main.append(
    h('h1', {}, 'Nodes ', count),
    form,
    h(
      'table',
      { class: 'nodes', id: 'nodes' },
      h('thead', {}, h('tr', {}, ...['Node', 'Power', 'Provision state', 'Maintenance', 'Driver', 'Conductor', 'Owner', 'Last error'].map((t) => h('th', {}, t)))),
      tbody,
    ),
  );
  let timer = null;
  const off = onNodeEvent((e) => {
    applyEvent(tbody, e);
    clearTimeout(timer);
    timer = setTimeout(() => load().catch(() => {}), 1000); // filters and new nodes: read the list again
  });
  return () => {
    off();
    clearTimeout(timer);
  };
}
