/**
 * The words of Kafka's replica views (`semlab kafka describe`, the run's "leaders and in-sync
 * replicas" strip: src/report/render-replicas.ts), in English. A file of their own, so the main
 * catalogs only gain one line each; ./replicas-pt-br.ts has the same shape.
 */
export const replicasEn = {
  cluster: (p: { count: number; controller: string }): string =>
    `Kafka: ${p.count} brokers, controller ${p.controller}`,
  brokerList: 'brokers',
  partition: 'partition',
  leader: 'leader',
  replicas: 'replicas',
  inSync: 'in sync',
  none: 'none',
  underReplicated: 'fewer replicas in sync than the partition has',
  noTopics: 'no semlab topics now (a run creates its topics and deletes them when it ends)',
  noRunTopics: (p: { runId: string }): string =>
    `run ${p.runId} has no topics now: a run deletes its topics when it ends; describe it while it runs`,
  stripTitle: 'Leaders and in-sync replicas',
  stripCrash: (p: { nodeId: number; restartS: string | undefined }): string =>
    p.restartS === undefined
      ? `broker ${p.nodeId} killed, not back during the run`
      : `broker ${p.nodeId} killed, back ${p.restartS} s later`,
  before: 'before',
  during: 'during',
  after: 'after',
  legend: 'cells: leader [in-sync replicas]; yellow: a replica out of sync',
  leaderMoved: (p: { nodeId: number; seconds: string }): string =>
    `the partitions broker ${p.nodeId} led had a new leader ${p.seconds} s after the kill`,
  leaderNotMoved: (p: { nodeId: number }): string =>
    `no partition led by broker ${p.nodeId} was seen with a new leader`,
  isrFull: (p: { seconds: string }): string =>
    `every replica was in sync again ${p.seconds} s after the restart`,
  isrNotFull: 'not every replica was seen in sync again before the run ended',
  noSnapshots: 'no metadata could be read around the crash',
  /** A live note (the live view, --no-live's lines) when a work partition's replicas change. */
  liveChange: (p: { partition: number; leader: string; isr: string }): string =>
    `work partition ${p.partition}: leader ${p.leader}, in sync ${p.isr}`,
};

export type ReplicaWords = typeof replicasEn;
