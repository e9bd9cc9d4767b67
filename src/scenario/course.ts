import type { Scenario } from './schema.js';
import { bundledScenarioNames } from './names.js';

/**
 * The bundled lessons in the order of the course's slides: the asynchronous model, Redis, Kafka,
 * ZeroMQ DEALER-REP, the three delivery semantics, at-least-once execution and the epoch, the
 * dispatcher's loops, at-most-once execution, the atomic fix. A bundled lesson missing from this
 * list (a new one) comes after them, alphabetically, so it is never hidden.
 */
export const COURSE_ORDER: readonly string[] = [
  // The asynchronous model: nothing goes wrong, five semantics agree.
  'no-faults',
  // Redis, then Kafka, as transports with their own redelivery.
  'redis-streams-reclaim',
  'kafka-commit-before-after',
  'kafka-leader-crash',
  // ZeroMQ DEALER-REP and the three delivery semantics.
  'drops-lose-work',
  'ack-loss',
  'crash-after-execute',
  // What real networks do besides dropping: duplicate and reorder.
  'network-duplicates',
  'reordering',
  // At-least-once execution and the epoch.
  'epoch-dedupe',
  'memory-store',
  'ttl-too-short',
  'ttl-long-enough',
  'redis-ttl',
  // The dispatcher's loops: timeouts and slow workers.
  'timeout-too-short',
  'timeout-too-long',
  'slow-is-lost',
  'slow-is-lost-for-real',
  // Work that takes time: a kill from the live view lands mid-work and can start a retry storm.
  'slow-work',
  'partition-heals',
  // At-most-once execution.
  'mark-before-execute',
  // The atomic fix.
  'dedupe-hole',
  'atomic-fix',
  // A paused worker is not dead: the zombie, and why fencing is the real fix.
  'zombie-worker',
  'kafka-transactions',
];

/** The servers a lesson needs besides semlab's own processes. */
export type Service = 'redis' | 'kafka';

export function servicesOf(scenario: Scenario): Service[] {
  const transports = [scenario.transport].flat();
  const needs: Service[] = [];
  if (transports.includes('redis') || scenario.store === 'redis') needs.push('redis');
  if (transports.includes('kafka')) needs.push('kafka');
  return needs;
}

/** The bundled lessons' names in the course's order, without reading any file. */
export function courseLessonNames(): string[] {
  const bundled = bundledScenarioNames();
  const known = COURSE_ORDER.filter((name) => bundled.includes(name));
  const rest = bundled.filter((name) => !COURSE_ORDER.includes(name)).sort();
  return [...known, ...rest];
}

/**
 * The bundled lessons, loaded, in the course's order. The loader (YAML parser, zod schema) is
 * imported here, on first use: a `semlab run` of a preset never pays for it.
 */
export async function courseLessons(): Promise<Scenario[]> {
  const { loadScenario } = await import('./load.js');
  return courseLessonNames().map((name) => loadScenario(name).scenario);
}
