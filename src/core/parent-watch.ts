/**
 * The first thing every child process of a run does, before it loads any of its code (the
 * ./*-entry.ts files import this module, which imports nothing, and only then their real main):
 * it follows its parent, the supervisor, so that no child outlives it, whenever the supervisor
 * dies, even by `kill -9` while the child is still loading its transport or opening its store.
 *
 * Node has no parent-death signal (Linux's prctl(PR_SET_PDEATHSIG)), so three ways, any of which
 * ends the child:
 * - 'disconnect': the IPC channel closes when the parent dies; listened to from the first
 *   instruction, so it cannot fire unheard while the rest loads;
 * - a channel already closed, or a parent pid that is no longer ours (the supervisor passes its pid;
 *   a dead parent's children are adopted by init or a subreaper), checked at once: the parent may
 *   have died before this process ran a single instruction;
 * - the same check every POLL_MS, should the channel outlive the parent (a process that inherited
 *   its end), at the cost of one getppid(2) per poll.
 */
export const PARENT_PID_ENV = 'SEMLAB_PARENT_PID';
const POLL_MS = 250;

export function followParent(): void {
  const parent = Number(process.env[PARENT_PID_ENV]);
  const orphaned = (): boolean =>
    !process.connected || (Number.isInteger(parent) && parent > 0 && process.ppid !== parent);
  // Exit at once: nobody is left to read a journal line or a goodbye.
  const leave = (): never => process.exit(0);
  // Ctrl-C and a closing terminal signal the whole process group; the supervisor stops its
  // children in order (a child killed by the same SIGHUP would look like a crash to restart).
  process.on('SIGINT', () => undefined);
  process.on('SIGHUP', () => undefined);
  process.on('disconnect', leave);
  if (orphaned()) leave();
  setInterval(() => {
    if (orphaned()) leave();
  }, POLL_MS).unref();
}
