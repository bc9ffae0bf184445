import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRunbook } from './runbook.ts';

const step = (o: Record<string, unknown> = {}) => ({ interface: 'bios', step: 'factory_reset', order: 0, ...o });

test('runbook bodies: 1.92 names are traits, 1.112 names URL-safe; orders become integers', () => {
  assert.equal(validateRunbook({ name: 'CUSTOM_A', steps: [step({ order: '3' })] }, false).steps[0].order, 3);
  assert.throws(() => validateRunbook({ name: 'lower', steps: [step()] }, false), /does not match '\^CUSTOM_\[A-Z0-9_\]\+\$'/);
  assert.equal(validateRunbook({ name: 'lower.case-1~', steps: [step()], description: 'd' }, true).description, 'd');
  assert.throws(() => validateRunbook({ name: 'has space', steps: [step()] }, true), /Schema error for runbook: 'has space' does not match/);
});

test('values the database columns cannot hold are 400s, not database errors', () => {
  assert.throws(() => validateRunbook({ name: 'CUSTOM_A', steps: [step({ order: 2 ** 31 })] }, false), /greater than the maximum of 2147483647/);
  assert.throws(() => validateRunbook({ name: 'CUSTOM_A', steps: [step({ order: '99999999999' })] }, false), /greater than the maximum/);
  assert.throws(() => validateRunbook({ name: 'CUSTOM_A', steps: [step({ step: 'x'.repeat(256) })] }, false), /is too long/);
  assert.throws(() => validateRunbook({ name: 'CUSTOM_A', steps: [step()], owner: 'o'.repeat(256) }, false), /is too long/);
});
