import { KAFKA_DEFAULTS, RUN_DEFAULTS } from '../core/defaults.js';
import { DEFAULT_KEEP_RUNS } from '../core/run-folder.js';
import { SEMANTICS_NAMES, type SemanticsName } from '../core/semantics.js';
import { CRASH_POINTS } from '../faults/spec.js';
import { STORE_NAMES } from '../stores/registry.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';

/**
 * `--help` in Brazilian Portuguese. Keyed by what does not change when a text is reworded: an
 * option's long flag, a command's name, "command:argument". An option or command added later
 * without an entry here shows its English text (src/cli/localize-help.ts), never nothing.
 */
const d = RUN_DEFAULTS;

export const PT_HELP_TITLES: Readonly<Record<string, string>> = {
  'Usage:': 'Uso:',
  'Arguments:': 'Argumentos:',
  'Options:': 'Opções:',
  'Commands:': 'Comandos:',
  'Global Options:': 'Opções globais:',
};

export const PT_COMMANDS: Readonly<Record<string, string>> = {
  semlab:
    'Um laboratório para ver semânticas de entrega de mensagens: processos reais, transportes reais, falhas injetadas, contagens exatas.',
  run: 'roda uma semântica ou um cenário como processos reais sobre um transporte real e conta o que aconteceu',
  compare: 'as mesmas falhas semeadas, várias semânticas lado a lado, numa tabela só',
  scenarios: 'lista as lições incluídas, na ordem do curso, uma por linha',
  trace: 'a vida de cada mensagem de uma rodada, e a causa de cada anomalia',
  runs: 'lista as rodadas guardadas, da mais nova para a mais antiga (semlab trace explica uma)',
  lab: 'o laboratório interativo: escolha uma lição ou monte uma rodada, assista ao vivo, mude um parâmetro',
  class: 'modo aula: as lições na ordem do curso, com o palpite da turma antes de cada rodada',
  help: 'mostra a ajuda de um comando',
  report:
    'grava um relatório HTML de uma rodada: tabela, diagrama espaço-tempo, anomalias, linha do tempo',
  kafka: 'o que o cluster Kafka guarda: partições, líderes, réplicas em sincronia',
  describe: 'o líder, as réplicas e as réplicas em sincronia (ISR) de cada partição',
  grade:
    'avalia o seu próprio programa worker: roda-o por uma bateria de falhas e confere a promessa declarada',
};

export const PT_ARGUMENTS: Readonly<Record<string, string>> = {
  'run:target': 'uma semântica, o nome de um cenário incluído, ou um arquivo de cenário',
  'compare:scenario': 'o nome de um cenário incluído ou um arquivo de cenário (padrão: nenhum)',
  'trace:run': 'id da rodada, prefixo ou pasta (padrão: a rodada mais nova)',
  'help:command': 'o comando',
  'describe:run': 'id da rodada, prefixo ou pasta (padrão: todo tópico do semlab)',
  'report:run': 'id da rodada, prefixo ou pasta (padrão: a rodada mais nova)',
  'class:lesson': 'a lição por onde começar: número ou nome (padrão: a primeira)',
};

export const PT_OPTIONS: Readonly<Record<string, string>> = {
  '--version': 'mostra o número da versão',
  '--help': 'mostra a ajuda do comando',
  '--lang':
    'idioma da saída: en, pt-BR (padrão: SEMLAB_LANG, LC_ALL, LC_MESSAGES ou LANG, senão en); --json fica em inglês',
  '--transport': `transporte: ${TRANSPORT_NAMES.join(', ')} (padrão ${d.transport})`,
  '--workers': `processos trabalhadores (padrão ${d.workers})`,
  '--messages': `mensagens, épocas 1..M (padrão ${d.messages})`,
  '--seed': 'semente de todas as decisões de falha (padrão: aleatória, mostrada no relatório)',
  '--timeout': `timeout do ack antes de um reenvio, ou antes de at-most-once desistir (padrão ${d.timeoutMs})`,
  '--window': `máximo de mensagens em trânsito ao mesmo tempo (padrão ${d.window})`,
  '--store': `store de dedupe: ${STORE_NAMES.join(', ')} (padrão ${d.store})`,
  '--dedupe-ttl': 'quanto tempo dura uma marca de dedupe (padrão: a rodada inteira)',
  '--restart-delay': `espera antes de reiniciar um trabalhador que caiu (padrão ${d.restartDelayMs})`,
  '--drop-work': 'descarta uma fração p (0..1) das mensagens de trabalho; 0,2 ou 0.2',
  '--drop-ack': 'descarta uma fração p (0..1) dos acks; 0,2 ou 0.2',
  '--delay-work': 'retém uma fração p (padrão: todas) das mensagens de trabalho por ms',
  '--delay-ack': 'retém uma fração p (padrão: todos) dos acks por ms',
  '--crash': 'o trabalhador com cada k-ésima época cai no ponto dado (pode repetir)',
  '--redis-url':
    'Redis para --transport redis ou --store redis (padrão $REDIS_URL, senão redis://127.0.0.1:6379)',
  '--redis-mode': 'com --transport redis: lists (padrão) ou streams (reentrega)',
  '--reclaim-idle':
    'redis streams: ms ociosos antes de as entradas de um consumidor morto serem tomadas (500)',
  '--kafka-brokers':
    'Kafka para --transport kafka: host:porta,... (padrão $KAFKA_BROKERS, senão 127.0.0.1:9092)',
  '--kafka-mode':
    'kafka: dispatcher (padrão: os reenvios do despachante) ou native (os offsets do Kafka)',
  '--partitions': 'kafka: partições do tópico de trabalho (padrão: uma por trabalhador)',
  '--kafka-acks': 'kafka: acks das gravações de trabalho: all (padrão), 1 ou 0',
  '--kafka-session-timeout': `kafka: quanto tempo um trabalhador morto fica com suas partições (padrão ${KAFKA_DEFAULTS.sessionTimeoutMs})`,
  '--crash-broker': `kafka, 3 brokers: derruba o líder da partição de trabalho após k acks e o reinicia após ms (padrão ${KAFKA_DEFAULTS.brokerRestartMs})`,
  '--clock':
    'virtual (padrão onde o despachante roteia: zmq, listas do redis, kafka no modo despachante): a mesma semente dá a mesma tabela em qualquer máquina; real: tempo de parede, com a carga da máquina',
  '--keep': 'deixa as chaves (ou tópicos) da rodada no serviço depois, para inspeção',
  '--no-live':
    'sem visão ao vivo: linhas simples de progresso no stderr, sem códigos de escape, sem teclas',
  '--json': 'imprime JSON no stdout, e nada mais',
  '--diagram': 'com --anomalies: desenha as primeiras como diagramas de sequência',
  '--html': 'grava um relatório HTML da(s) rodada(s) no arquivo (veja semlab report)',
  '--out': 'onde gravá-lo (padrão: report.html na pasta da rodada)',
  '--worker-cmd':
    'o seu próprio programa worker no lugar dos passos do preset (docs/worker-protocol.pt-BR.md)',
  'grade:--worker-cmd': 'o comando que inicia o seu worker',
  'grade:--claim': 'a semântica que o seu worker promete cumprir',
  'grade:--seed': 'semente de todas as decisões de falha',
  'grade:--messages': 'mensagens por caso',
  'grade:--cases': 'só estes casos, separados por vírgula (padrão: a bateria inteira)',
  'grade:--json': 'imprime um objeto JSON no stdout, e nada mais',
  '--dup-work': 'a rede entrega duas vezes uma fração p (0..1) das mensagens de trabalho',
  '--dup-ack': 'a rede entrega duas vezes uma fração p (0..1) dos acks',
  '--reorder':
    'uma fração p das mensagens retida ms (padrão 5) enquanto as seguintes a ultrapassam',
  '--partition':
    'isola o worker N (nos dois sentidos, ou só work/ack) a partir de t ms por ms, depois cura (repetível)',
  '--pause':
    'o worker com cada K-ésima época é congelado (SIGSTOP) no ponto por ms, depois descongelado (repetível)',
  '--work-ms':
    'cada entrega leva ms para ser tratada, mais ou menos j (ms virtuais no relógio virtual)',
  '--events': 'grava o journal unificado da rodada no arquivo, em linhas JSON',
  '--replay':
    'roda de novo uma rodada gravada no relógio virtual (id ou prefixo único): mesmo plano, mesmas teclas, mesma tabela',
  '--semantics': 'semânticas separadas por vírgula, ou all (padrão: as do cenário, senão all)',
  '--epoch': 'só esta época',
  '--anomalies': 'só as épocas perdidas e as executadas duas vezes',
  '--list': 'só lista as lições, na ordem do curso, e sai',
};

const SEMANTICS_PT: Readonly<Record<SemanticsName, string>> = {
  'at-most-once': 'envia uma vez, nunca reenvia; o trabalhador executa e depois confirma',
  'at-least-once': 'reenvia até o ack; o trabalhador executa e depois confirma',
  'exactly-once':
    'reenvia até o ack; o trabalhador pula épocas já marcadas, senão executa e depois marca',
  'exactly-once-atomic': 'reenvia até o ack; verifica, executa e marca numa só transação',
  'at-most-once-execution':
    'reenvia até o ack; o trabalhador marca primeiro (pula se marcada), depois executa',
};

/** The text after the options, by command name ('semlab' for the program itself). */
export function ptHelpAfter(command: string, runsRoot: string): string | undefined {
  switch (command) {
    case 'semlab':
      return `
Códigos de saída: 0 rodada concluída (uma promessa quebrada é um resultado), 1 o bloco expect
de um cenário não foi atendido, 2 entrada inválida, 3 falha de transporte ou de infraestrutura,
129 terminal fechado (SIGHUP), 130 interrompido (Ctrl-C ou SIGTERM).

Exemplos:
  $ semlab run at-least-once
  $ semlab run exactly-once --drop-ack 0,2 --seed 7
  $ semlab class
  $ semlab scenarios
  $ semlab compare ack-loss --semantics all
  $ semlab trace --anomalies
  $ semlab run --help`;
    case 'run':
      return `
<target> é uma semântica, um cenário incluído (semlab scenarios lista todos) ou um arquivo de
cenário (.yaml). As flags da linha de comando substituem os campos do cenário; qualquer flag de
falha substitui a lista inteira de falhas do cenário.

Semânticas:
${SEMANTICS_NAMES.map((name) => `  ${name.padEnd(24)}${SEMANTICS_PT[name]}`).join('\n')}

Pontos de crash (--crash PONTO@K: o trabalhador com a primeira entrega de cada K-ésima época cai ali):
  ${CRASH_POINTS.join(', ')}

Exemplos:
  $ semlab run at-least-once
  $ semlab run exactly-once --workers 4 --messages 500 --drop-ack 0,2 --seed 7
  $ semlab run at-most-once --drop-work 0,1 --json
  $ semlab run exactly-once --crash after-execute@10 --store memory
  $ semlab run ack-loss --seed 9 --workers 5
  $ semlab run ./minha-licao.yaml --events trace.jsonl
  $ semlab run --replay 20261206-0415      # a mesma rodada de novo, com as teclas ao vivo
`;
    case 'describe':
      return `
Mostra cada partição dos tópicos de uma rodada (uma rodada em andamento: rode-a em outro
terminal), ou de todo tópico do semlab quando nenhuma rodada é dada, com o broker que a lidera, os
brokers que guardam uma réplica e as réplicas em sincronia (ISR). Uma partição com menos réplicas em
sincronia do que tem é marcada com *: um seguidor ficou para trás, ou seu broker caiu.

Brokers: --kafka-brokers, senão os da própria rodada, senão KAFKA_BROKERS, senão 127.0.0.1:9092.
Os tópicos de uma rodada são apagados quando ela termina: para uma rodada terminada que derrubou um
broker (--crash-broker), mostra os líderes e as réplicas em sincronia registrados (antes / durante /
depois).

Exemplos:
  $ semlab kafka describe
  $ semlab kafka describe --kafka-brokers 127.0.0.1:39092,127.0.0.1:39094
  $ semlab kafka describe 20261206-073909 --json`;
    case 'grade':
      return `
Roda o seu programa worker (docs/worker-protocol.pt-BR.md) por uma bateria fixa de falhas, cada uma
uma rodada pequena no relógio virtual (o mesmo worker e a mesma semente dão a mesma nota), e confere
em cada caso a promessa da semântica declarada. Uma linha por caso; para o primeiro caso quebrado,
a vida de uma época que quebrou a promessa.

Códigos de saída: 0 todos os casos se mantiveram; 1 um caso quebrou a promessa, ou o worker quebrou
o protocolo (JSON inválido, pedido desconhecido, saiu sozinho, sem resposta a tempo: uma linha diz
qual); 2 flags inválidas.

Exemplos:
  $ semlab grade --worker-cmd "python3 examples/workers/exactly_once.py" --claim exactly-once
  $ semlab grade --worker-cmd "python3 examples/workers/check_then_mark.py" --claim exactly-once
  $ semlab grade --worker-cmd "node examples/workers/exactly_once.mjs" --claim exactly-once --json`;
    case 'compare':
      return `
Roda cada semântica (e transporte) com a mesma semente e as mesmas falhas, uma após a outra, e
imprime uma tabela só: uma linha por rodada. Com um cenário, valem suas configurações e falhas
(as flags as substituem) e seus blocos expect são verificados; sem cenário, os padrões e as flags.

Exemplos:
  $ semlab compare --drop-ack 0,2 --seed 7
  $ semlab compare ack-loss --semantics all
  $ semlab compare dedupe-hole --semantics exactly-once,exactly-once-atomic --json
`;
    case 'scenarios':
      return `
Exemplos:
  $ semlab scenarios
  $ semlab run ack-loss
  $ semlab compare ack-loss --semantics all`;
    case 'trace':
      return `
Conta a vida de cada mensagem de uma rodada guardada a partir dos journals: cada envio, descarte,
recebimento, execução, queda, ack e timeout, em ordem de tempo. Uma época perdida ou executada
duas vezes ganha sua causa numa linha. O argumento é o id de uma rodada, um prefixo único dele, ou a pasta
da rodada; o padrão é a rodada mais nova.

--epoch N desenha a vida dessa época como um diagrama de sequência: uma raia para o despachante,
para cada encarnação de worker que a tocou (w2.1: o worker w2, reiniciado uma vez) e para o store
de dedupe; setas para trabalho e acks, um X para um descarte, marcas para efeitos, quedas,
reinícios e timeouts, tempos em ms (ms virtuais no relógio virtual). --anomalies --diagram desenha
as 3 primeiras épocas anômalas do mesmo jeito. ASCII puro quando o locale não é UTF-8, ou com
NO_COLOR.

Uma rodada ainda em andamento é mostrada como está, só para leitura, marcada parcial (o JSON tem
"state" e "partial"). Uma rodada cujo semlab foi morto aparece do mesmo jeito, marcada
interrompida. Uma pasta de rodada danificada é apontada numa linha (saída 3).

Exemplos:
  $ semlab run at-least-once --drop-ack 0,2 --seed 7
  $ semlab trace --anomalies
  $ semlab trace --epoch 17
  $ semlab trace --anomalies --diagram
  $ semlab trace 20261129-101502 --json
`;
    case 'runs':
      return `
As rodadas ficam em ${runsRoot} ($SEMLAB_HOME/runs quando definido); ficam as ${DEFAULT_KEEP_RUNS} mais
novas (SEMLAB_KEEP_RUNS) e uma rodada em andamento sempre fica. Uma rodada aparece em andamento
enquanto o seu semlab roda, interrompida quando esse semlab foi morto; uma pasta danificada
ganha uma linha e as outras são listadas como sempre.

Exemplos:
  $ semlab runs
  $ semlab trace --anomalies`;
    case 'lab':
      return `
\`semlab\` sem argumentos num terminal também o abre. Durante uma rodada, teclas injetam falhas:
c derruba um trabalhador, d descarta trabalho, a descarta acks, s acks lentos, p pausa, q para.
`;
    case 'class':
      return `
Cada lição: a narração, o palpite da turma (perdidas e executadas duas vezes, ou Enter para
pular), as rodadas de cada semântica numa tabela compacta que cresce a cada resultado, e o
palpite contra o observado. Uma lição que precisa de Redis ou Kafka oferece iniciar um local
(scripts/services) e o para no fim da aula.

Exemplos:
  $ semlab class
  $ semlab class --list
  $ semlab class epoch-dedupe
  $ SEMLAB_LANG=pt-BR semlab class`;
    default:
      return undefined;
  }
}
