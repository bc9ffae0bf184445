/** The Grafana dashboard (conductor/grafana/anvil-dashboard.json) only plots series this process registers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { metricsRegistry } from './metrics.ts';

test('every series in the Grafana dashboard exists in the metrics registry', async () => {
  const dash = JSON.parse(readFileSync(new URL('../grafana/anvil-dashboard.json', import.meta.url), 'utf8')) as { panels: { targets: { expr: string }[] }[] };
  const used = new Set(dash.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\banvil_[a-z0-9_]+/g) ?? [])));
  const known = new Set((await metricsRegistry.getMetricsAsJSON()).map((m) => m.name));
  assert.ok(used.size >= 14, `${used.size} series`);
  for (const name of used) assert.ok(known.has(name.replace(/_(bucket|count|sum)$/, '')), `dashboard uses ${name}, which no code registers`);
});
