import { runSemlab, type SemlabLoad, type SemlabResult } from './semlab-run.js';
import { median } from './stats.js';

/**
 * What reproducible runs cost: the same semlab run over zmq on the virtual clock (the default,
 * src/clock/) and on the real clock, alternated so that a neighbour's load falls on both alike.
 * The goal (issue 16) is a virtual clock within 10% of the real clock's throughput.
 */
export interface ClockCostReport {
  readonly transport: 'zmq';
  readonly virtual: { readonly medianThroughput: number; readonly runs: readonly SemlabResult[] };
  readonly real: { readonly medianThroughput: number; readonly runs: readonly SemlabResult[] };
  /** Virtual over real, of the medians: 1 would mean reproducibility costs nothing. */
  readonly ratio: number;
  /** Each repeat's virtual throughput over the real one measured just before it. */
  readonly ratios: readonly number[];
}

export async function measureClockCost(
  load: Omit<SemlabLoad, 'clock' | 'transport'>,
  repeat: number,
  log: (line: string) => void,
): Promise<ClockCostReport> {
  const virtual: SemlabResult[] = [];
  const real: SemlabResult[] = [];
  const ratios: number[] = [];
  for (let i = 1; i <= repeat; i++) {
    const onReal = await runSemlab({ ...load, clock: 'real' });
    const onVirtual = await runSemlab({ ...load, clock: 'virtual' });
    real.push(onReal);
    virtual.push(onVirtual);
    ratios.push(onVirtual.throughput / onReal.throughput);
    log(
      `run ${i}/${repeat}: semlab over zmq, real clock ${Math.round(onReal.throughput)} msg/s, ` +
        `virtual clock ${Math.round(onVirtual.throughput)} msg/s`,
    );
  }
  const medianOf = (runs: readonly SemlabResult[]): number =>
    median(runs.map((run) => run.throughput));
  return {
    transport: 'zmq',
    virtual: { medianThroughput: medianOf(virtual), runs: virtual },
    real: { medianThroughput: medianOf(real), runs: real },
    ratio: medianOf(virtual) / medianOf(real),
    ratios,
  };
}
