import type { ReplicaWords } from './replicas-en.js';

/** As palavras das vistas de réplicas do Kafka (ver ./replicas-en.ts), em português do Brasil. */
export const replicasPtBR: ReplicaWords = {
  cluster: (p) => `Kafka: ${p.count} brokers, controlador ${p.controller}`,
  brokerList: 'brokers',
  partition: 'partição',
  leader: 'líder',
  replicas: 'réplicas',
  inSync: 'em sincronia',
  none: 'nenhum',
  underReplicated: 'menos réplicas em sincronia do que a partição tem',
  noTopics: 'nenhum tópico do semlab agora (uma execução cria seus tópicos e os apaga ao terminar)',
  noRunTopics: (p) =>
    `a execução ${p.runId} não tem tópicos agora: uma execução apaga seus tópicos ao terminar; descreva-a enquanto ela roda`,
  stripTitle: 'Líderes e réplicas em sincronia',
  stripCrash: (p) =>
    p.restartS === undefined
      ? `broker ${p.nodeId} morto, não voltou durante a execução`
      : `broker ${p.nodeId} morto, voltou ${p.restartS} s depois`,
  before: 'antes',
  during: 'durante',
  after: 'depois',
  legend: 'células: líder [réplicas em sincronia]; amarelo: uma réplica fora de sincronia',
  leaderMoved: (p) =>
    `as partições que o broker ${p.nodeId} liderava tinham novo líder ${p.seconds} s depois da morte`,
  leaderNotMoved: (p) =>
    `nenhuma partição liderada pelo broker ${p.nodeId} foi vista com novo líder`,
  isrFull: (p) =>
    `todas as réplicas estavam em sincronia de novo ${p.seconds} s depois do reinício`,
  isrNotFull: 'nem todas as réplicas foram vistas em sincronia de novo antes do fim da execução',
  noSnapshots: 'nenhum metadado pôde ser lido em torno da morte do broker',
  liveChange: (p) =>
    `partição de trabalho ${p.partition}: líder ${p.leader}, em sincronia ${p.isr}`,
};
