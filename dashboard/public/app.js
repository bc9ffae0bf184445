// The dashboard shell: hash routes (#/nodes, #/nodes/<uuid>, #/conductors), sign-in when the API answers 401,
// and one live event stream shared by the views.
import { ApiError, credentials, setCredentials, watchEvents } from './api.js';
import { notice } from './dom.js';
import { renderNodes } from './nodes.js';
import { renderNode } from './node.js';
import { renderConductors } from './conductors.js';

const main = document.getElementById('main');
const live = document.getElementById('live');
const listeners = new Set();
let stopEvents = null;

/** Views subscribe to node events; the returned function unsubscribes. */
export function onNodeEvent(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function startEvents() {
  stopEvents?.();
  stopEvents = watchEvents(
    (e) => {
      for (const fn of listeners) fn(e);
    },
    (up) => {
      live.textContent = up ? 'live: on' : 'live: off';
      live.className = up ? 'live on' : 'live off';
    },
  );
}

let authStrategy = 'noauth';

function askLogin(why) {
  const dlg = document.getElementById('login');
  const form = document.getElementById('login-form');
  document.getElementById('login-why').textContent = why;
  form.elements.kind.value = authStrategy === 'keystone' ? 'token' : 'basic';
  const sync = () => {
    const kind = form.elements.kind.value;
    for (const l of form.querySelectorAll('[data-for]')) l.hidden = l.dataset.for !== kind;
  };
  form.elements.kind.onchange = sync;
  sync();
  form.onsubmit = () => {
    const f = form.elements;
    setCredentials(f.kind.value === 'token' ? { kind: 'token', token: f.token.value } : { kind: 'basic', user: f.user.value, password: f.password.value });
    document.getElementById('logout').hidden = false;
    startEvents();
    route();
  };
  if (!dlg.open) dlg.showModal();
}

let cleanup = null;
async function route() {
  cleanup?.();
  cleanup = null;
  const hash = location.hash || '#/nodes';
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', hash.startsWith(`#/${a.dataset.nav}`));
  main.replaceChildren();
  try {
    const m = /^#\/nodes\/([^/?]+)/.exec(hash);
    if (m) cleanup = await renderNode(main, decodeURIComponent(m[1]), onNodeEvent);
    else if (hash.startsWith('#/conductors')) cleanup = await renderConductors(main);
    else cleanup = await renderNodes(main, onNodeEvent);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      askLogin(credentials() ? `Sign-in refused: ${e.message}` : 'This Anvil asks for credentials.');
      return;
    }
    main.replaceChildren(notice(e instanceof ApiError ? `${e.message} (HTTP ${e.status})` : String(e)));
  }
}

document.getElementById('logout').hidden = !credentials();
document.getElementById('logout').onclick = () => {
  setCredentials(null);
  location.reload();
};
window.addEventListener('hashchange', route);
authStrategy = (await (await fetch('config.json')).json()).auth_strategy;
if (authStrategy !== 'noauth' && !credentials()) {
  askLogin(`This Anvil uses ${authStrategy}: sign in to see its nodes.`);
} else {
  startEvents();
  route();
}
