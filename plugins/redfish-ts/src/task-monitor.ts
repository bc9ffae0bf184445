/**
 * Long actions (DSP0266 §12.2): a 202 Accepted with a Location (task monitor) answers 202 while the task runs and
 * the final response (or the Task resource) when it ends. `taskStatus` reads a Task body; pure.
 */
import type { Json } from './odata.ts';
import { errorDetail } from './errors.ts';

export type TaskPhase = 'running' | 'completed' | 'failed';

export interface TaskStatus {
  phase: TaskPhase;
  state: string;
  percent: number | null;
  message: string;
}

const DONE = ['Completed'];
const FAILED = ['Exception', 'Killed', 'Cancelled', 'Interrupted'];

/** Phase of a Task resource body (TaskState + TaskStatus + Messages). */
export function taskStatus(task: Json): TaskStatus {
  const state = typeof task.TaskState === 'string' ? task.TaskState : 'Unknown';
  const health = typeof task.TaskStatus === 'string' ? task.TaskStatus : 'OK';
  const msgs = Array.isArray(task.Messages) ? (task.Messages as Json[]) : [];
  const message = msgs.length ? errorDetail({ '@Message.ExtendedInfo': msgs }).detail : '';
  const percent = typeof task.PercentComplete === 'number' ? task.PercentComplete : null;
  let phase: TaskPhase = 'running';
  if (FAILED.includes(state) || (DONE.includes(state) && health === 'Critical')) phase = 'failed';
  else if (DONE.includes(state)) phase = 'completed';
  return { phase, state, percent, message };
}
