/**
 * In-process node state events: every provision/power change a task saves is published here
 * (the nova-bridge exposes them as SSE/Kafka). Listeners must not throw; errors are swallowed by EventEmitter rules.
 */
import { EventEmitter } from 'node:events';
import type { BmcIncident, Diagnosis, NodeRecord } from '@anvil/sdk';

export interface NodeStateEvent {
  uuid: string;
  provision_state: string;
  target_provision_state: string | null;
  power_state: string | null;
  target_power_state: string | null;
  last_error: string | null;
  maintenance: boolean;
  /** the FSM event or action that caused it: deploy, done, fail, power, maintenance ... */
  event: string;
  conductor: string;
  at: string;
  /** Anvil: the structured diagnosis of last_error, when this change recorded one. */
  diagnosis?: Diagnosis;
}

/** `change`: a node's state; `incident`: a correlated BMC outage opened, changed or resolved (power sync). */
export class NodeEvents extends EventEmitter<{ change: [NodeStateEvent]; incident: [BmcIncident] }> {
  constructor() {
    super();
    this.setMaxListeners(100);
  }

  publish(node: NodeRecord, event: string, conductor: string, diagnosis?: Diagnosis | null): void {
    if (this.listenerCount('change') === 0) return;
    this.emit('change', {
      uuid: node.uuid,
      provision_state: node.provision_state,
      target_provision_state: node.target_provision_state,
      power_state: node.power_state,
      target_power_state: node.target_power_state,
      last_error: node.last_error,
      maintenance: node.maintenance,
      event,
      conductor,
      at: new Date().toISOString(),
      ...(diagnosis ? { diagnosis } : {}),
    });
  }

  /** Resolves with the first event matching pred (tests, bridges); rejects after timeoutMs. */
  waitFor(pred: (e: NodeStateEvent) => boolean, timeoutMs = 10_000): Promise<NodeStateEvent> {
    return new Promise((resolve, reject) => {
      const onChange = (e: NodeStateEvent) => {
        if (!pred(e)) return;
        clearTimeout(timer);
        this.off('change', onChange);
        resolve(e);
      };
      const timer = setTimeout(() => {
        this.off('change', onChange);
        reject(new Error(`no matching node event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('change', onChange);
    });
  }
}
