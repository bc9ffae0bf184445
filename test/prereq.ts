/**
 * No silent skips: a test whose prerequisite is missing fails, naming it (`npm test` installs and starts every
 * prerequisite through scripts/services/*.sh). `failWithout(reason, ...)` at the top of a test file (or inside a
 * describe) fails each of its tests with the first reason given; null / false / undefined mean nothing is missing.
 */
import { before } from 'node:test';

export type Missing = string | null | false | undefined;

export function failWithout(...missing: Missing[]): void {
  const reason = missing.find((m) => m);
  before(() => {
    if (reason) throw new Error(`missing prerequisite: ${reason}`);
  });
}
