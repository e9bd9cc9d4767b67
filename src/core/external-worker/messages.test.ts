import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, parseWorkerLine, REPLY_TO, REQUEST_TYPES } from './messages.js';

/**
 * The protocol document and the parser agree: every request the document's table lists is one the
 * parser accepts, answered by the reply the document names, and the error codes are the same.
 */
const DOCS = resolve(import.meta.dirname, '../../../docs');

/** The first column of the document's "From your program" table, with its reply column. */
function documentedRequests(file: string): Map<string, string> {
  const text = readFileSync(resolve(DOCS, file), 'utf8');
  const start = text.indexOf('| `init_ok`');
  const rows = text.slice(start).split('\n\n')[0]?.split('\n') ?? [];
  const found = new Map<string, string>();
  for (const row of rows) {
    const cells = row.split('|').map((cell) => cell.trim());
    const type = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1];
    const reply = /^`(\w+)`/.exec(cells[3] ?? '')?.[1];
    if (type) found.set(type, reply ?? '');
  }
  return found;
}

describe('docs/worker-protocol.md', () => {
  it.each(['worker-protocol.md', 'worker-protocol.pt-BR.md'])(
    '%s lists exactly the requests the parser accepts, with their replies',
    (file) => {
      const documented = documentedRequests(file);
      expect([...documented.keys()]).toEqual(['init_ok', ...REQUEST_TYPES]);
      for (const type of REQUEST_TYPES) {
        expect(documented.get(type), type).toBe(REPLY_TO[type]);
        const parsed = parseWorkerLine(JSON.stringify({ id: 7, type, epoch: 3 }));
        expect(parsed, type).toEqual({ ok: true, message: { id: 7, type, epoch: 3 } });
      }
      expect(parseWorkerLine('{"id":1,"in_reply_to":1,"type":"init_ok"}')).toEqual({
        ok: true,
        message: { id: 1, in_reply_to: 1, type: 'init_ok' },
      });
    },
  );

  it('documents the error codes the implementation sends', () => {
    const text = readFileSync(resolve(DOCS, 'worker-protocol.md'), 'utf8');
    for (const { code, definite } of Object.values(ERROR_CODES)) {
      expect(text).toMatch(
        new RegExp(`\\| ${code} +\\| \`[a-z-]+\` +\\| ${definite ? 'yes' : 'no'} `),
      );
    }
  });
});

describe('parseWorkerLine', () => {
  it('names what is wrong with a line', () => {
    expect(parseWorkerLine('hello')).toEqual({ ok: false, problem: { kind: 'not-json' } });
    expect(parseWorkerLine('[1]')).toEqual({ ok: false, problem: { kind: 'not-object' } });
    expect(parseWorkerLine('{"id":1,"type":"execute"}')).toEqual({
      ok: false,
      problem: { kind: 'bad-field', field: 'epoch' },
    });
    expect(parseWorkerLine('{"id":-1,"type":"ack","epoch":1}')).toEqual({
      ok: false,
      problem: { kind: 'bad-field', field: 'id' },
    });
    expect(parseWorkerLine('{"id":2,"type":"commit","epoch":1}')).toEqual({
      ok: false,
      problem: { kind: 'unknown-type', type: 'commit' },
    });
  });
});
