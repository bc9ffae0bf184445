/** `@anvil/conductor/why`: the pure diagnosis core (classify, trace rules, explain) and its I/O helpers. */
export { diagnose, type DiagnoseContext } from './classify.ts';
export { currentAttempt, diagnoseTrace, summarizeTrace, type TraceOptions } from './trace.ts';
export { explain, formatWhy, type WhyInput } from './explain.ts';
export { nodeTrace, traceWindows } from './record.ts';
export { flushTrace } from './trace-recorder.ts';
