/**
 * The raw ZeroMQ dispatcher: `node raw-dealer-main.js`. A DEALER bound on a free loopback port that
 * keeps `window` requests in flight over the connected REP workers, the same socket pattern and
 * window as semlab's dispatcher, minus everything semlab adds (journal, fault layer, retries).
 */
import { Dealer } from 'zeromq';
import { failToBench, followBench, nextGo, tellBench, type RawLoadSettings } from './protocol.js';

/** How long to wait for every worker's connection, as semlab's dispatcher does before it starts. */
const CONNECT_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  followBench();
  const socket = new Dealer({ linger: 0 });
  const handshakes = countHandshakes(socket);
  // Port 0 ("*"): the kernel picks a free port, so runs never collide.
  await socket.bind('tcp://127.0.0.1:*');
  if (!socket.lastEndpoint) throw new Error('bound but no endpoint reported');
  await tellBench({ type: 'bound', address: socket.lastEndpoint });

  const go = await nextGo();
  await handshakes.reach(go.workers, CONNECT_TIMEOUT_MS);
  const durationMs = await roundTrips(socket, go);
  await tellBench({ type: 'done', durationMs, maxRssKb: process.resourceUsage().maxRSS });
  socket.close();
  process.exit(0);
}

/**
 * Sends `messages` requests with at most `window` unanswered, and returns the milliseconds from
 * the first send to the last reply. Sending and receiving are two independent loops: a receive
 * that waited on a send (or the reverse) would serialise the round trips and measure latency, not
 * throughput. Every send is awaited (zeromq.js rejects a second send while one is in progress and
 * fails with EBUSY beyond 512 queued ones).
 */
async function roundTrips(socket: Dealer, load: RawLoadSettings): Promise<number> {
  let replies = 0;
  let wakeSender: (() => void) | undefined;

  const receiveAll = async (): Promise<void> => {
    while (replies < load.messages) {
      await socket.receive();
      replies++;
      const wake = wakeSender;
      wakeSender = undefined;
      wake?.();
    }
  };
  const sendAll = async (): Promise<void> => {
    for (let sent = 0; sent < load.messages;) {
      if (sent - replies >= load.window) {
        await new Promise<void>((resolve) => (wakeSender = resolve));
        continue;
      }
      sent++;
      // The empty delimiter frame makes the DEALER's message look like a REQ's to the REP side.
      await socket.send(['', String(sent)]);
    }
  };

  const startedAt = performance.now();
  // Promise.all rejects as soon as either loop fails, so a broken receive cannot strand the sender.
  await Promise.all([sendAll(), receiveAll()]);
  return performance.now() - startedAt;
}

/** Counts workers whose connection completed, so the run starts only when all of them can take work. */
function countHandshakes(socket: Dealer): {
  reach(count: number, timeoutMs: number): Promise<void>;
} {
  let connected = 0;
  let waiter: (() => void) | undefined;
  socket.events.on('handshake', () => {
    connected++;
    waiter?.();
  });
  return {
    reach: (count, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`only ${connected} of ${count} workers connected in ${timeoutMs} ms`));
        }, timeoutMs);
        waiter = () => {
          if (connected < count) return;
          clearTimeout(timer);
          resolve();
        };
        waiter();
      }),
  };
}

main().catch((error: unknown) => failToBench('raw dealer', error));
