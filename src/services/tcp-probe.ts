import { connect } from 'node:net';

/**
 * Does something accept TCP connections at `address` ("host:port") within `timeoutMs`? Tells a
 * server that is not there (refused) from one that is there and silent (frozen, say SIGSTOP: the
 * kernel still completes the handshake for a stopped process).
 */
export function acceptsConnections(address: string, timeoutMs: number): Promise<boolean> {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (accepted: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(accepted);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
