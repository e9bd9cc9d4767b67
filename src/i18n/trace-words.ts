/**
 * The words of `semlab trace` (src/report/trace.ts, render-trace.ts, sequence-diagram.ts), in
 * every language: the steps of an epoch's life, the cause of an anomaly, and the diagram's lane
 * names, notes and legend. The report layer records facts (these types); only the renderers put
 * them into words, so the terminal speaks the reader's language while `--json` keeps English.
 *
 * They live apart from en.ts and pt-br.ts, which hold one key each for them (`trace`), so the
 * two catalogs stay easy to merge.
 */

/** One step of an epoch's life, as the trace records it. */
export type TraceStepFact =
  | { readonly kind: 'send'; readonly attempt: number }
  | { readonly kind: 'work-dropped'; readonly attempt: number; readonly live?: boolean }
  | {
      readonly kind: 'work-held';
      readonly attempt: number;
      readonly ms: number;
      readonly live?: boolean;
    }
  | { readonly kind: 'ack-dropped'; readonly attempt: number; readonly live?: boolean }
  | {
      readonly kind: 'ack-held';
      readonly attempt: number;
      readonly ms: number;
      readonly live?: boolean;
    }
  | { readonly kind: 'receive'; readonly worker: string; readonly attempt: number }
  | {
      readonly kind: 'execute';
      readonly worker: string;
      readonly attempt: number;
      /** Not the epoch's first execution: a duplicate. */
      readonly again: boolean;
    }
  | { readonly kind: 'skip'; readonly worker: string; readonly attempt: number }
  | { readonly kind: 'mark'; readonly worker: string; readonly attempt: number }
  | {
      readonly kind: 'crash';
      readonly worker: string;
      readonly attempt: number;
      readonly point: string;
    }
  | { readonly kind: 'reply'; readonly worker: string; readonly attempt: number }
  | { readonly kind: 'ack'; readonly worker: string; readonly attempt: number }
  | { readonly kind: 'timeout'; readonly attempt: number; readonly retry: boolean }
  // The fault kinds of --partition, --dup-work/--dup-ack, --reorder, --pause and --work-ms.
  | {
      readonly kind: 'partitioned';
      readonly direction: 'work' | 'ack';
      readonly attempt: number;
      readonly worker: string;
    }
  | { readonly kind: 'duplicated'; readonly direction: 'work' | 'ack'; readonly attempt: number }
  | {
      readonly kind: 'reordered';
      readonly direction: 'work' | 'ack';
      readonly attempt: number;
      readonly ms: number;
    }
  | {
      readonly kind: 'paused';
      readonly worker: string;
      readonly attempt: number;
      readonly point: string;
      readonly ms: number;
    }
  | {
      readonly kind: 'work-time';
      readonly worker: string;
      readonly attempt: number;
      readonly ms: number;
    };

/** Why an anomaly happened: a kind a script can test, and the facts the sentence quotes. */
export type TraceCauseFact =
  | { readonly kind: 'work-dropped'; readonly sends: number; readonly neverResent: boolean }
  | { readonly kind: 'never-received'; readonly neverResent: boolean }
  | { readonly kind: 'marked-then-died'; readonly worker: string }
  | {
      readonly kind: 'killed-live';
      readonly worker: string;
      /** A duplicate: the worker that ran it again. Absent: the epoch was lost. */
      readonly second?: string;
      readonly neverResent: boolean;
    }
  | { readonly kind: 'died-after-receive'; readonly worker: string; readonly neverResent: boolean }
  | { readonly kind: 'taken-on-receipt'; readonly neverResent: boolean }
  | { readonly kind: 'never-executed' }
  | { readonly kind: 'dedupe-hole'; readonly worker: string; readonly second: string }
  | {
      readonly kind: 'died-before-ack';
      readonly worker: string;
      readonly second: string;
      readonly point: string;
    }
  | { readonly kind: 'redelivered'; readonly attempt: number; readonly second: string }
  | { readonly kind: 'per-worker-store'; readonly worker: string; readonly second: string }
  | { readonly kind: 'mark-expired'; readonly ttlMs: number; readonly second: string }
  | {
      readonly kind: 'ack-dropped';
      readonly attempt: number;
      readonly timeoutMs: number;
      readonly second: string;
    }
  | {
      readonly kind: 'ack-late';
      readonly attempt: number;
      readonly ms: number;
      readonly timeoutMs: number;
    }
  | { readonly kind: 'retried'; readonly timeoutMs: number; readonly second: string }
  /** Lost: every send went into a partition. Twice: its ack was lost in one. */
  | {
      readonly kind: 'partitioned';
      readonly worker: string;
      readonly lostWork: boolean;
      readonly attempt: number;
      readonly neverResent: boolean;
    }
  | {
      readonly kind: 'zombie';
      readonly worker: string;
      readonly point: string;
      readonly ms: number;
      readonly timeoutMs: number;
      readonly second?: string;
      /** The frozen worker woke and finished its own attempt before the run ended. */
      readonly finished: boolean;
    }
  | {
      readonly kind: 'network-duplicate';
      readonly attempt: number;
      readonly worker: string;
      readonly second: string;
    }
  | {
      readonly kind: 'slow-work';
      readonly worker: string;
      readonly attempt: number;
      readonly ms: number;
      readonly timeoutMs: number;
    };

/** One row of an epoch's sequence diagram, as the note beside it says it. */
export type DiagramNoteFact =
  | { readonly kind: 'work'; readonly attempt: number; readonly to?: string }
  | { readonly kind: 'work-dropped'; readonly attempt: number; readonly live?: boolean }
  | { readonly kind: 'work-held'; readonly attempt: number; readonly ms: number }
  | { readonly kind: 'work-unreceived'; readonly attempt: number }
  | { readonly kind: 'effect'; readonly worker: string; readonly again: boolean }
  | { readonly kind: 'mark'; readonly worker: string }
  | { readonly kind: 'skip'; readonly worker: string }
  | { readonly kind: 'crash'; readonly lane: string; readonly point: string }
  | { readonly kind: 'restart'; readonly lane: string }
  | { readonly kind: 'ack'; readonly attempt: number }
  | { readonly kind: 'ack-dropped'; readonly attempt: number; readonly live?: boolean }
  | { readonly kind: 'ack-held'; readonly attempt: number; readonly ms: number }
  | { readonly kind: 'ack-unseen'; readonly attempt: number }
  | { readonly kind: 'ack-late'; readonly attempt: number }
  | { readonly kind: 'timeout'; readonly attempt: number; readonly retry: boolean };

export interface TraceWords {
  step(fact: TraceStepFact): string;
  cause(fact: TraceCauseFact): string;
  /** The lanes of a diagram that are not worker incarnations. */
  dispatcherLane: string;
  storeLane: string;
  /** The header of the diagram's time column. */
  msColumn: string;
  note(fact: DiagramNoteFact): string;
  /** One line that says what the diagram's glyphs mean; `glyphs` maps a role to its glyph. */
  legend(glyphs: {
    arrow: string;
    drop: string;
    effect: string;
    crash: string;
    restart: string;
    timeout: string;
  }): string;
  /** Under `--anomalies --diagram`: how many anomalous epochs were not drawn. */
  moreAnomalies(p: { drawn: number; total: number }): string;
  /** The clock the diagram's times are on. */
  diagramClock(clock: 'virtual' | 'real'): string;
}

const live = (on: boolean | undefined, word: string): string => (on ? ` (${word})` : '');

export const traceWordsEn: TraceWords = {
  step(f) {
    switch (f.kind) {
      case 'send':
        return f.attempt === 1 ? 'sent' : `sent again (attempt ${f.attempt})`;
      case 'work-dropped':
        return `work of attempt ${f.attempt} dropped by the network${live(f.live, 'live')}`;
      case 'work-held':
        return `work of attempt ${f.attempt} held back ${f.ms} ms${live(f.live, 'live')}`;
      case 'ack-dropped':
        return `ack of attempt ${f.attempt} dropped by the network${live(f.live, 'live')}`;
      case 'ack-held':
        return `ack of attempt ${f.attempt} held back ${f.ms} ms${live(f.live, 'live')}`;
      case 'receive':
        return `received by ${f.worker} (attempt ${f.attempt})`;
      case 'execute':
        return f.again ? `executed again by ${f.worker}: duplicate` : `executed by ${f.worker}`;
      case 'skip':
        return `${f.worker} found it already executed: skipped`;
      case 'mark':
        return `marked executed by ${f.worker}`;
      case 'crash':
        return `${f.worker} died (${f.point})`;
      case 'reply':
        return `${f.worker} sent its ack`;
      case 'ack':
        return `ack of attempt ${f.attempt} reached the dispatcher`;
      case 'timeout':
        return f.retry
          ? `no ack for attempt ${f.attempt} in time: sent again`
          : `no ack for attempt ${f.attempt} in time: given up`;
      case 'partitioned':
        return `${f.direction} of attempt ${f.attempt} lost: ${f.worker} is cut off from the dispatcher`;
      case 'duplicated':
        return `${f.direction} of attempt ${f.attempt} duplicated by the network`;
      case 'reordered':
        return `${f.direction} of attempt ${f.attempt} held back ${f.ms} ms: later messages overtake it`;
      case 'paused':
        return `${f.worker} frozen (SIGSTOP) ${f.point} for ${f.ms} ms`;
      case 'work-time':
        return `${f.worker} works on it for ${f.ms} ms`;
    }
  },
  cause(f) {
    const neverResent = (on: boolean): string => (on ? '; at-most-once never sends again' : '');
    switch (f.kind) {
      case 'work-dropped':
        return `the network dropped every send (${f.sends})${neverResent(f.neverResent)}`;
      case 'never-received':
        return `no worker ever received it (it died with a worker's queue, or a dropped send)${neverResent(f.neverResent)}`;
      case 'marked-then-died':
        return `${f.worker} marked it and died before executing; the retry found the mark and skipped it`;
      case 'killed-live':
        return f.second === undefined
          ? `${f.worker} was killed from the live view while it held it${neverResent(f.neverResent)}`
          : `${f.worker} was killed from the live view after executing it, before its ack was seen; ${f.second} ran it again`;
      case 'died-after-receive':
        return `${f.worker} died right after receiving it${neverResent(f.neverResent)}`;
      case 'taken-on-receipt':
        return `received, never executed: taken for good on receipt by a worker that then died${neverResent(f.neverResent)}`;
      case 'never-executed':
        return 'received but never executed';
      case 'dedupe-hole':
        return `${f.worker} died after executing it and before marking it (the hole); ${f.second} ran it again`;
      case 'died-before-ack':
        return `${f.worker} died after executing it, before its ack left (${f.point}); ${f.second} ran it again`;
      case 'redelivered':
        return `the transport delivered attempt ${f.attempt} again (a dead consumer's records read again), and ${f.second} ran it again`;
      case 'per-worker-store':
        return `${f.worker} marked it in its own memory store; ${f.second} never saw that mark and ran it again`;
      case 'mark-expired':
        return `its dedupe mark expired (TTL ${f.ttlMs} ms) before the retry reached ${f.second}`;
      case 'ack-dropped':
        return `the network dropped the ack of attempt ${f.attempt}; after ${f.timeoutMs} ms the dispatcher sent it again and ${f.second} ran it again`;
      case 'ack-late':
        return `the ack of attempt ${f.attempt} was ${f.ms} ms late, past the ${f.timeoutMs} ms timeout: a slow ack looks lost, so it was sent and run again`;
      case 'retried':
        return `no ack within ${f.timeoutMs} ms, so the dispatcher sent it again and ${f.second} ran it again`;
      case 'partitioned':
        return f.lostWork
          ? `sent into a partition: ${f.worker} was cut off from the dispatcher${neverResent(f.neverResent)}`
          : `${f.worker} was cut off from the dispatcher: its ack of attempt ${f.attempt} was lost in the partition, so it was sent and run again`;
      case 'zombie':
        return `${f.worker} was frozen ${f.point} for ${f.ms} ms, not dead; after ${f.timeoutMs} ms the dispatcher sent it again${f.second ? ` and ${f.second} ran it` : ''}${f.finished ? ', and the zombie woke and finished its own' : '; the run ended before it woke'}`;
      case 'network-duplicate':
        return `the network delivered attempt ${f.attempt} twice, without any retry; ${f.worker} and ${f.second} both ran it`;
      case 'slow-work':
        return `${f.worker} took ${f.ms} ms to handle attempt ${f.attempt}, past the ${f.timeoutMs} ms timeout: slow work looks like a dead worker, so it was sent and run again`;
    }
  },
  dispatcherLane: 'dispatcher',
  storeLane: 'store',
  msColumn: 'ms',
  note(f) {
    switch (f.kind) {
      case 'work':
        return `work #${f.attempt}`;
      case 'work-dropped':
        return `work #${f.attempt} dropped${live(f.live, 'live')}`;
      case 'work-held':
        return `work #${f.attempt} held back ${f.ms} ms`;
      case 'work-unreceived':
        return `work #${f.attempt} never received`;
      case 'effect':
        return f.again ? `${f.worker} executes AGAIN` : `${f.worker} executes (effect)`;
      case 'mark':
        return `${f.worker} marks it executed`;
      case 'skip':
        return `${f.worker} finds the mark: skip`;
      case 'crash':
        return `${f.lane} dies (${f.point})`;
      case 'restart':
        return `${f.lane} starts (restart)`;
      case 'ack':
        return `ack #${f.attempt}`;
      case 'ack-dropped':
        return `ack #${f.attempt} dropped${live(f.live, 'live')}`;
      case 'ack-held':
        return `ack #${f.attempt} held back ${f.ms} ms`;
      case 'ack-unseen':
        return `ack #${f.attempt} never arrived`;
      case 'ack-late':
        return `late ack #${f.attempt} arrives`;
      case 'timeout':
        return f.retry ? `timeout #${f.attempt}: send again` : `timeout #${f.attempt}: give up`;
    }
  },
  legend: (g) =>
    `${g.arrow} message  ${g.drop} dropped  ${g.effect} effect  ${g.crash} crash  ${g.restart} restart  ${g.timeout} timeout`,
  moreAnomalies: (p) => `${p.drawn} of ${p.total} anomalous epochs drawn; --epoch N draws any one`,
  diagramClock: (clock) => (clock === 'virtual' ? 'virtual clock' : 'real clock'),
};

const vivo = (on: boolean | undefined): string => (on ? ' (ao vivo)' : '');

/**
 * pt-BR, no vocabulário das aulas: época, trabalhador, despachante, "rodada" para uma run
 * ("execução" é a execução de uma época).
 */
const direcao = (d: 'work' | 'ack'): string => (d === 'work' ? 'trabalho' : 'ack');

export const traceWordsPtBR: TraceWords = {
  step(f) {
    switch (f.kind) {
      case 'send':
        return f.attempt === 1 ? 'enviada' : `enviada de novo (tentativa ${f.attempt})`;
      case 'work-dropped':
        return `trabalho da tentativa ${f.attempt} descartado pela rede${vivo(f.live)}`;
      case 'work-held':
        return `trabalho da tentativa ${f.attempt} retido ${f.ms} ms${vivo(f.live)}`;
      case 'ack-dropped':
        return `ack da tentativa ${f.attempt} descartado pela rede${vivo(f.live)}`;
      case 'ack-held':
        return `ack da tentativa ${f.attempt} retido ${f.ms} ms${vivo(f.live)}`;
      case 'receive':
        return `recebida por ${f.worker} (tentativa ${f.attempt})`;
      case 'execute':
        return f.again
          ? `executada de novo por ${f.worker}: duplicata`
          : `executada por ${f.worker}`;
      case 'skip':
        return `${f.worker} viu que já foi executada: pulou`;
      case 'mark':
        return `marcada como executada por ${f.worker}`;
      case 'crash':
        return `${f.worker} morreu (${f.point})`;
      case 'reply':
        return `${f.worker} enviou seu ack`;
      case 'ack':
        return `ack da tentativa ${f.attempt} chegou ao despachante`;
      case 'timeout':
        return f.retry
          ? `sem ack da tentativa ${f.attempt} a tempo: enviada de novo`
          : `sem ack da tentativa ${f.attempt} a tempo: desistiu`;
      case 'partitioned':
        return `${direcao(f.direction)} da tentativa ${f.attempt} perdido: ${f.worker} está isolado do despachante`;
      case 'duplicated':
        return `${direcao(f.direction)} da tentativa ${f.attempt} duplicado pela rede`;
      case 'reordered':
        return `${direcao(f.direction)} da tentativa ${f.attempt} retido ${f.ms} ms: mensagens posteriores o ultrapassam`;
      case 'paused':
        return `${f.worker} congelado (SIGSTOP) ${f.point} por ${f.ms} ms`;
      case 'work-time':
        return `${f.worker} trabalha nela por ${f.ms} ms`;
    }
  },
  cause(f) {
    const neverResent = (on: boolean): string => (on ? '; at-most-once nunca envia de novo' : '');
    switch (f.kind) {
      case 'work-dropped':
        return `a rede descartou todos os envios (${f.sends})${neverResent(f.neverResent)}`;
      case 'never-received':
        return `nenhum trabalhador a recebeu (morreu com a fila de um trabalhador, ou um envio descartado)${neverResent(f.neverResent)}`;
      case 'marked-then-died':
        return `${f.worker} a marcou e morreu antes de executar; a nova tentativa achou a marca e a pulou`;
      case 'killed-live':
        return f.second === undefined
          ? `${f.worker} foi morto pela visão ao vivo enquanto a tinha${neverResent(f.neverResent)}`
          : `${f.worker} foi morto pela visão ao vivo depois de executá-la, antes de seu ack ser visto; ${f.second} a rodou de novo`;
      case 'died-after-receive':
        return `${f.worker} morreu logo depois de recebê-la${neverResent(f.neverResent)}`;
      case 'taken-on-receipt':
        return `recebida, nunca executada: tirada da fila ao ser recebida por um trabalhador que depois morreu${neverResent(f.neverResent)}`;
      case 'never-executed':
        return 'recebida mas nunca executada';
      case 'dedupe-hole':
        return `${f.worker} morreu depois de executá-la e antes de marcá-la (o buraco); ${f.second} a rodou de novo`;
      case 'died-before-ack':
        return `${f.worker} morreu depois de executá-la, antes de seu ack sair (${f.point}); ${f.second} a rodou de novo`;
      case 'redelivered':
        return `o transporte entregou a tentativa ${f.attempt} de novo (registros de um consumidor morto lidos de novo), e ${f.second} a rodou de novo`;
      case 'per-worker-store':
        return `${f.worker} a marcou no seu próprio store em memória; ${f.second} nunca viu essa marca e a rodou de novo`;
      case 'mark-expired':
        return `sua marca de dedupe expirou (TTL ${f.ttlMs} ms) antes de a nova tentativa chegar a ${f.second}`;
      case 'ack-dropped':
        return `a rede descartou o ack da tentativa ${f.attempt}; depois de ${f.timeoutMs} ms o despachante a enviou de novo e ${f.second} a rodou de novo`;
      case 'ack-late':
        return `o ack da tentativa ${f.attempt} atrasou ${f.ms} ms, além do timeout de ${f.timeoutMs} ms: um ack lento parece perdido, então ela foi enviada e rodada de novo`;
      case 'retried':
        return `nenhum ack em ${f.timeoutMs} ms, então o despachante a enviou de novo e ${f.second} a rodou de novo`;
      case 'partitioned':
        return f.lostWork
          ? `enviada para dentro de uma partição: ${f.worker} estava isolado do despachante${neverResent(f.neverResent)}`
          : `${f.worker} estava isolado do despachante: seu ack da tentativa ${f.attempt} se perdeu na partição, então ela foi enviada e rodada de novo`;
      case 'zombie':
        return `${f.worker} ficou congelado ${f.point} por ${f.ms} ms, não morto; depois de ${f.timeoutMs} ms o despachante a enviou de novo${f.second ? ` e ${f.second} a rodou` : ''}${f.finished ? ', e o zumbi acordou e terminou a sua' : '; a rodada terminou antes de ele acordar'}`;
      case 'network-duplicate':
        return `a rede entregou a tentativa ${f.attempt} duas vezes, sem nenhuma nova tentativa; ${f.worker} e ${f.second} a rodaram`;
      case 'slow-work':
        return `${f.worker} levou ${f.ms} ms para tratar a tentativa ${f.attempt}, além do timeout de ${f.timeoutMs} ms: trabalho lento parece um trabalhador morto, então ela foi enviada e rodada de novo`;
    }
  },
  dispatcherLane: 'despachante',
  storeLane: 'store',
  msColumn: 'ms',
  note(f) {
    switch (f.kind) {
      case 'work':
        return `trabalho #${f.attempt}`;
      case 'work-dropped':
        return `trabalho #${f.attempt} descartado${vivo(f.live)}`;
      case 'work-held':
        return `trabalho #${f.attempt} retido ${f.ms} ms`;
      case 'work-unreceived':
        return `trabalho #${f.attempt} nunca recebido`;
      case 'effect':
        return f.again ? `${f.worker} executa DE NOVO` : `${f.worker} executa (efeito)`;
      case 'mark':
        return `${f.worker} marca como executada`;
      case 'skip':
        return `${f.worker} acha a marca: pula`;
      case 'crash':
        return `${f.lane} morre (${f.point})`;
      case 'restart':
        return `${f.lane} começa (reinício)`;
      case 'ack':
        return `ack #${f.attempt}`;
      case 'ack-dropped':
        return `ack #${f.attempt} descartado${vivo(f.live)}`;
      case 'ack-held':
        return `ack #${f.attempt} retido ${f.ms} ms`;
      case 'ack-unseen':
        return `ack #${f.attempt} nunca chegou`;
      case 'ack-late':
        return `ack #${f.attempt} atrasado chega`;
      case 'timeout':
        return f.retry ? `timeout #${f.attempt}: envia de novo` : `timeout #${f.attempt}: desiste`;
    }
  },
  legend: (g) =>
    `${g.arrow} mensagem  ${g.drop} descartada  ${g.effect} efeito  ${g.crash} crash  ${g.restart} reinício  ${g.timeout} timeout`,
  moreAnomalies: (p) =>
    `${p.drawn} de ${p.total} épocas anômalas desenhadas; --epoch N desenha qualquer uma`,
  diagramClock: (clock) => (clock === 'virtual' ? 'relógio virtual' : 'relógio real'),
};
