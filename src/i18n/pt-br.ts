import { htmlPtBR } from './html-pt-br.js';
import { replicasPtBR } from './replicas-pt-br.js';
import {
  NO_SPACE,
  type At,
  type Catalog,
  type DamageKind,
  type MissDetail,
  type ViolationWords,
} from './en.js';
import { traceWordsPtBR } from './trace-words.js';

/**
 * Português do Brasil, no vocabulário das aulas: semântica, época, trabalhador (worker),
 * despachante (dispatcher), ack (confirmação). Os nomes das semânticas, dos pontos de crash e das
 * flags ficam como o usuário os digita; os campos do JSON ficam em inglês.
 */

const suggest = (suggestion: string | undefined): string =>
  suggestion ? `; você quis dizer '${suggestion}'?` : '';

const where = (at: At): string => `${at.file}:${at.line}: ${at.path || '(nível superior)'}`;

const shown = (found: string | undefined): string => found ?? 'nada';

/** System error codes as causes a person can act on (the English ones are in ./en.ts). */
const FS_CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'não há espaço livre no disco',
  SQLITE_FULL: 'não há espaço livre no disco',
  EDQUOT: 'a cota de disco acabou',
  EROFS: 'o sistema de arquivos é somente leitura',
  SQLITE_READONLY: 'o sistema de arquivos é somente leitura',
  EACCES: 'permissão negada',
  EPERM: 'permissão negada',
  ENOTDIR: 'uma parte do caminho é um arquivo, não uma pasta',
  EEXIST: 'há um arquivo no caminho',
  EISDIR: 'é uma pasta, não um arquivo',
  ENOENT: 'arquivo ou pasta inexistente',
  ENAMETOOLONG: 'o nome é longo demais',
  EMFILE: 'arquivos abertos demais',
  ENFILE: 'arquivos abertos demais',
  EIO: 'um erro de entrada/saída (um disco com defeito?)',
  SQLITE_IOERR: 'um erro de entrada/saída (um disco com defeito?)',
  SQLITE_CANTOPEN: 'o arquivo do banco de dados não pode ser aberto',
  SQLITE_CORRUPT: 'o arquivo do banco de dados está danificado',
  ECONNREFUSED: 'conexão recusada',
  ECONNRESET: 'a conexão foi interrompida',
  ETIMEDOUT: 'o tempo esgotou',
  EADDRINUSE: 'o endereço já está em uso',
  EPIPE: 'a outra ponta fechou o pipe',
};
const cause = (code: string): string => FS_CAUSES[code] ?? code;

/** What is wrong with one file of a run folder (src/report/run-history.ts). */
function damagePhrase(file: string, damage: DamageKind): string {
  switch (damage) {
    case 'missing':
      return `${file} está faltando`;
    case 'torn':
      return `${file} está cortado ou não é o que o semlab escreveu`;
    case 'not-a-folder':
      return `${file} é um arquivo onde deveria haver uma pasta`;
    case 'unreadable':
      return `${file} não pode ser lido`;
  }
}

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

/** The expect block's fields (JSON names) as the expectation line says them. */
const EXPECT_FIELDS_PT: Readonly<Record<string, string>> = {
  messages: 'mensagens',
  sent: 'enviadas',
  retries: 'reenvios',
  delivered: 'entregues',
  duplicateDeliveries: 'entregas duplicadas',
  executed: 'executadas',
  duplicateExecutions: 'execuções duplicadas',
  acked: 'confirmadas',
  lost: 'perdidas',
  unsettled: 'pendentes',
  held: 'promessa cumprida',
};

export const ptBR: Catalog = {
  number: (n) => n.toLocaleString('pt-BR'),
  seconds: (ms) =>
    (ms / 1000).toLocaleString('pt-BR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),

  runHeader: (p) =>
    ` via ${p.transport} · ${p.workers} trabalhadores · ${p.messages} mensagens · semente ${p.seed} · store ${p.store}`,
  faults: (faults) => `falhas: ${faults.length > 0 ? faults.join('; ') : 'nenhuma'}`,
  clockKind: (kind) => (kind === 'virtual' ? 'relógio virtual' : 'relógio real'),
  injected: (p) => `${p.fault} (${plural(p.count, 'injetada', 'injetadas')})`,
  externalKills: (count) => `${plural(count, 'queda', 'quedas')} de trabalhador causadas de fora`,
  faultDrop: (p) => `descarta ${percent(p.probability)} ${ofDirection(p.direction)}`,
  faultDelay: (p) => `atrasa ${percent(p.probability)} ${ofDirection(p.direction)} em ${p.ms} ms`,
  faultCrash: (p) =>
    `trabalhador cai em ${p.point} ${p.every === 1 ? 'em toda época' : `a cada ${p.every}ª época`}`,
  faultWork: (p) => `o trabalho leva ${p.ms}${p.jitterMs > 0 ? `±${p.jitterMs}` : ''} ms`,
  faultPause: (p) =>
    `trabalhador congela em ${p.point} ${p.every === 1 ? 'em toda época' : `a cada ${p.every}ª época`} por ${p.ms} ms`,
  faultDuplicate: (p) => `duplica ${percent(p.probability)} ${ofDirection(p.direction)}`,
  faultReorder: (p) => `reordena ${percent(p.probability)} (retidas ${p.ms} ms)`,
  faultPartition: (p) =>
    `partição de ${p.worker}${p.direction === 'both' ? '' : ` (só ${p.direction === 'work' ? 'trabalho' : 'acks'})`} aos ${p.atMs} ms por ${p.ms} ms`,
  faultCrashBroker: (p) =>
    `derruba o broker ${p.target === 'leader' ? 'líder' : p.target} após ${p.afterAcked} acks, reinicia após ${p.restartMs} ms`,
  faultLive: (p) =>
    `ao vivo: ${
      {
        'drop-work': `descarta ${p.dropPercent} do trabalho (tecla d)`,
        'drop-ack': `descarta ${p.dropPercent} dos acks (tecla a)`,
        'slow-ack': `acks lentos, ${p.slowAckTimeouts}× o timeout (tecla s)`,
        pause: 'despacho pausado (tecla p)',
        'freeze-worker': 'trabalhadores congelados (tecla z, depois o trabalhador)',
        'cut-worker':
          'mensagens perdidas para um trabalhador isolado (tecla x, depois o trabalhador)',
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
    build: 'montar uma rodada (semântica, transporte, trabalhadores, mensagens, falhas)',
    quit: 'sair',
    pickLesson: 'número da lição, b ou q: ',
    notOnList: (p) => `'${p.answer}' não está na lista`,
    semantics: 'Semânticas',
    pickSemantics: 'número da semântica [2]: ',
    transport: 'transporte',
    workers: 'trabalhadores',
    messages: 'mensagens',
    faultsHint: 'falhas, p. ex. --drop-ack 0,2 --crash after-execute@10 (Enter: nenhuma)',
    faults: 'falhas: ',
    workerCmd: 'seu programa worker, ex.: python3 meu_worker.py (Enter: passos do preset): ',
    afterRun:
      'r roda de novo · k muda um parâmetro (p. ex. --seed 9, --workers 5) · c compara as cinco semânticas · v uma variante da lição (abaixo) · m menu',
    pickAfterRun: 'r, k, c ou m: ',
    knob: 'flag e valor: ',
    notAChoice: (p) => `'${p.answer}' não é r, k, c nem m`,
    stopped: 'rodada interrompida',
    stoppedPartial: (p) =>
      `rodada interrompida, contagens parciais até aqui: ${p.settled}/${p.messages} concluídas · enviadas ${p.sent} · entregues ${p.delivered} · executadas ${p.executed} · perdidas ${p.lost} · duas vezes ${p.twice}`,
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
    keys: 'teclas: c derruba um trabalhador · 1-9 derruba esse · d descarta trabalho · a descarta acks · s acks lentos · p pausa · z+1-9 congela/descongela · x+1-9 isola/reconecta · q sai',
    states: {
      starting: 'iniciando',
      running: 'rodando',
      crashed: 'caiu',
      restarting: 'reiniciando',
      stopped: 'parado',
      paused: 'congelado',
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
    freezeWhich: 'congelar ou descongelar qual trabalhador? 1-9',
    freezing: (p) => `congelando ou descongelando ${p.worker}`,
    noWorkerToFreeze: 'não há esse trabalhador rodando',
    cutWhich: 'isolar ou reconectar qual trabalhador? 1-9',
    cutting: (p) => `isolando ${p.worker}, ou reconectando-o`,
    died: (p) => `${p.worker} caiu${p.detail ? ` (${p.detail})` : ''}`,
    quitting: 'saindo',
  },
  rows: {
    messages: { name: 'mensagens', meaning: 'épocas que a rodada precisava entregar' },
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
      return `sem veredito: a rodada não terminou${unsettled > 0 ? ` (${plural(unsettled, 'época pendente', 'épocas pendentes')})` : ''}`;
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
    acksSent: 'acks',
    // Injected crashes, then every death (injected or from outside): one word, "queda", for both.
    crashes: 'quedas inj.',
    deaths: 'quedas',
  },
  runFooter: (p) =>
    `${p.virtualMs !== undefined ? `relógio virtual: ${p.virtualMs} ms de tempo da rodada · ` : 'relógio real · '}${p.throughput} msg/s · ${p.seconds} s · rodada ${p.runId} (${p.runDir})`,

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
  noRuns: 'nenhuma rodada',
  compareHeader: (p) =>
    `${p.workers} trabalhadores · ${p.messages} mensagens · semente ${p.seed} · store ${p.store} · timeout ${p.timeoutMs} ms`,

  expect: 'esperado',
  got: (actual) => `obtido ${actual}`,
  miss,

  traceRun: (runId) => `rodada ${runId}`,
  traceHeader: (p) =>
    ` · ${p.semantics} via ${p.transport} · ${p.workers} trabalhadores · ${p.messages} mensagens · semente ${p.seed}`,
  lostLabel: 'PERDIDA',
  executedTimes: (times) => `EXECUTADA ${times}×`,
  okLabel: 'ok',
  epoch: (epoch) => `época ${epoch}`,
  neverSent: 'nunca enviada',
  traceSummary: (p) =>
    `${plural(p.shown, 'época mostrada', 'épocas mostradas')}: ${plural(p.lost, 'perdida', 'perdidas')}, ${plural(p.twice, 'executada', 'executadas')} mais de uma vez`,
  noRunsYet: 'nenhuma rodada ainda; comece uma com `semlab run at-least-once`',
  runsWhat: (p) => `${p.semantics} via ${p.transport}, ${p.messages} mensagens`,
  runsCounts: (p) =>
    `${plural(p.lost, 'perdida', 'perdidas')}, ${plural(p.twice, 'repetida', 'repetidas')}`,
  heldWord: 'cumprida',
  brokenWord: 'quebrada',
  noVerdictWord: 'sem veredito',
  status: { completed: 'concluída', stalled: 'travou' },
  noReport: 'sem relatório (interrompida ou com falha)',
  runInProgress: 'em andamento',
  runStartingWord: 'em andamento (começando)',
  runInterrupted: 'interrompida: seu processo semlab não existe mais, sem relatório',
  runDamagedLine: (p) => `danificada: ${damagePhrase(p.file, p.damage)}; ignorada`,
  traceInProgress: 'em andamento: o que os journals têm até agora; as contagens são parciais',
  traceInterrupted:
    'interrompida: seu processo semlab não existe mais; as contagens são o que os journals tinham então',
  tracePartial: ' (parcial)',
  traceEffectsUnavailable: (p) =>
    `os efeitos que o store ${p.store} registra não podem ser lidos ainda; épocas que ele executou podem aparecer como perdidas`,
  traceTransportEffectsLater: (p) =>
    `efeitos registrados em ${p.transport} só são lidos pela verificação da própria rodada, no fim`,
  trace: traceWordsPtBR,

  missingTarget: () =>
    "falta o argumento obrigatório 'target' (uma semântica, um cenário ou um arquivo de cenário; ou --replay RODADA); veja `semlab run --help`",
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
  replayNeedsVirtual: (p) =>
    `a rodada ${p.runId} usou o relógio real: só uma rodada com relógio virtual segue o mesmo caminho de novo, então só ela pode ser repetida`,
  clockNeedsRouting: (p) =>
    `--clock virtual exige um transporte roteado pelo despachante (zmq, listas do redis ou kafka no modo despachante); ${p.transport} decide a entrega sozinho, então roda com --clock real`,
  clockBrokerCrash: () =>
    '--clock virtual não roda com --crash-broker: um broker morto pode perder ou segurar registros em trânsito, e o tempo virtual não os distingue dos lentos; roda com --clock real',
  needsKafka: (p) => `${p.flag} exige --transport kafka (esta rodada usa ${p.transport})`,
  needsRedisTransport: (p) =>
    `--redis-mode e --reclaim-idle exigem --transport redis (esta rodada usa ${p.transport})`,
  kafkaBrokersFormat: (p) =>
    `--kafka-brokers: '${p.text}' não é uma lista de host:porta como 127.0.0.1:9092,127.0.0.1:9093`,
  crashBrokerFormat: (p) =>
    `--crash-broker: '${p.text}' não está no formato leader@K[:MS] (por exemplo leader@200:5000: derruba o líder da partição de trabalho após 200 acks e o reinicia 5 s depois)`,
  crashFormat: (p) =>
    `--crash: '${p.text}' não está no formato PONTO@K (por exemplo after-execute@10); PONTO é um destes: ${p.points.join(', ')}`,
  crashPoint: (p) =>
    `--crash: '${p.point}' não é um ponto de crash${suggest(p.suggestion)}; válidos: ${p.valid.join(', ')}`,
  workMsFormat: (p) =>
    `--work-ms: '${p.text}' não está no formato MS[±J] (por exemplo 50 ou 50±20, também escrito 50+-20)`,
  reorderFormat: (p) =>
    `--reorder: '${p.text}' não está no formato P[:MS] (por exemplo 0.2:30: uma mensagem em cinco retida 30 ms enquanto as seguintes a ultrapassam)`,
  partitionFormat: (p) =>
    `--partition: '${p.text}' não está no formato wN[:work|ack]@T:MS (por exemplo w2@100:300: isola w2 nos dois sentidos a partir de 100 ms por 300 ms)`,
  partitionWorker: (p) =>
    `--partition: a execução não tem o trabalhador ${p.worker} (os trabalhadores são w1..w${p.workers})`,
  partitionNeedsVirtual: (p) =>
    `--partition ${p.worker}: isolar o sentido do trabalho exige o relógio virtual (lá o despachante roteia o trabalho); no relógio real use ${p.worker}:ack`,
  pauseFormat: (p) =>
    `--pause: '${p.text}' não está no formato PONTO@K:MS (por exemplo after-execute@10:500: congela o trabalhador de cada 10ª época por 500 ms); PONTO é um destes: ${p.points.join(', ')}`,
  delayFormat: (p) => `${p.flag}: '${p.text}' não está no formato MS[@P] (por exemplo 500@0.1)`,
  probability: (p) =>
    `${p.flag}: '${p.text}' não é uma probabilidade; use um número de 0 a 1, como 0.2`,
  redisUrlDatabase: (p) =>
    `--redis-url: '${p.text}': '${p.path}' não é um índice de banco; depois da porta vem /N, um número inteiro (redis://127.0.0.1:6379/5)`,
  redisUrlFormat: (p) =>
    `--redis-url: '${p.text}' não é uma URL do Redis como redis://127.0.0.1:6379`,
  wholeNumber: (p) =>
    `${p.flag}: '${p.text}' não é permitido; use um número inteiro de ${p.min} a ${p.max}`,
  epochNotWhole: (p) => `--epoch: '${p.text}' não é um número inteiro`,
  historyInconsistent: (p) =>
    `o histórico da rodada viola a verificação de consistência ${p.check} ${violationPlacePt(p)}${
      p.count > 1 ? ` (e mais ${p.count - 1})` : ''
    }: isto é um bug do semlab, não um veredito sobre a semântica; os journals ficaram em ${p.runDir}`,
  runStalled: (p) =>
    `a rodada travou: ${p.diagnosis ?? 'sem diagnóstico'}; os journals ficaram em ${p.runDir}`,
  expectationsNotMet: (p) =>
    `expectativas não atendidas: ${p.misses
      .map(
        (m) =>
          `${m.semantics} via ${m.transport}: ${m.field} esperado ${m.expected}, obtido ${m.actual} (${m.miss ? miss(m.miss) : 'não atendida'})`,
      )
      .join('; ')}`,
  runDamaged: (p) => `a rodada ${p.runId} não pode ser lida: ${damagePhrase(p.file, p.damage)}`,
  runStarting: (p) =>
    `a rodada ${p.runId} está começando e ainda não registrou nada; rode o trace de novo em instantes`,
  interrupted: (p) => `interrompido por ${p.signal}; todos os processos filhos foram parados`,
  childNotReady: (p) =>
    `${p.worker ? `o worker ${p.worker} (encarnação ${p.incarnation ?? 0})` : 'o dispatcher'}, pid ${p.pid}, iniciou mas não informou '${p.what}' em ${p.ms} ms`,
  workerExited: (p) =>
    `o worker ${p.worker} (encarnação ${p.incarnation}) falhou com código de saída ${p.code}${p.detail}`,
  redisUnreachable: (p) =>
    `não foi possível usar o Redis em ${p.url} (${p.why}); inicie um com \`scripts/services up redis\` (imprime REDIS_URL=...) ou \`docker compose up -d redis\`, ` +
    'depois passe --redis-url ou defina REDIS_URL',
  redisNotAnswering: (p) =>
    `o Redis em ${p.url} parou de responder: aceita conexões mas não respondeu nada em ${p.seconds} s (servidor congelado ou sobrecarregado)`,
  redisNotRedis: (p) =>
    `o servidor em ${p.url} não se comporta como um Redis (${p.why}); confira o endereço de --redis-url ou REDIS_URL`,
  redisNoDatabase: (p) =>
    `o Redis em ${p.url} não tem o banco ${p.db} (${p.why}); escolha um índice que o servidor tenha (de 0 a databases - 1 da configuração dele)`,
  kafkaNotAnswering: (p) =>
    `o Kafka em ${p.brokers} parou de responder: ${p.broker} aceita conexões mas o cluster não respondeu nada em ${p.seconds} s (broker congelado ou sobrecarregado)`,
  kafkaUnreachable: (p) =>
    `não foi possível alcançar o Kafka em ${p.brokers} (${p.why}); inicie um com \`scripts/services up kafka\` (imprime KAFKA_BROKERS=...) ou \`docker compose up -d kafka-1 kafka-2 kafka-3\`, depois passe --kafka-brokers ou defina KAFKA_BROKERS`,

  needsRedis: (p) =>
    `${p.flag} só vale com --transport redis ou --store redis (esta rodada usa ${p.transport} e ${p.store})`,
  keepNeedsService: (p) =>
    `--keep só vale com --transport redis ou kafka, ou --store redis: nada mais deixa chaves ou tópicos (esta rodada usa ${p.transport} e ${p.store})`,
  flagListTooLong: (p) => `${p.flag}: ${p.count} dados; no máximo ${p.max} em um comando`,
  flagListRepeated: (p) => `${p.flag}: '${p.name}' aparece duas vezes`,

  unknownOption: (p) =>
    `opção desconhecida '${p.option}'${suggest(p.suggestion)} (\`${p.help}\` lista as opções)`,
  unknownCommand: (p) =>
    `comando desconhecido '${p.command}'${suggest(p.suggestion)}; \`semlab --help\` lista os comandos`,
  missingArgument: (p) => `falta o argumento obrigatório '${p.argument}'; veja \`${p.help}\``,
  optionMissingArgument: (p) => `a opção '${p.option}' precisa de um valor`,
  excessArguments: (p) =>
    `argumentos demais para '${p.command}': esperado ${p.expected}, recebido ${p.got}`,
  commandLine: (p) => p.text,

  eventsNoFolder: (p) =>
    `--events: a pasta '${p.folder}' não existe; crie-a ou indique um arquivo numa pasta que exista`,
  eventsIsFolder: (p) =>
    `--events: '${p.file}' é uma pasta; indique um arquivo onde gravar os eventos`,
  eventsNotWritten: (p) => `não foi possível gravar os eventos em '${p.file}': ${cause(p.code)}`,
  stateDirUnusable: (p) =>
    `não é possível guardar rodadas em '${p.path}': ${cause(p.code)}; ${
      NO_SPACE.has(p.code)
        ? 'libere espaço ou defina SEMLAB_HOME para uma pasta em outro disco'
        : 'defina SEMLAB_HOME para uma pasta em que você possa gravar'
    }`,
  systemFailure: (p) => (p.path ? `${cause(p.code)}: '${p.path}'` : cause(p.code)),
  unexpected: (p) =>
    `erro inesperado: ${p.message} (um defeito do semlab? SEMLAB_DEBUG=1 mostra onde aconteceu)`,

  noScenarioFile: (p) =>
    `arquivo de cenário '${p.target}' não encontrado${suggest(p.suggestion)}; cenários incluídos: ${p.bundled.join(', ')}`,
  scenarioIsFolder: (p) => `'${p.file}' é uma pasta, não um arquivo de cenário`,
  scenarioTooLarge: (p) =>
    `${p.file}: ${p.size} bytes é grande demais para um arquivo de cenário; o máximo permitido é ${p.max}`,
  scenarioUnreadable: (p) => `não foi possível ler '${p.file}': ${cause(p.code)}`,
  yamlAliases: (p) =>
    `${p.file}: os aliases do YAML se expandem em mais de ${p.max} nós; um cenário precisa de poucos ou nenhum`,
  fieldTooMany: (p) =>
    `${where(p)}: ${p.count} itens são demais; o máximo permitido é ${p.maximum}`,
  fieldRepeated: (p) => `${where(p)}: ${p.found} aparece duas vezes`,
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
  html: htmlPtBR,

  workerCmdEmpty: () =>
    '--worker-cmd: o comando está vazio; dê o comando que inicia o seu worker, por exemplo "python3 meu_worker.py"',
  gradeTitle: (p) =>
    `nota: promessa ${p.claim} · ${p.transport}, relógio virtual · semente ${p.seed}\nworker: ${p.command}`,
  gradeColumns: 'caso                  veredito  envios entreg   exec 2vezes perdas',
  gradeFirstBroken: (p) => `primeiro caso quebrado: ${p.id}: ${p.reason}\numa época que o quebrou:`,
  gradeAllHeld: (p) => `a promessa se manteve em todos os ${p.total} casos`,
  gradeBroken: (p) =>
    `o worker quebrou sua promessa (${p.claim}) em ${p.broken} de ${p.total} casos`,
  studentBadLine: (p) =>
    `o programa do worker ${p.worker} quebrou o protocolo: sua linha ${p.line} ${
      p.problem === 'not-json'
        ? 'não é JSON'
        : p.problem === 'not-object'
          ? 'não é um objeto JSON'
          : p.problem === 'bad-field'
            ? `não tem um "${p.detail}" válido`
            : p.problem === 'not-init-ok'
              ? 'não é o init_ok que responde ao init'
              : `é de um tipo desconhecido '${p.detail}'`
    }: ${p.text}`,
  studentWrongEpoch: (p) =>
    `o programa do worker ${p.worker} quebrou o protocolo: sua linha ${p.line} pede '${p.type}' para a época ${p.epoch}, mas o trabalho em mãos é a época ${p.inHand}: ${p.text}`,
  studentNoAnswer: (p) =>
    `o programa do worker ${p.worker} quebrou o protocolo: nenhuma linha em ${p.ms} ms depois de ${p.text}`,
  studentExited: (p) =>
    p.notFound
      ? `o programa do worker ${p.worker} não pôde ser iniciado (${p.how}): o --worker-cmd está certo? a mensagem do shell está em worker-logs/ na pasta da rodada`
      : `o programa do worker ${p.worker} quebrou o protocolo: terminou sozinho (${p.how}) depois de ${p.lines} linha${p.lines === 1 ? '' : 's'}; seu stderr está em worker-logs/ na pasta da rodada`,

  expectField: (field) => EXPECT_FIELDS_PT[field] ?? field,
  expectValue: (value) => ({ true: 'sim', false: 'não' })[value] ?? value,
  decimalComma: (p) => `${p.flag}: '${p.text}' não é um número; escreva ${p.dotted}`,
  liveHeader: (p) =>
    `${p.label} via ${p.transport} · ${p.workers} trabalhadores · ${p.messages} mensagens`,
  tickerFault: (p) =>
    `${p.direction === 'work' ? 'trabalho' : 'ack'} da época ${p.epoch} ${
      p.ms === undefined ? 'descartado' : `retido ${p.ms} ms`
    }${p.live ? ' (ao vivo)' : ''}`,
  crashDetail: (p) =>
    p.point !== undefined
      ? `${p.point} na época ${String(p.epoch)}`
      : p.live
        ? 'derrubado pela visão ao vivo'
        : `derrubado por ${p.signal ?? '?'}`,
  scenarioErrors: (p) => `${p.count} erros no arquivo de cenário; cada um numa linha abaixo`,
  classMode: {
    banner: ' · modo aula: as lições na ordem do curso',
    listTitle: 'Lições, na ordem do curso',
    needs: (service) => `precisa de ${service}`,
    inProcess: 'sem servidor',
    pickStart: 'Enter começa pela lição 1 · um número começa nela · q sai: ',
    lessonOf: (p) => `lição ${p.index} de ${p.count}`,
    predictTitle: 'Antes da rodada, a turma dá o seu palpite (um número, ou Enter para pular):',
    predictLost: (semantics) => `${semantics}: quantas perdidas? `,
    predictTwice: (semantics) => `${semantics}: quantas executadas duas vezes? `,
    notANumber: (answer) => `'${answer}' não é um número inteiro; digite um, ou Enter para pular`,
    guess: 'palpite',
    observed: 'observado',
    hit: 'acertou',
    miss: 'errou',
    lost: 'perdidas',
    twice: 'duas vezes',
    running: (p) => `rodada ${p.index}/${p.count}: ${p.semantics}`,
    next: 'Enter próxima lição · r roda de novo · q sai',
    serviceMissing: (p) =>
      `${p.service} não responde em ${p.where}: s inicia um local (scripts/services), Enter pula esta lição`,
    serviceStarting: (service) => `iniciando ${service}…`,
    serviceStarted: (p) => `${p.service} no ar em ${p.where}; ele para quando a aula acabar`,
    serviceFailed: (p) => `não foi possível iniciar ${p.service}: ${p.why}; lição pulada`,
    serviceStopped: (service) => `${service} parado`,
    skipped: 'lição pulada',
    end: 'fim da aula',
  },
  noRunsIn: (p) => `nenhuma rodada em ${p.root} ainda; comece uma com \`semlab run at-least-once\``,
  noSuchRun: (p) =>
    `nenhuma rodada '${p.target}' em ${p.root}; as mais novas são ${p.newest} (semlab runs lista todas)`,
  ambiguousRun: (p) =>
    `'${p.target}' corresponde a ${p.count} rodadas; dê mais do id da rodada (semlab runs lista todas)`,
  epochNotInRun: (p) =>
    `--epoch: a rodada ${p.runId} tem as épocas 1 a ${p.messages}; ${p.epoch} não é uma delas`,
  replicas: replicasPtBR,
  notKafkaRun: (p) =>
    `a execução ${p.runId} rodou sobre ${p.transport}, não Kafka; semlab kafka describe precisa de uma execução Kafka (ou nenhuma: todos os tópicos do semlab)`,
  journalsDiscarded: (p) =>
    `os journals desta rodada foram descartados por um build só de benchmark, então ela não tem contagens nem relatório; a pasta dela é ${p.runDir}`,
};
