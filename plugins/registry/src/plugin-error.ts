/** Raised when installed plugins are broken or the driver settings cannot be satisfied; Anvil refuses to start. */
import { AnvilError } from '@anvil/sdk';

export class PluginLoadError extends AnvilError {
  readonly problems: string[];
  constructor(problems: string[]) {
    const head = problems.length === 1 ? 'Anvil cannot start: ' : `Anvil cannot start (${problems.length} plugin problems):\n  - `;
    super(head + problems.join('\n  - '), 'PluginLoadError', 500);
    this.problems = problems;
  }
}
