import type { JournalEvent } from '../core/journal.js';
import type { RunPlan } from '../core/run-plan.js';
import type { Catalog } from '../i18n/catalog.js';
import type { EffectRecord } from '../shared/records.js';
import { eventInstant, runStartT, type RunTimeline } from './instant.js';
import type { RunReport } from './run-report.js';
import type { Cause, EpochStory } from './trace.js';

/**
 * The data of the HTML report (`semlab report`, `--html`): a pure fold over a run's history, like
 * the checker and the tracer, that yields what the page draws. It does no I/O (./html-load.ts
 * feeds it) and knows nothing of HTML (./render-html.ts draws it). The page keeps this model as a
 * JSON block, so a script can read a report back; add fields freely, never rename one.
 */
export const HTML_MODEL_VERSION = 1;

/** Epochs drawn in full by default: the first ones, plus every anomalous one (up to a cap). */
export const DEFAULT_EPOCHS_DRAWN = 200;
export const MAX_ANOMALIES_DRAWN = 300;
/** Columns of the timeline. */
export const TIMELINE_BUCKETS = 60;

/** What a mark on a lane is; the page colours marks and arrows by it. */
export type LaneEventKind =
  | 'send'
  | 'retry'
  | 'receive'
  | 'execute'
  | 'duplicate'
  | 'skip'
  | 'mark'
  | 'reply'
  | 'ack'
  | 'timeout'
  | 'give-up'
  | 'drop-work'
  | 'drop-ack'
  | 'delay-work'
  | 'delay-ack'
  | 'duplicate-work'
  | 'duplicate-ack'
  | 'reorder-work'
  | 'reorder-ack'
  | 'partition-work'
  | 'partition-ack'
  | 'crash'
  | 'restart'
  | 'kill'
  | 'live-on'
  | 'live-off'
  | 'broker-crash'
  | 'broker-restart';

/** One event drawn on a lane. `at` is the run's instant in ms (history.ts eventInstant). */
export interface DiagramEvent {
  readonly lane: number;
  readonly at: number;
  readonly kind: LaneEventKind;
  readonly epoch?: number;
  readonly attempt?: number;
  /** A live key's switch, a crash point, a delay: what the kind alone does not say. */
  readonly detail?: string;
  /** What hovering it shows, in the report's language. */
  readonly text: string;
}

/**
 * A message between two lanes: indexes into `events`. A dropped message ends at its drop mark
 * (on the dispatcher's lane, where the fault layer sits), and the page draws it crossed out.
 */
export interface DiagramArrow {
  readonly kind: 'work' | 'ack';
  readonly epoch: number;
  readonly attempt: number;
  readonly from: number;
  readonly to: number;
  readonly dropped: boolean;
  /** A work message of attempt 2 or later. */
  readonly retry: boolean;
}

export interface Anomaly {
  readonly epoch: number;
  readonly outcome: 'lost' | 'duplicate';
  readonly cause?: Cause;
  /** Its first instant: where the run view scrolls to. */
  readonly at: number;
  /** Its events are in the diagram (false past MAX_ANOMALIES_DRAWN). */
  readonly drawn: boolean;
}

export interface TimelineBucket {
  readonly sent: number;
  readonly retries: number;
  readonly acked: number;
  readonly effects: number;
  /** Work and acks the network dropped or held back. */
  readonly faults: number;
}

/** A stretch of the run under a fault that is switched on and off (a live key, a broker down). */
export interface FaultWindow {
  readonly kind: string;
  readonly from: number;
  /** Absent: on until the end of the run. */
  readonly to?: number;
}

export interface Timeline {
  readonly bucketMs: number;
  readonly buckets: TimelineBucket[];
  readonly windows: FaultWindow[];
  /** Each worker's deaths and restarts, as instants. */
  readonly workers: { worker: string; crashes: number[]; restarts: number[] }[];
}

export interface RunModel {
  readonly report: RunReport;
  readonly clock: 'virtual' | 'real';
  /** Lane names: the dispatcher first, then the workers (then Kafka's brokers, when crashed). */
  readonly lanes: string[];
  /** The run's last instant (ms). */
  readonly spanMs: number;
  readonly events: DiagramEvent[];
  readonly arrows: DiagramArrow[];
  /** Epochs drawn: 1..firstEpochs, and the anomalous epochs marked drawn. */
  readonly firstEpochs: number;
  /** Some epochs are not drawn (a large run): the page says so. */
  readonly truncated: boolean;
  readonly anomalies: Anomaly[];
  readonly timeline: Timeline;
}

export interface ReportModel {
  readonly version: number;
  readonly kind: 'run' | 'compare';
  readonly lang: string;
  readonly runs: RunModel[];
}

/** A journal line's times: wall `t`, and `vt` on the virtual clock. */
interface Stamped {
  readonly t: number;
  readonly vt?: number;
}

type Raw =
  | { source: 'event'; line: JournalEvent }
  | { source: 'effect'; line: EffectRecord & { vt?: number } };

/**
 * Builds a run's model: feed it every journal event and effect record, in any order, then call
 * result(). Memory: every event of the drawn epochs, and a few numbers per other event.
 */
export class ReportModelBuilder {
  private readonly drawn: (epoch: number) => boolean;
  private readonly anomalyEpochs: Set<number>;
  private readonly kept: Raw[] = [];
  /** Every line's wall time and, on the virtual clock, its virtual instant: the time axis. */
  private readonly stamps: number[] = [];
  /** Timeline facts of every epoch, drawn or not: [t, vt or NaN, series]. */
  private readonly tally: number[] = [];
  private startT = Infinity;
  private firstSendT = Infinity;
  /** Every worker's deaths and restarts, drawn epoch or not: the timeline shows them all. */
  private readonly deaths: { worker: string; line: Stamped; restart: boolean }[] = [];

  constructor(
    private readonly plan: Pick<RunPlan, 'messages' | 'workers' | 'clock'>,
    private readonly stories: readonly EpochStory[],
    private readonly m: Catalog,
    private readonly firstEpochs = DEFAULT_EPOCHS_DRAWN,
  ) {
    const anomalies = stories.filter((s) => s.outcome !== 'ok').map((s) => s.epoch);
    this.anomalyEpochs = new Set(anomalies.slice(0, MAX_ANOMALIES_DRAWN));
    this.drawn = (epoch) => epoch <= this.firstEpochs || this.anomalyEpochs.has(epoch);
  }

  private get clock(): 'virtual' | 'real' {
    return this.plan.clock === 'virtual' ? 'virtual' : 'real';
  }

  addEvent(event: JournalEvent): void {
    this.stamp(event);
    const series = SERIES_OF[event.kind];
    if (series !== undefined) {
      const s =
        event.kind === 'send' && event.attempt > 1
          ? SERIES.retries
          : event.kind === 'fault'
            ? SERIES.faults
            : series;
      this.tally.push(event.t, event.vt ?? NaN, s);
    }
    const death =
      event.kind === 'crash' ||
      event.kind === 'live-crash' ||
      (event.kind === 'worker-exit' && !event.expected && event.injected === false);
    if (death || (event.kind === 'worker-start' && event.incarnation > 0)) {
      this.deaths.push({ worker: event.worker, line: event, restart: !death });
    }
    if ('epoch' in event && !this.drawn(event.epoch)) return;
    this.kept.push({ source: 'event', line: event });
  }

  addEffect(effect: EffectRecord): void {
    this.stamp(effect);
    this.tally.push(effect.t, NaN, SERIES.effects);
    if (this.drawn(effect.epoch)) this.kept.push({ source: 'effect', line: effect });
  }

  private stamp(line: Stamped): void {
    if (line.t < this.startT) this.startT = line.t;
    if ((line as { kind?: string }).kind === 'send' && line.t < this.firstSendT) {
      this.firstSendT = line.t;
    }
    if (line.vt !== undefined) this.stamps.push(line.t, line.vt);
  }

  /** Wall time to virtual instant: the instant of the last line stamped at or before it. */
  private virtualClock(): (t: number) => number {
    const pairs: [number, number][] = [];
    for (let i = 0; i < this.stamps.length; i += 2) {
      pairs.push([this.stamps[i] as number, this.stamps[i + 1] as number]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    // Virtual time never goes back, even where wall times of two processes interleave.
    let most = 0;
    for (const pair of pairs) {
      most = Math.max(most, pair[1]);
      pair[1] = most;
    }
    return (t) => {
      let lo = 0;
      let hi = pairs.length - 1;
      let found = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const pair = pairs[mid] as [number, number];
        if (pair[0] <= t) {
          found = pair[1];
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found;
    };
  }

  result(report: RunReport): RunModel {
    const clock = this.clock;
    const virtualAt = clock === 'virtual' ? this.virtualClock() : undefined;
    // One definition of an instant for the report and the terminal (history.ts eventInstant): on
    // the real clock the run starts at its first send, as the report's durationMs does: the
    // seconds the workers took to start are not drawn (their start lines sit at 0).
    const timeline: RunTimeline = {
      clock,
      startT: runStartT(
        Number.isFinite(this.firstSendT) ? this.firstSendT : undefined,
        this.startT,
      ),
    };
    const at = (line: Stamped): number => eventInstant(line, timeline, virtualAt?.(line.t));
    // Time order; lines of one instant in the order they were written (wall time).
    const raws = [...this.kept]
      .map((raw) => ({ raw, at: at(raw.line) }))
      .sort((a, b) => a.at - b.at || a.raw.line.t - b.raw.line.t);

    const lanes = ['dispatcher'];
    for (let i = 1; i <= this.plan.workers; i++) lanes.push(`w${i}`);
    const laneOf = (name: string): number => {
      let index = lanes.indexOf(name);
      if (index < 0) index = lanes.push(name) - 1;
      return index;
    };

    const events: DiagramEvent[] = [];
    const arrows: DiagramArrow[] = [];
    const sends = new Map<string, number>();
    const replies = new Map<string, number>();
    const executed = new Set<number>();
    const words = this.m.html;
    const add = (e: DiagramEvent): number => events.push(e) - 1;
    const key = (epoch: number, attempt: number, worker = ''): string =>
      `${epoch}.${attempt}.${worker}`;

    // An epoch's first execution, or a duplicate one (a worker's or a store's record of it).
    const execution = (epoch: number): 'execute' | 'duplicate' => {
      const kind = executed.has(epoch) ? 'duplicate' : 'execute';
      executed.add(epoch);
      return kind;
    };
    // An event on a worker's lane, its text naming the worker (and a detail); its epoch and
    // attempt when it belongs to one.
    const onWorker = (
      at: number,
      kind: LaneEventKind,
      e: { worker: string; epoch?: number; attempt?: number },
      detail?: string,
    ): number => {
      const epoch = e.epoch !== undefined ? { epoch: e.epoch, attempt: e.attempt ?? 1 } : {};
      const extra = detail === undefined ? {} : { detail };
      return add({
        lane: laneOf(e.worker),
        at,
        kind,
        ...epoch,
        text: words.event({ kind, ...epoch, worker: e.worker, ...extra }),
      });
    };

    for (const { raw, at: instant } of raws) {
      if (raw.source === 'effect') {
        onWorker(instant, execution(raw.line.epoch), raw.line);
        continue;
      }
      const e = raw.line;
      const text = (kind: LaneEventKind, extra: { worker?: string; detail?: string } = {}) =>
        words.event({
          kind,
          ...('epoch' in e ? { epoch: e.epoch, attempt: e.attempt } : {}),
          ...extra,
        });
      switch (e.kind) {
        case 'send': {
          const kind = e.attempt > 1 ? 'retry' : 'send';
          const i = add({ lane: 0, at: instant, kind, ...ep(e), text: text(kind) });
          sends.set(key(e.epoch, e.attempt), i);
          break;
        }
        case 'receive': {
          const i = onWorker(instant, 'receive', e);
          const from = sends.get(key(e.epoch, e.attempt));
          if (from !== undefined) {
            arrows.push({
              kind: 'work',
              epoch: e.epoch,
              attempt: e.attempt,
              from,
              to: i,
              dropped: false,
              retry: e.attempt > 1,
            });
          }
          break;
        }
        case 'execute': {
          onWorker(instant, execution(e.epoch), e);
          break;
        }
        case 'skip':
        case 'mark':
          onWorker(instant, e.kind, e);
          break;
        case 'reply': {
          const i = onWorker(instant, 'reply', e);
          replies.set(key(e.epoch, e.attempt), i);
          replies.set(key(e.epoch, e.attempt, e.worker), i);
          break;
        }
        case 'ack': {
          const i = add({
            lane: 0,
            at: instant,
            kind: 'ack',
            ...ep(e),
            text: text('ack', { worker: e.worker }),
          });
          const from = replies.get(key(e.epoch, e.attempt, e.worker));
          if (from !== undefined) {
            arrows.push({
              kind: 'ack',
              epoch: e.epoch,
              attempt: e.attempt,
              from,
              to: i,
              dropped: false,
              retry: false,
            });
          }
          break;
        }
        case 'timeout': {
          const kind = e.retry ? 'timeout' : 'give-up';
          add({ lane: 0, at: instant, kind, ...ep(e), text: text(kind) });
          break;
        }
        case 'fault': {
          const kind: LaneEventKind = `${e.fault}-${e.direction}`;
          const detail = [e.ms !== undefined ? `${e.ms} ms` : '', e.live ? 'live' : '']
            .filter(Boolean)
            .join(', ');
          const i = add({
            lane: 0,
            at: instant,
            kind,
            ...ep(e),
            text: text(kind, detail ? { detail } : {}),
          });
          // A partition loses the message like a drop does.
          if (e.fault !== 'drop' && e.fault !== 'partition') break;
          // A dropped work message is drawn from its send; a dropped ack from its reply.
          const from =
            e.direction === 'work'
              ? sends.get(key(e.epoch, e.attempt))
              : replies.get(key(e.epoch, e.attempt));
          if (from !== undefined) {
            arrows.push({
              kind: e.direction,
              epoch: e.epoch,
              attempt: e.attempt,
              from,
              to: i,
              dropped: true,
              retry: e.direction === 'work' && e.attempt > 1,
            });
          }
          break;
        }
        case 'crash':
          onWorker(instant, 'crash', e, e.point);
          break;
        case 'worker-start':
          if (e.incarnation > 0) {
            onWorker(instant, 'restart', { worker: e.worker }, `#${e.incarnation}`);
          }
          break;
        case 'worker-exit':
          // An injected crash is drawn where the worker journalled it; a kill from outside here.
          if (!e.expected && e.injected === false) {
            onWorker(instant, 'kill', { worker: e.worker }, e.signal ?? String(e.code));
          }
          break;
        case 'live-crash':
          onWorker(instant, 'kill', { worker: e.worker }, 'live');
          break;
        case 'live': {
          const kind = e.on ? 'live-on' : 'live-off';
          add({
            lane: 0,
            at: instant,
            kind,
            detail: e.switch,
            text: text(kind, { detail: e.switch }),
          });
          break;
        }
        case 'broker-crash':
        case 'broker-restart':
          add({
            lane: laneOf(`broker ${e.nodeId}`),
            at: instant,
            kind: e.kind,
            text: text(e.kind, { detail: `${e.nodeId} (${e.address})` }),
          });
          break;
        default:
          break;
      }
    }

    const spanMs = Math.max(
      1,
      events.reduce((most, e) => Math.max(most, e.at), 0),
      clock === 'virtual' ? (report.virtualDurationMs ?? 0) : 0,
      ...this.tallyInstants(at),
    );
    const firstAt = new Map<number, number>();
    for (const e of events) {
      if (e.epoch !== undefined && !firstAt.has(e.epoch)) firstAt.set(e.epoch, e.at);
    }
    const anomalies: Anomaly[] = this.stories
      .filter((s): s is EpochStory & { outcome: 'lost' | 'duplicate' } => s.outcome !== 'ok')
      .map((s) => ({
        epoch: s.epoch,
        outcome: s.outcome,
        ...(s.cause ? { cause: s.cause } : {}),
        at: firstAt.get(s.epoch) ?? 0,
        drawn: this.anomalyEpochs.has(s.epoch),
      }));
    return {
      report,
      clock,
      lanes,
      spanMs,
      events,
      arrows,
      firstEpochs: Math.min(this.firstEpochs, this.plan.messages),
      truncated: this.plan.messages > this.firstEpochs,
      anomalies,
      timeline: this.timeline(spanMs, at, events, lanes),
    };
  }

  /** The last instant of the tallied lines (one value, so the spread above stays small). */
  private tallyInstants(at: (line: Stamped) => number): number[] {
    let most = 0;
    for (let i = 0; i < this.tally.length; i += 3) {
      most = Math.max(most, at(this.tallied(i)));
    }
    return [most];
  }

  private tallied(i: number): Stamped {
    const vt = this.tally[i + 1] as number;
    return Number.isNaN(vt) ? { t: this.tally[i] as number } : { t: this.tally[i] as number, vt };
  }

  private timeline(
    spanMs: number,
    at: (line: Stamped) => number,
    events: readonly DiagramEvent[],
    lanes: readonly string[],
  ): Timeline {
    const bucketMs = Math.max(1, Math.ceil((spanMs + 1) / TIMELINE_BUCKETS));
    const count = Math.floor(spanMs / bucketMs) + 1;
    const buckets = Array.from({ length: count }, () => ({
      sent: 0,
      retries: 0,
      acked: 0,
      effects: 0,
      faults: 0,
    }));
    const names = ['sent', 'retries', 'acked', 'effects', 'faults'] as const;
    for (let i = 0; i < this.tally.length; i += 3) {
      const bucket = buckets[Math.min(count - 1, Math.floor(at(this.tallied(i)) / bucketMs))];
      const name = names[this.tally[i + 2] as number];
      if (bucket && name) bucket[name]++;
    }
    // Switched faults: a live key from on to off; a broker from its crash to its restart.
    const windows: FaultWindow[] = [];
    const open = new Map<string, number>();
    for (const e of events) {
      const name =
        e.kind === 'live-on' || e.kind === 'live-off'
          ? (e.detail ?? 'live')
          : e.kind.startsWith('broker-')
            ? (lanes[e.lane] ?? 'broker')
            : undefined;
      if (name === undefined) continue;
      if (e.kind === 'live-on' || e.kind === 'broker-crash') {
        if (!open.has(name)) open.set(name, e.at);
      } else if (open.has(name)) {
        windows.push({ kind: name, from: open.get(name) as number, to: e.at });
        open.delete(name);
      }
    }
    for (const [kind, from] of open) windows.push({ kind, from });
    const workers = lanes
      .filter((lane) => /^w\d+$/.test(lane))
      .map((worker) => {
        const of = (restart: boolean): number[] =>
          this.deaths
            .filter((d) => d.worker === worker && d.restart === restart)
            .map((d) => at(d.line))
            .sort((a, b) => a - b);
        return { worker, crashes: of(false), restarts: of(true) };
      });
    return { bucketMs, buckets, windows, workers };
  }
}

const SERIES = { sent: 0, retries: 1, acked: 2, effects: 3, faults: 4 } as const;
const SERIES_OF: Partial<Record<JournalEvent['kind'], number>> = {
  send: SERIES.sent,
  ack: SERIES.acked,
  execute: SERIES.effects,
  fault: SERIES.faults,
};

function ep(e: { epoch: number; attempt: number }): { epoch: number; attempt: number } {
  return { epoch: e.epoch, attempt: e.attempt };
}
