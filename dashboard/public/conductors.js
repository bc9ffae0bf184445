// Conductors (GET /v1/conductors?detail=True) and the nodes each one serves (GET /v1/nodes?conductor=<host>).
import { api } from './api.js';
import { fmtTime, h, stateClass } from './dom.js';

export async function renderConductors(main) {
  const { conductors } = await api('GET', '/v1/conductors?detail=True');
  const lists = await Promise.all(
    conductors.map((c) => api('GET', `/v1/nodes?conductor=${encodeURIComponent(c.hostname)}&fields=uuid,name,provision_state,power_state&limit=1000`)),
  );
  main.append(
    h('h1', {}, 'Conductors'),
    ...conductors.map((c, i) =>
      h(
        'section',
        { class: 'conductor', dataset: { hostname: c.hostname } },
        h('h2', {}, c.hostname, ' ', h('span', { class: c.alive ? 'alive' : 'dead' }, c.alive ? 'alive' : 'not alive')),
        h('p', {}, `group: ${c.conductor_group || '(default)'} · drivers: ${(c.drivers ?? []).join(', ')} · updated ${fmtTime(c.updated_at)}`),
        h(
          'ul',
          { class: 'conductor-nodes' },
          ...lists[i].nodes.map((n) =>
            h('li', {}, h('a', { href: `#/nodes/${n.uuid}` }, n.name ?? n.uuid), ' ', h('span', { class: stateClass(n.provision_state) }, n.provision_state), ` power ${n.power_state ?? '—'}`),
          ),
        ),
        h('p', { class: 'muted' }, `${lists[i].nodes.length} node(s)`),
      ),
    ),
  );
  return null;
}
