import type { At, Catalog, MissDetail, ViolationWords } from './en.js';

/**
 * Português do Brasil, no vocabulário das aulas: semântica, época, trabalhador (worker),
 * despachante (dispatcher), ack (confirmação). Os nomes das semânticas, dos pontos de crash e das
 * flags ficam como o usuário os digita; os campos do JSON ficam em inglês.
 */

const suggest = (suggestion: string | undefined): string =>
  suggestion ? `; você quis dizer '${suggestion}'?` : '';

const where = (at: At): string => `${at.file}:${at.line}: ${at.path || '(nível superior)'}`;

const shown = (found: string | undefined): string => found ?? 'nada';

function percent(p: number): string {
  return `${(Math.round(p * 1000) / 10).toLocaleString('pt-BR')}%`;
}

/** "do trabalho", "dos acks": the fault's direction as the object of a verb. */
const ofDirection = (direction: 'work' | 'ack'): string =>
  direction === 'work' ? 'do trabalho' : 'dos acks';

/** The zod types a scenario field can expect, as a noun phrase. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'um número',
  int: 'um número inteiro',
  string: 'um texto',
  boolean: 'um booleano (true ou false)',
  array: 'uma lista',
  object: 'um mapeamento de campos',
};

/** The schema's format hints (src/scenario/schema.ts), which zod hands over in English. */
const FORMAT_HINTS: Readonly<Record<string, string>> = {
  'lowercase letters, digits and dashes': 'letras minúsculas, dígitos e hífens',
  'a number or a comparison such as ">0", "<=5", "0"':
    'um número ou uma comparação como ">0", "<=5", "0"',
};

function miss(detail: MissDetail): string {
  switch (detail.kind) {
    case 'more':
      return `${detail.gap} a mais que o esperado`;
    case 'fewer':
      return `${detail.gap} a menos que o esperado`;
    case 'short':
      return `${detail.gap === 1 ? 'falta 1' : `faltam ${detail.gap}`} para ${detail.shown}`;
    case 'over':
      return `${detail.gap} acima de ${detail.shown}`;
    case 'held':
      return 'a promessa foi cumprida';
    case 'broke':
      return 'a promessa foi quebrada';
    case 'no-verdict':
      return 'sem veredito';
  }
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "na época 17 (w2, encarnação 1)" */
const violationPlacePt = (v: ViolationWords): string =>
  `na época ${String(v.epoch)}${
    v.worker
      ? ` (${v.worker}${v.incarnation !== undefined ? `, encarnação ${v.incarnation}` : ''})`
      : ''
  }`;

/** O que cada verificação de consistência (src/report/checker.ts) afirma, violada. */
const CHECK_MEANINGS_PT: Readonly<Record<string, string>> = {
  'effect-without-receipt': 'um efeito de uma época que nenhum trabalhador recebeu',
  'ack-without-execution': 'um ack de um trabalhador que não executou nem pulou a época',
  'event-after-crash': 'o journal de um trabalhador continua depois da sua queda',
  'epoch-out-of-range': 'uma época fora de 1..mensagens',
  'ack-without-send': 'um ack de uma tentativa que o despachante nunca enviou',
  'atomic-double-effect': 'dois efeitos de uma época no store atômico',
};

export const ptBR: Catalog = {
  number: (n) => n.toLocaleString('pt-BR'),
  seconds: (ms) =>
    (ms / 1000).toLocaleString('pt-BR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),

  runHeader: (p) =>
    ` via ${p.transport} · ${p.workers} trabalhadores · ${p.messages} mensagens · semente ${p.seed} · store ${p.store}`,
  faults: (faults) => `falhas: ${faults.length > 0 ? faults.join('; ') : 'nenhuma'}`,
  injected: (p) => `${p.fault} (${p.count} injetadas)`,
  externalKills: (count) => `${plural(count, 'morte', 'mortes')} de trabalhador causadas de fora`,
  faultDrop: (p) => `descarta ${percent(p.probability)} ${ofDirection(p.direction)}`,
  faultDelay: (p) => `atrasa ${percent(p.probability)} ${ofDirection(p.direction)} em ${p.ms} ms`,
  faultCrash: (p) =>
    `trabalhador cai em ${p.point} ${p.every === 1 ? 'em toda época' : `a cada ${p.every}ª época`}`,
  faultCrashBroker: (p) =>
    `derruba o broker ${p.target === 'leader' ? 'líder' : p.target} após ${p.afterAcked} acks, reinicia após ${p.restartMs} ms`,
  faultLive: (p) =>
    `ao vivo: ${
      {
        'drop-work': `descarta ${p.dropPercent} do trabalho (tecla d)`,
        'drop-ack': `descarta ${p.dropPercent} dos acks (tecla a)`,
        'slow-ack': `acks lentos, ${p.slowAckTimeouts}× o timeout (tecla s)`,
        pause: 'despacho pausado (tecla p)',
        'crash-worker': 'trabalhadores derrubados (tecla c)',
      }[p.action]
    }`,
  kafkaDispatcherMode:
    'kafka, modo dispatcher: os reenvios do despachante; commit dos offsets no recebimento',
  kafkaNativeMode: {
    'on-receipt': 'kafka nativo: commit dos offsets no recebimento, antes do trabalho',
    'after-processing': 'kafka nativo: commit dos offsets depois do trabalho',
    transaction: 'kafka nativo: offset, efeito e ack numa só transação',
  },
  kafkaDetails: (p) => `${p.mode} · acks=${p.acks} · ${p.partitions} partições`,
  lab: {
    banner: ' · semânticas de entrega de mensagens, ao vivo',
    lessons: 'Lições',
    build: 'montar uma execução (semântica, transporte, trabalhadores, mensagens, falhas)',
    quit: 'sair',
    pickLesson: 'número da lição, b ou q: ',
    notOnList: (p) => `'${p.answer}' não está na lista`,
    semantics: 'Semânticas',
    pickSemantics: 'número da semântica [2]: ',
    transport: 'transporte',
    workers: 'trabalhadores',
    messages: 'mensagens',
    faultsHint:
      'falhas como flags, p. ex. --drop-ack 0.2 --crash after-execute@10 (Enter: nenhuma)',
    faults: 'falhas: ',
    afterRun:
      'r roda de novo · k muda um parâmetro (p. ex. --seed 9, --drop-ack 0.4) · c compara as cinco semânticas · m menu',
    pickAfterRun: 'r, k, c ou m: ',
    knob: 'flag e valor: ',
    notAChoice: (p) => `'${p.answer}' não é r, k, c nem m`,
    stopped: 'execução interrompida',
    bye: 'até mais',
  },
  live: {
    settled: 'concluídas',
    sent: 'enviadas',
    acked: 'com ack',
    inFlight: 'em trânsito',
    faults: 'falhas',
    workers: 'trabalhadores',
    switchesLabel: 'ao vivo',
    latest: 'últimas',
    nothingYet: 'nada ainda',
    keys: 'teclas: c derruba um trabalhador · 1-9 derruba esse · d descarta trabalho · a descarta acks · s acks lentos · p pausa · q sai',
    states: {
      starting: 'iniciando',
      running: 'rodando',
      crashed: 'caiu',
      restarting: 'reiniciando',
      stopped: 'parado',
    },
    switches: {
      'drop-work': 'descarta trabalho',
      'drop-ack': 'descarta acks',
      'slow-ack': 'acks lentos',
      pause: 'pausado',
    },
    on: 'LIGADO',
    off: 'desligado',
    killed: (p) => `${p.worker} derrubado`,
    noWorkerYet: 'ainda não há trabalhador para derrubar',
    died: (p) => `${p.worker} caiu${p.detail ? ` (${p.detail})` : ''}`,
    quitting: 'saindo',
  },
  rows: {
    messages: { name: 'mensagens', meaning: 'épocas que a execução precisava entregar' },
    sent: { name: 'enviadas', meaning: 'tentativas de envio, com os reenvios' },
    retries: { name: 'reenvios', meaning: 'envios depois do primeiro' },
    delivered: { name: 'entregues', meaning: 'recebidas nos trabalhadores, com repetições' },
    duplicateDeliveries: {
      name: 'entregas duplicadas',
      meaning: 'recebimentos de uma época já recebida',
    },
    executed: { name: 'executadas', meaning: 'efeitos aplicados (segundo o ledger)' },
    duplicateExecutions: { name: 'execuções duplicadas', meaning: 'efeitos aplicados de novo' },
    acked: { name: 'confirmadas', meaning: 'épocas cujo ack chegou ao despachante' },
    lost: { name: 'perdidas', meaning: 'épocas com ack ou desistência, não rodadas' },
    unsettled: { name: 'pendentes', meaning: 'épocas sem ack e sem desistência' },
  },
  verdict: 'veredito',
  promise: 'promessa',
  heldBadge: 'CUMPRIDA',
  brokenBadge: 'QUEBRADA',
  noVerdictBadge: 'SEM VEREDITO',
  promises: {
    'at-most-once': 'nunca duas vezes; pode perder',
    'at-least-once': 'nunca perde; pode repetir',
    'exactly-once': 'nunca perde, nunca duas vezes (dedupe por época)',
    'exactly-once-atomic': 'nunca perde, nunca duas vezes',
    'at-most-once-execution': 'nunca duas vezes; perde menos que at-most-once',
  },
  verdictReason: (v) => {
    const unsettled = v.unsettled ?? 0;
    if (v.inconsistent) return 'sem veredito: o histórico é inconsistente, um bug do semlab';
    if (v.unfinished || unsettled > 0)
      return `sem veredito: a execução não terminou${unsettled > 0 ? ` (${plural(unsettled, 'época pendente', 'épocas pendentes')})` : ''}`;
    const broken: string[] = [];
    const allowed: string[] = [];
    if (v.lost > 0) (v.noLoss ? broken : allowed).push(plural(v.lost, 'perdida', 'perdidas'));
    if (v.duplicates > 0)
      (v.noDuplicates ? broken : allowed).push(
        plural(v.duplicates, 'execução duplicada', 'execuções duplicadas'),
      );
    if (broken.length > 0) {
      const promised = [
        v.noLoss ? 'nunca perder' : '',
        v.noDuplicates ? 'nunca executar duas vezes' : '',
      ]
        .filter(Boolean)
        .join(' e ');
      return `${broken.join(' e ')}: ${v.semantics} promete ${promised}`;
    }
    if (allowed.length > 0) return `${allowed.join(' e ')}: ${v.semantics} permite isso`;
    return 'nada perdido, nada executado duas vezes';
  },
  stalled: (diagnosis) => `travou: ${diagnosis ?? 'sem diagnóstico'}`,
  inconsistentHistory: (count) =>
    `histórico inconsistente: ${plural(count, 'verificação de consistência violada', 'verificações de consistência violadas')}\nisto é um bug do semlab, não um veredito sobre a semântica:`,
  violation: (v) => `${v.check} ${violationPlacePt(v)}: ${CHECK_MEANINGS_PT[v.check] ?? v.check}`,
  moreViolations: (count) => `… e mais ${count}`,
  workerColumns: {
    worker: 'trabalhador',
    delivered: 'entregues',
    executed: 'executadas',
    skipped: 'puladas',
    acksSent: 'acks enviados',
    crashes: 'quedas',
    deaths: 'mortes',
  },
  runFooter: (p) => `${p.throughput} msg/s · ${p.seconds} s · execução ${p.runId} (${p.runDir})`,

  compareColumns: {
    semantics: 'semântica',
    transport: 'transporte',
    sent: 'env',
    retries: 'reenv',
    delivered: 'entreg',
    executed: 'exec',
    duplicates: 'dup',
    acked: 'acks',
    lost: 'perd',
    verdict: 'veredito',
    expect: 'esperado',
  },
  heldCell: 'cumprida',
  brokenCell: 'QUEBRADA',
  noVerdictCell: 'nenhum',
  metCell: 'ok',
  missedCell: 'FALHOU',
  noRuns: 'nenhuma execução',
  compareHeader: (p) =>
    `${p.workers} trabalhadores · ${p.messages} mensagens · semente ${p.seed} · store ${p.store} · timeout ${p.timeoutMs} ms`,

  expect: 'esperado',
  got: (actual) => `obtido ${actual}`,
  miss,

  traceRun: (runId) => `execução ${runId}`,
  traceHeader: (p) =>
    ` · ${p.semantics} via ${p.transport} · ${p.workers} trabalhadores · ${p.messages} mensagens · semente ${p.seed}`,
  lostLabel: 'PERDIDA',
  executedTimes: (times) => `EXECUTADA ${times}×`,
  okLabel: 'ok',
  epoch: (epoch) => `época ${epoch}`,
  neverSent: 'nunca enviada',
  traceSummary: (p) =>
    `${plural(p.shown, 'época mostrada', 'épocas mostradas')}: ${plural(p.lost, 'perdida', 'perdidas')}, ${plural(p.twice, 'executada', 'executadas')} mais de uma vez`,
  noRunsYet: 'nenhuma execução ainda; comece uma com `semlab run at-least-once`',
  runsWhat: (p) => `${p.semantics} via ${p.transport}, ${p.messages} mensagens`,
  runsCounts: (p) =>
    `${plural(p.lost, 'perdida', 'perdidas')}, ${plural(p.twice, 'repetida', 'repetidas')}`,
  heldWord: 'cumprida',
  brokenWord: 'quebrada',
  noVerdictWord: 'sem veredito',
  status: { completed: 'concluída', stalled: 'travou' },
  noReport: 'sem relatório (interrompida ou com falha)',

  unknownTarget: (p) =>
    `semântica ou cenário desconhecido '${p.target}'${suggest(p.suggestion)}; ` +
    `semânticas válidas: ${p.semantics.join(', ')}; cenários: ${p.scenarios.join(', ') || 'nenhum'} (ou um arquivo .yaml)`,
  unknownSemantics: (p) =>
    `semântica desconhecida '${p.name}'${suggest(p.suggestion)}; válidas: ${p.valid.join(', ')}`,
  unknownTransport: (p) =>
    `transporte desconhecido '${p.name}'; disponíveis: ${p.available.join(', ')}`,
  notOneOf: (p) =>
    `${p.flag}: '${p.found}' não é válido${suggest(p.suggestion)}; valores permitidos: ${p.allowed.join(', ')}`,
  semanticsListItem: (p) =>
    `--semantics: '${p.name}' não é uma semântica${suggest(p.suggestion)}; válidas: all, ${p.valid.join(', ')}`,
  needsKafka: (p) => `${p.flag} exige --transport kafka (esta execução usa ${p.transport})`,
  needsRedisTransport: (p) =>
    `--redis-mode e --reclaim-idle exigem --transport redis (esta execução usa ${p.transport})`,
  kafkaBrokersFormat: (p) =>
    `--kafka-brokers: '${p.text}' não é uma lista de host:porta como 127.0.0.1:9092,127.0.0.1:9093`,
  crashBrokerFormat: (p) =>
    `--crash-broker: '${p.text}' não está no formato leader@K[:MS] (por exemplo leader@200:5000: derruba o líder da partição de trabalho após 200 acks e o reinicia 5 s depois)`,
  crashFormat: (p) =>
    `--crash: '${p.text}' não está no formato PONTO@K (por exemplo after-execute@10); PONTO é um destes: ${p.points.join(', ')}`,
  crashPoint: (p) =>
    `--crash: '${p.point}' não é um ponto de crash${suggest(p.suggestion)}; válidos: ${p.valid.join(', ')}`,
  delayFormat: (p) => `${p.flag}: '${p.text}' não está no formato MS[@P] (por exemplo 500@0.1)`,
  probability: (p) =>
    `${p.flag}: '${p.text}' não é uma probabilidade; use um número de 0 a 1, como 0.2`,
  redisUrlFormat: (p) =>
    `--redis-url: '${p.text}' não é uma URL do Redis como redis://127.0.0.1:6379`,
  wholeNumber: (p) =>
    `${p.flag}: '${p.text}' não é permitido; use um número inteiro de ${p.min} a ${p.max}`,
  epochNotWhole: (p) => `--epoch: '${p.text}' não é um número inteiro`,
  historyInconsistent: (p) =>
    `o histórico da execução viola a verificação de consistência ${p.check} ${violationPlacePt(p)}${
      p.count > 1 ? ` (e mais ${p.count - 1})` : ''
    }: isto é um bug do semlab, não um veredito sobre a semântica; os journals ficaram em ${p.runDir}`,
  runStalled: (p) =>
    `a execução travou: ${p.diagnosis ?? 'sem diagnóstico'}; os journals ficaram em ${p.runDir}`,
  expectationsNotMet: (p) =>
    `expectativas não atendidas:\n  ${p.misses
      .map(
        (m) =>
          `${m.semantics} via ${m.transport}: ${m.field} esperado ${m.expected}, obtido ${m.actual} (${m.miss ? miss(m.miss) : 'não atendida'})`,
      )
      .join('\n  ')}`,
  interrupted: (p) => `interrompido por ${p.signal}; todos os processos filhos foram parados`,
  redisUnreachable: (p) =>
    `não foi possível usar o Redis em ${p.url} (${p.why}); inicie um com \`scripts/services up redis\` (imprime REDIS_URL=...) ou \`docker compose up -d redis\`, ` +
    'depois passe --redis-url ou defina REDIS_URL',
  kafkaUnreachable: (p) =>
    `não foi possível alcançar o Kafka em ${p.brokers} (${p.why}); inicie um com \`scripts/services up kafka\` (imprime KAFKA_BROKERS=...) ou \`docker compose up -d kafka-1 kafka-2 kafka-3\`, depois passe --kafka-brokers ou defina KAFKA_BROKERS`,

  noScenarioFile: (p) =>
    `arquivo de cenário '${p.target}' não encontrado${suggest(p.suggestion)}; cenários incluídos: ${p.bundled.join(', ')}`,
  yamlInvalid: (p) => `${p.file}:${p.line}: YAML inválido: ${p.what}`,
  notAMapping: (p) =>
    `${p.file}:1: um cenário é um mapeamento de campos (name, title, semantics, ...)`,
  expectNotAmong: (p) =>
    `${p.file}:${p.line}: expect.${p.name}: '${p.name}' não está entre as semânticas deste cenário (${p.semantics.join(', ')})`,
  unknownField: (p) =>
    `${p.file}:${p.line}: ${p.path}: campo desconhecido${suggest(p.suggestion)}; campos permitidos: ${p.allowed.join(', ')}`,
  fieldNotOneOf: (p) =>
    `${where(p)}: ${shown(p.found)} não é válido${suggest(p.suggestion)}; valores permitidos: ${p.allowed.join(', ')}`,
  fieldNotAllowed: (p) =>
    `${where(p)}: ${shown(p.found)} não é permitido aqui; ${
      p.hint === 'names'
        ? 'use um nome ou uma lista de nomes'
        : 'use um número ou uma comparação como ">0", "<=5", "0"'
    }`,
  fieldMissing: (p) => `${where(p)}: ausente; este campo é obrigatório (${p.expected})`,
  fieldWrongType: (p) =>
    `${where(p)}: ${shown(p.found)} não é ${TYPE_WORDS[p.expected] ?? `do tipo ${p.expected}`}`,
  fieldTooSmall: (p) =>
    `${where(p)}: ${shown(p.found)} é pequeno demais; o mínimo permitido é ${p.minimum}`,
  fieldTooBig: (p) =>
    `${where(p)}: ${shown(p.found)} é grande demais; o máximo permitido é ${p.maximum}`,
  fieldBadFormat: (p) =>
    `${where(p)}: ${shown(p.found)} não é permitido; use ${FORMAT_HINTS[p.use] ?? p.use}`,
  fieldInvalid: (p) => `${where(p)}: ${p.message}`,
};
