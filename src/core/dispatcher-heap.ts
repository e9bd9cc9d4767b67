/**
 * V8 heap flags for the dispatcher process alone (the supervisor forks it with them; workers and
 * the CLI keep V8's defaults). Contract: flags only; no flag may change what the dispatcher does,
 * only how big V8 lets its heap grow before collecting.
 *
 * Why. The dispatcher's live heap is small and fixed (about 5–6 MB: modules, the window's epochs,
 * the transport), and what it allocates per message dies young. With V8's defaults its peak RSS
 * still followed the run's length, from two heap-sizing heuristics, not from anything the
 * dispatcher keeps:
 *
 * - the young generation grows from 1 MB to 2 × 16 MB over the first 100k or so messages, so a
 *   shorter run ends before it has its working size (10k messages: ~66–76 MB, 100k: ~97–101 MB);
 * - the old generation is collected when it reaches the live size times a factor that V8 picks
 *   from how fast the machine collects against how fast the program allocates, between 1.1 and 4;
 *   on a loaded two-core machine that factor wanders, the old space saw-tooths up to ~22 MB before
 *   a major GC, and a longer run meets more of the high teeth (1M messages: ~108–113 MB).
 *
 * `--min-semi-space-size=8 --max-semi-space-size=8` give the young generation its working size,
 * 2 × 8 MB, from the first message: no ramp for a short run to end in the middle of, and half the
 * default's largest. `--heap-growing-percent=50` fixes the factor at 1.5, so the old space is
 * collected at max(1.5 × live, live + 8 MB), about 13 MB, on every run and at every machine load.
 * What is left to follow the run is the first old-space cycle: that limit is reached after the
 * first ~8 MB of old garbage (~70k messages on the real clock; sooner on the virtual clock).
 *
 * Cost, measured with dispatcher CPU time, which a loaded machine spreads far less than msg/s (see
 * the commit that set these flags for the runs): within the noise of alternated runs. A young
 * generation half as large means twice as many scavenges of the same small live set (~1–2 ms
 * each), and the fixed factor a major GC every ~8 MB of old garbage (~3–7 ms at this live size).
 * One doubt left: on the virtual clock (50k messages, 6 pairs alternated in both orders, load
 * 21–32) dispatcher CPU was the same (median 5.3 s against 5.5 s) but msg/s 8% lower (2,132
 * against 2,316); re-measure on a quiet machine before reading it as a cost. Not measured on the
 * Redis and Kafka transports, whose dispatchers may hold a larger live heap.
 */
export const DISPATCHER_V8_FLAGS: readonly string[] = [
  '--min-semi-space-size=8',
  '--max-semi-space-size=8',
  '--heap-growing-percent=50',
];
