import type { Dealer, Router } from 'zeromq';
import type {
  AckMessage,
  DispatcherLink,
  RoutedDispatcherLink,
  Transport,
  TransportContext,
  WorkerLink,
  WorkMessage,
} from '../contract.js';
import { AsyncQueue } from '../../util/async-queue.js';
import {
  decodeAckPack,
  decodeWorkPack,
  encodeAck,
  encodeAckPack,
  encodeWork,
  encodeWorkPack,
} from '../wire.js';

const ON_LINK = 'on the ZeroMQ link';

/**
 * The native binding, loaded when a socket is opened: the supervisor loads this module (to see
 * whether the transport has a check or a cleanup) but never opens a socket.
 */
const zeromq = () => import('zeromq');

/**
 * ZeroMQ, as in the slides: the dispatcher's DEALER binds and round-robins work over the workers'
 * REP sockets, which answer each request with its ack. No broker: a message queued to a worker that
 * dies is lost with it, and the dispatcher's retry protocol is the only thing that recovers it.
 */
export const zmqTransport: Transport = {
  name: 'zmq',
  summary: 'ZeroMQ DEALER (dispatcher) to REP (workers) over TCP on 127.0.0.1; no broker',

  async openDispatcher(context: TransportContext) {
    const { Dealer } = await zeromq();
    const socket = new Dealer({
      linger: 0,
      // A high-water mark above the window means sends never block on a healthy run; they block
      // only when no worker is connected, which is the behaviour the watchdog relies on.
      sendHighWaterMark: Math.max(1000, context.window * 2),
      receiveHighWaterMark: Math.max(1000, context.window * 2),
    });
    const link = new ZmqDispatcherLink(socket);
    // Port 0 ("*"): the kernel picks a free port, so two runs never collide on a busy port.
    await socket.bind('tcp://127.0.0.1:*');
    const address = socket.lastEndpoint;
    if (!address) throw new Error('ZeroMQ bound but reported no endpoint');
    return { link, address };
  },

  /**
   * Virtual-clock runs: a ROUTER addresses each worker incarnation by its routing id ("w2.1").
   * Workers connect a DEALER with that routing id and ZMQ_PROBE_ROUTER, so the ROUTER hears of
   * each new peer (an empty message) the moment the connection is usable: readiness without
   * polling. The envelope stays the slides' REQ/REP one (an empty delimiter, then the body).
   */
  async openRoutedDispatcher(context: TransportContext) {
    const { Router } = await zeromq();
    const socket = new Router({
      linger: 0,
      // Unknown peers (a dead incarnation) lose the message silently, like a dead host.
      mandatory: false,
      sendHighWaterMark: Math.max(1000, context.window * 2),
      receiveHighWaterMark: Math.max(1000, context.window * 2),
    });
    const link = new ZmqRoutedDispatcherLink(socket);
    await socket.bind('tcp://127.0.0.1:*');
    const address = socket.lastEndpoint;
    if (!address) throw new Error('ZeroMQ bound but reported no endpoint');
    return { link, address };
  },

  async openWorker(_context: TransportContext, address: string, _workerId, endpoint) {
    const { Dealer } = await zeromq();
    if (endpoint !== undefined) {
      const socket = new Dealer({ linger: 0, routingId: endpoint, probeRouter: true });
      socket.connect(address);
      return new ZmqWorkerLink(socket, true);
    }
    // A DEALER speaking REP's envelope rather than a REP: the same frames on the wire and the same
    // queue in this process, but the worker may take every message already queued at once (a
    // burst, journalled with one write) where a REP hands out one per reply.
    const socket = new Dealer({ linger: 0 });
    socket.connect(address);
    return new ZmqWorkerLink(socket, false);
  },
};

class ZmqDispatcherLink implements DispatcherLink {
  private connectedWorkers = 0;
  private readonly connectionWaiters = new Set<() => void>();
  /** zeromq.js allows one send in progress per socket, so sends are chained. */
  private sendChain: Promise<void> = Promise.resolve();

  constructor(private readonly socket: Dealer) {
    socket.events.on('handshake', () => {
      this.connectedWorkers++;
      for (const wake of this.connectionWaiters) wake();
    });
    socket.events.on('disconnect', () => {
      this.connectedWorkers = Math.max(0, this.connectedWorkers - 1);
    });
  }

  send(message: WorkMessage): Promise<void> {
    const next = this.sendChain.then(() => this.socket.send(['', encodeWork(message)]));
    // Keep the chain alive after a failed send; the caller still sees the failure.
    this.sendChain = next.catch(() => undefined);
    return next;
  }

  async *acks(): AsyncIterable<AckMessage> {
    try {
      // receive() itself, not the socket's async iterator: one promise less per ack.
      for (;;) {
        const frames = await this.socket.receive();
        const body = frames[frames.length - 1];
        // A worker answers a burst with one pack of acks (ackBurst).
        if (body) yield* decodeAckPack(body.toString('latin1'), ON_LINK);
      }
    } catch (error) {
      if (!this.socket.closed) throw error;
    }
  }

  async waitForWorkers(count: number, timeoutMs: number): Promise<number> {
    if (this.connectedWorkers >= count) return this.connectedWorkers;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiter = (): void => {
        if (this.connectedWorkers >= count) done();
      };
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.connectionWaiters.add(waiter);
    });
    this.connectionWaiters.clear();
    return this.connectedWorkers;
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}

/** Most messages in one burst: bounds the memory and the lines of one journal write. */
const MAX_BURST = 256;

/**
 * A worker's DEALER, in bursts (see dealerBursts). On the real clock it speaks the REP envelope,
 * ['', body] in and ['', ack] out, so round robin from the dispatcher's DEALER works as with REP
 * sockets. Under the virtual clock's ROUTER (`routed`) it is [body] in and [ack] out: nothing of
 * REQ/REP is on either end, and every frame is one more native call. There the virtual network
 * hands a worker everything routed to it at once (pipelined), as one frame (a pack, see wire.ts);
 * each message still carries its own instant. On both clocks a burst's acks leave as one pack.
 *
 * Why packs: a frame costs each end a native send or receive, and zeromq.js asks the socket for its
 * events around each one (a few system calls). A 20,000-message virtual run made about 60 system
 * calls per message over dispatcher and workers before packs, about 10 after.
 */
class ZmqWorkerLink implements WorkerLink {
  constructor(
    private readonly socket: Dealer,
    private readonly routed: boolean,
  ) {}

  async *deliveries(): AsyncIterable<WorkMessage> {
    for await (const burst of this.deliveryBursts()) yield* burst;
  }

  deliveryBursts(): AsyncIterable<readonly WorkMessage[]> {
    return dealerBursts(this.socket);
  }

  async ack(ack: AckMessage): Promise<void> {
    await this.send(encodeAck(ack));
  }

  /** A burst's acks in one frame: one native send (and its system calls) instead of one each. */
  async ackBurst(acks: readonly AckMessage[]): Promise<void> {
    await this.send(encodeAckPack(acks));
  }

  private async send(body: string): Promise<void> {
    await this.socket.send(this.routed ? body : ['', body]);
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}

/**
 * What a worker's DEALER has received, in bursts: the next message, then every one already queued
 * behind it (up to MAX_BURST), so the worker can journal a burst with one write.
 */
async function* dealerBursts(socket: Dealer): AsyncIterable<readonly WorkMessage[]> {
  const take = (burst: WorkMessage[], frames: Buffer[]): void => {
    const body = frames[frames.length - 1];
    // Under the ROUTER, one frame may be a pack of several messages (sendAllTo).
    if (body && body.length > 0) burst.push(...decodeWorkPack(body.toString('latin1'), ON_LINK));
  };
  try {
    for (;;) {
      const burst: WorkMessage[] = [];
      take(burst, await socket.receive());
      // `readable`: a message is queued here already, so receive() resolves without waiting.
      while (burst.length < MAX_BURST && socket.readable) take(burst, await socket.receive());
      if (burst.length > 0) yield burst;
    }
  } catch (error) {
    if (!socket.closed) throw error;
  }
}

class ZmqRoutedDispatcherLink implements RoutedDispatcherLink {
  /** Endpoints whose probe arrived, and who waits for which. */
  private readonly known = new Set<string>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly acksOut = new AsyncQueue<AckMessage>();
  private sendChain: Promise<void> = Promise.resolve();

  constructor(private readonly socket: Router) {
    void this.receive();
  }

  /** Routing ids as bytes, made once per incarnation rather than once per message. */
  private readonly ids = new Map<string, Buffer>();

  sendTo(endpoint: string, message: WorkMessage): Promise<void> {
    return this.sendFrame(endpoint, encodeWork(message));
  }

  /** Everything for one incarnation in one frame (a pack): one native send for all of it. */
  sendAllTo(endpoint: string, messages: readonly WorkMessage[]): Promise<void> {
    return this.sendFrame(endpoint, encodeWorkPack(messages));
  }

  private sendFrame(endpoint: string, body: string): Promise<void> {
    let id = this.ids.get(endpoint);
    if (!id) this.ids.set(endpoint, (id = Buffer.from(endpoint, 'latin1')));
    const frames = [id, Buffer.from(body, 'latin1')];
    const next = this.sendChain.then(() => this.socket.send(frames));
    this.sendChain = next.catch(() => undefined);
    return next;
  }

  reachable(endpoint: string): Promise<void> {
    if (this.known.has(endpoint)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiting.get(endpoint) ?? [];
      list.push(resolve);
      this.waiting.set(endpoint, list);
    });
  }

  acks(): AsyncIterable<AckMessage> {
    return this.acksOut;
  }

  /** One loop reads everything: probes (a new peer: [id, '']) and acks ([id, body]). */
  private async receive(): Promise<void> {
    try {
      // receive() itself, not the socket's async iterator: one promise less per ack. It rejects
      // once the socket is closed, which ends the acks below.
      for (;;) {
        const frames = await this.socket.receive();
        const id = frames[0]?.toString('latin1') ?? '';
        const body = frames[frames.length - 1];
        if (frames.length <= 2 && (!body || body.length === 0)) {
          this.known.add(id);
          for (const wake of this.waiting.get(id) ?? []) wake();
          this.waiting.delete(id);
          continue;
        }
        if (body)
          for (const ack of decodeAckPack(body.toString('latin1'), ON_LINK)) this.acksOut.push(ack);
      }
    } catch (error) {
      this.acksOut.end(this.socket.closed ? undefined : error);
    }
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}
