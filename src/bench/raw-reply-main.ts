/**
 * A raw ZeroMQ worker: `node raw-reply-main.js <address>`. A REP socket that echoes every request
 * at once, with no journal, no ledger and no decoding: the floor of what a semlab worker costs.
 */
import { Reply } from 'zeromq';
import { failToBench, followBench, tellBench } from './protocol.js';

async function main(): Promise<void> {
  const address = process.argv[2];
  if (!address) throw new Error('usage: raw-reply-main <address>');
  followBench();
  const socket = new Reply({ linger: 0 });
  socket.connect(address);
  await tellBench({ type: 'ready' });
  // REP alternates receive and send, so each reply must be awaited before the next receive.
  for await (const [body] of socket) await socket.send(body ?? '');
}

main().catch((error: unknown) => failToBench('raw replier', error));
