import type { HtmlCatalog, HtmlEventWords } from './html-en.js';

/** As palavras do relatório HTML em português (mesma forma de ./html-en.ts). */
const paren = (detail?: string): string => (detail ? ` (${detail})` : '');

export const htmlPtBR: HtmlCatalog = {
  title: (p) => `relatório do semlab · rodada ${p.runId}`,
  compareTitle: (p) => `relatório do semlab · ${p.count} execuções comparadas`,
  offline: 'Um arquivo autocontido: funciona sem rede e pode ser enviado por e-mail como está.',
  summary: 'Resumo',
  diagram: 'Diagrama espaço-tempo',
  timeline: 'Linha do tempo',
  anomalies: 'Anomalias',
  comparison: 'Comparação',
  diagramHelp:
    'Uma raia por processo; os eventos seguem da esquerda para a direita na ordem em que aconteceram, mais afastados quando passou mais tempo entre eles. Passe o mouse sobre uma seta ou marca para ver o evento; escolha uma anomalia (uma faixa acima das raias, ou a lista) ou uma época para ampliá-la.',
  wholeRun: 'rodada inteira',
  zoomIn: 'ampliar',
  zoomOut: 'reduzir',
  epoch: 'época',
  showEpoch: 'mostrar',
  epochView: (p) => `época ${p.epoch}: seus eventos um após o outro, tempos em ms`,
  truncated: (p) =>
    `Uma rodada grande: o diagrama desenha as épocas 1 a ${p.first} de ${p.total} e ${p.anomalies} época${p.anomalies === 1 ? '' : 's'} anômala${p.anomalies === 1 ? '' : 's'}; as contagens e a linha do tempo cobrem todas as épocas.`,
  noAnomalies: 'Nenhuma anomalia: cada época executou exatamente uma vez.',
  anomaliesCount: (p) => `${p.lost} perdidas, ${p.duplicate} executadas mais de uma vez`,
  notDrawn: 'não desenhada (além do limite)',
  outcomes: { lost: 'perdida', duplicate: 'duplicada' },
  legend: {
    work: 'trabalho',
    retry: 'reenvio',
    ack: 'confirmação (ack)',
    dropped: 'descartada',
    execute: 'efeito',
    duplicate: 'efeito duplicado',
    crash: 'queda',
    restart: 'reinício',
    timeout: 'prazo esgotado',
  },
  series: {
    sent: 'enviadas',
    retries: 'reenvios',
    acked: 'confirmadas',
    effects: 'efeitos',
    faults: 'falhas de rede',
  },
  timelineHelp: (p) =>
    `Por ${p.bucketMs} ms de rodada; sombreado: falhas ligadas (teclas ao vivo, um broker fora). Abaixo: quedas (×) e reinícios (↻) de cada worker.`,
  runFaults: (p) => `falhas durante toda a rodada: ${p.faults}`,
  clockVirtual: 'relógio virtual: os tempos são os ms da própria rodada',
  clockReal: 'relógio real: os tempos são ms desde o início da rodada',
  barsTitle: 'Perdidas e execuções duplicadas por semântica',
  openRun: 'diagrama',
  lostBar: 'perdidas',
  duplicateBar: 'execuções duplicadas',
  notFinished: (p) =>
    `a rodada ${p.runId} ainda não tem relatório (em andamento, ou nunca terminou): semlab trace conta o que seus diários registram`,
  written: (p) => `relatório: ${p.file}`,
  outNoFolder: (p) =>
    `${p.flag}: a pasta '${p.folder}' não existe; crie-a ou indique um arquivo numa pasta existente`,
  outIsFolder: (p) =>
    `${p.flag}: '${p.file}' é uma pasta; indique um arquivo onde escrever o relatório`,
  outNotWritten: (p) => `não foi possível escrever o relatório em '${p.file}' (${p.code})`,
  event: (e: HtmlEventWords) => {
    const ep = `época ${e.epoch ?? '?'}`;
    const att = `tentativa ${e.attempt ?? '?'}`;
    const w = e.worker ?? '?';
    switch (e.kind) {
      case 'send':
        return `${ep} enviada (${att})`;
      case 'retry':
        return `${ep} enviada de novo (${att})`;
      case 'receive':
        return `${w} recebeu a ${ep} (${att})`;
      case 'execute':
        return `${w} executou a ${ep}`;
      case 'duplicate':
        return `${w} executou a ${ep} de novo: efeito duplicado`;
      case 'skip':
        return `${w} pulou a ${ep}: já executada`;
      case 'mark':
        return `${w} marcou a ${ep} como executada`;
      case 'reply':
        return `${w} enviou o ack da ${ep} (${att})`;
      case 'ack':
        return `o ack da ${ep} (${att}) de ${w} chegou ao dispatcher`;
      case 'timeout':
        return `sem ack da ${ep} (${att}) a tempo: enviada de novo`;
      case 'give-up':
        return `sem ack da ${ep} (${att}) a tempo: desistiu`;
      case 'drop-work':
        return `a rede descartou o trabalho da ${ep} (${att})${paren(e.detail)}`;
      case 'drop-ack':
        return `a rede descartou o ack da ${ep} (${att})${paren(e.detail)}`;
      case 'delay-work':
        return `a rede atrasou o trabalho da ${ep} (${att})${paren(e.detail)}`;
      case 'delay-ack':
        return `a rede atrasou o ack da ${ep} (${att})${paren(e.detail)}`;
      case 'duplicate-work':
        return `a rede entregou o trabalho da ${ep} (${att}) duas vezes${paren(e.detail)}`;
      case 'duplicate-ack':
        return `a rede entregou o ack da ${ep} (${att}) duas vezes${paren(e.detail)}`;
      case 'reorder-work':
        return `mensagens posteriores ultrapassaram o trabalho da ${ep} (${att})${paren(e.detail)}`;
      case 'reorder-ack':
        return `mensagens posteriores ultrapassaram o ack da ${ep} (${att})${paren(e.detail)}`;
      case 'partition-work':
        return `o trabalho da ${ep} (${att}) se perdeu numa partição${paren(e.detail)}`;
      case 'partition-ack':
        return `o ack da ${ep} (${att}) se perdeu numa partição${paren(e.detail)}`;
      case 'crash':
        return `${w} caiu${paren(e.detail)} com a ${ep}`;
      case 'restart':
        return `${w} reiniciado${paren(e.detail)}`;
      case 'kill':
        return `${w} morto${paren(e.detail)}`;
      case 'live-on':
        return `tecla ao vivo: ${e.detail ?? ''} ligada`;
      case 'live-off':
        return `tecla ao vivo: ${e.detail ?? ''} desligada`;
      case 'broker-crash':
        return `broker Kafka ${e.detail ?? ''} morto`;
      case 'broker-restart':
        return `broker Kafka ${e.detail ?? ''} reiniciado`;
      default:
        return e.kind;
    }
  },
  labWritten: (p) => `relatório (a tecla o o abre): ${p.file}`,
  labOpening: (p) => `abrindo ${p.file} com ${p.opener}`,
  labNoOpener: (p) =>
    `não há um abridor do desktop aqui (xdg-open ou open): abra ${p.file} num navegador`,
  labNoReport: 'ainda não há relatório: ele é escrito depois de uma execução que termina',
};
