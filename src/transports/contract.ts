import type { EffectRecord } from '../shared/records.js';

/**
 * The one contract every transport implements (ZeroMQ, Redis and Kafka).
 *
 * A transport carries two kinds of messages between one dispatcher and N workers: work (epoch and
 * attempt) from the dispatcher to *some* worker, and acks from a worker back to the dispatcher. It
 * promises nothing about delivery: messages to a worker that dies are simply gone, which is what the
 * dispatcher's retries are for. It never injects faults itself: the fault layer
 * (src/faults/faulty-link.ts) wraps the dispatcher's link, so every transport sees the same faults.
 *
 * Lifecycle, driven by the supervisor:
 *   1. the dispatcher process calls `openDispatcher`, which returns a link and an `address`;
 *   2. each worker process calls `openWorker(address, ...)`;
 *   3. the dispatcher awaits `waitForWorkers(n)` before it sends, so the first messages are not
 *      all handed to whichever worker connected first;
 *   4. both sides `close()` at the end; closing never waits for undelivered messages.
 */

/** One send of one epoch. `attempt` counts sends of that epoch, from 1. */
export interface WorkMessage {
  readonly epoch: number;
  readonly attempt: number;
  /**
   * Runs on the virtual clock: the virtual instant (ms) at which the worker receives the message.
   * The worker does everything for this message at that instant (its journal's `vt`, the expiry
   * of its dedupe marks), so its view of time is the run's, not its machine's.
   */
  readonly at?: number;
}

/** A worker's answer: it has finished with this send of this epoch. */
export interface AckMessage {
  readonly epoch: number;
  readonly attempt: number;
  readonly worker: string;
}

export interface DispatcherLink {
  /**
   * Hands one message to the transport. Resolves once the transport has taken it (not when a
   * worker has it). May be called again before an earlier call resolved; the link serializes.
   * Blocks (does not reject) while no worker can take work.
   */
  send(message: WorkMessage): Promise<void>;
  /** Acks as they arrive, until the link is closed. Iterate it once. */
  acks(): AsyncIterable<AckMessage>;
  /**
   * Transports that redeliver: true when no message waits in the transport and none is held,
   * unacknowledged, by a worker, so nothing more can arrive for an epoch that was not acked.
   */
  holdsNothing?(): Promise<boolean>;
  /** Resolves when `count` workers are attached, or after `timeoutMs` (returning how many are). */
  waitForWorkers(count: number, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
  /**
   * True when the link itself writes the sending process's journal out before any message leaves
   * the process (the virtual network, which hands messages to the transport in batches): the
   * dispatcher then need not write it before each send. Absent: false.
   */
  readonly journalsBeforeLeaving?: boolean;
}

/**
 * Runs on the virtual clock (src/clock/): the dispatcher, not the transport, decides which worker
 * gets each message, so the choice is the same on every run and every transport. A routed link
 * addresses one worker *incarnation* by its endpoint name, `<worker>.<incarnation>` ("w2.1"), so a
 * message meant for a dead incarnation is never handed to the one restarted after it.
 */
export interface RoutedDispatcherLink {
  /**
   * Hands `message` to the worker incarnation `endpoint`. Resolves once the transport has taken
   * it. A message for an incarnation that has died is lost, like a packet to a dead host.
   */
  sendTo(endpoint: string, message: WorkMessage): Promise<void>;
  /**
   * Optional: `sendTo` for several messages to one incarnation at once, in order, which the
   * transport may carry as one wire message. They reach the worker together, as they would have
   * sent one by one back to back; each keeps its own fields (its instant).
   */
  sendAllTo?(endpoint: string, messages: readonly WorkMessage[]): Promise<void>;
  /** Resolves once a message sent to `endpoint` will reach it (its connection is up). */
  reachable(endpoint: string): Promise<void>;
  /** Acks as they arrive, until the link is closed. Iterate it once. */
  acks(): AsyncIterable<AckMessage>;
  close(): Promise<void>;
}

export interface WorkerLink {
  /** Work for this worker, one at a time: the next message comes after `ack` of the previous. */
  deliveries(): AsyncIterable<WorkMessage>;
  /**
   * Optional, the same work as `deliveries()` in bursts: each burst is every message that had
   * reached this process when it was taken (at least one), in order. The worker acks every message
   * of a burst, in order, before it takes the next. A transport offers it only where holding a
   * burst changes nothing another process can see: the messages sit in this process either way
   * (ZeroMQ's socket queue), so a worker that dies holding them loses exactly what it would have
   * lost with one in hand and the rest queued. Lets the worker journal a burst with one write(2).
   */
  deliveryBursts?(): AsyncIterable<readonly WorkMessage[]>;
  /** Answers the message last received. Must be called once per delivery, in order. */
  ack(ack: AckMessage): Promise<void>;
  /**
   * Optional, with `deliveryBursts`: answers every message of a burst at once, in order, which the
   * transport may carry as one wire message. Stands for one `ack` per message of the burst.
   */
  ackBurst?(acks: readonly AckMessage[]): Promise<void>;
  /**
   * For transports that redeliver: the worker takes the message for good now, before working on
   * it (commit before processing: at-most-once), so the transport must never redeliver it. Without
   * this call, `ack` is that moment. Transports that never redeliver need not implement it.
   */
  release?(): Promise<void>;
  /**
   * For transports that commit the effect together with the delivery (Kafka transactions): puts
   * the effect of `message` into the transaction that the next `ack` commits, together with the
   * consumed offset and the ack itself. If the worker dies first, none of the three happened. The
   * atomic preset uses this instead of its store when the link has it; the effects are then read
   * back through `Transport.readEffects`.
   */
  recordEffect?(message: WorkMessage, worker: string): Promise<void>;
  close(): Promise<void>;
}

/** The Kafka transport's settings (see src/transports/kafka/kafka-transport.ts). */
export interface KafkaSettings {
  /** Bootstrap brokers, "host:port,host:port". */
  readonly brokers: string;
  /**
   * 'dispatcher': Kafka is the network, the dispatcher's retries give the guarantee (offsets are
   * committed on receipt, so Kafka never redelivers by itself). 'native': the dispatcher sends
   * each message once and the guarantee comes from when the workers commit their offsets.
   */
  readonly mode: 'dispatcher' | 'native';
  /**
   * When a worker commits what it consumed: 'on-receipt' (the whole fetched batch, before any of
   * it is executed: at-most-once), 'after-processing' (once the batch is executed and acked:
   * at-least-once), or 'transaction' (offset, effect and ack in one Kafka transaction).
   */
  readonly commit: 'on-receipt' | 'after-processing' | 'transaction';
  /** Partitions of the work topic (default: one per worker). */
  readonly partitions: number;
  /** Producer acks for work records: all replicas in sync, the leader only, or none. */
  readonly acks: 'all' | '1' | '0';
  /** Consumer group session timeout: how long a dead worker keeps its partitions. */
  readonly sessionTimeoutMs: number;
  /** Kill the broker that leads the work partition after this many acked epochs, then restart it. */
  readonly crashBroker?: { readonly afterAcked: number; readonly restartMs: number };
}

/**
 * What both sides know about the run (a RunPlan has all of it). A transport keeps every name it
 * creates (keys, topics, groups) under `runId`.
 */
export interface TransportContext {
  readonly runId: string;
  readonly workers: number;
  /** Upper bound of messages in flight, so a transport can size its queues. */
  readonly window: number;
  /** For the Redis transport. */
  readonly redisUrl?: string;
  /** Leave the run's keys or topics in the service after the run, for inspection. */
  readonly keep?: boolean;
  /** Redis only: 'lists' (no redelivery) or 'streams' (a consumer group that redelivers). */
  readonly redisMode?: 'lists' | 'streams';
  /** Redis streams: how long an entry stays pending with a silent consumer before others claim it. */
  readonly reclaimIdleMs?: number;
  /** For the Kafka transport. */
  readonly kafka?: KafkaSettings;
}

export interface Transport {
  readonly name: string;
  /** One line for --help. */
  readonly summary: string;
  /**
   * In the supervisor, before any process starts: is the service there? Fails fast (a few
   * seconds) with an InfrastructureError that names the address and how to start the service.
   */
  prepare?(context: TransportContext): Promise<void>;
  openDispatcher(context: TransportContext): Promise<{ link: DispatcherLink; address: string }>;
  /**
   * Transports that let the dispatcher route (required for the virtual clock): the dispatcher's
   * end as a routed link. Workers then open their end with an `endpoint` name.
   */
  openRoutedDispatcher?(
    context: TransportContext,
  ): Promise<{ link: RoutedDispatcherLink; address: string }>;
  /**
   * `endpoint`: in a routed run, the name under which this worker incarnation is addressed
   * ("w2.1"); the link must be reachable under it (see RoutedDispatcherLink.reachable).
   */
  openWorker(
    context: TransportContext,
    address: string,
    workerId: string,
    endpoint?: string,
  ): Promise<WorkerLink>;
  /**
   * Does the transport itself redeliver what a dead worker held (Redis streams, Kafka consumer
   * groups)? Then it returns how long that can take, and the dispatcher sends each message once
   * and waits that long before it gives a message up. Undefined: no redelivery.
   */
  redeliveryHorizonMs?(context: TransportContext): number | undefined;
  /**
   * Effects the transport recorded itself (through `WorkerLink.recordEffect`), read back after the
   * run and before `cleanup`.
   */
  readEffects?(context: TransportContext): AsyncIterable<EffectRecord>;
  /** After the run (also an interrupted or failed one): delete what the run created. */
  cleanup?(context: TransportContext): Promise<void>;
  /**
   * After a run stalled: does the service still answer? Rejects within a few seconds with an
   * InfrastructureError naming the address when it does not (a frozen server accepts connections
   * and stays silent), so the stall is reported as the server's, not as a mystery.
   */
  probe?(context: TransportContext): Promise<void>;
}
