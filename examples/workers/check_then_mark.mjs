#!/usr/bin/env node
// The slides' epoch-dedupe worker in JavaScript (Node, no dependencies), as check_then_mark.py:
//
//   m = receber_workload()
//   if ja_executada(m.epoch): return m.epoch
//   work(m)
//   marcar_executada(m.epoch)
//   return m.epoch
//
// It holds under lost and slow acks, and breaks exactly-once when it dies between execute and
// mark: the retry finds no mark and executes again. semlab grade shows that case.
// Protocol: docs/worker-protocol.md.
// Try it:  semlab grade --worker-cmd "node examples/workers/check_then_mark.mjs" --claim exactly-once
import process from 'node:process';
import { createInterface } from 'node:readline';

let nextId = 0;
const send = (message) => {
  nextId += 1;
  process.stdout.write(JSON.stringify({ ...message, id: nextId }) + '\n');
  return nextId;
};

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const receive = async () => {
  const { value, done } = await lines.next();
  if (done) process.exit(0); // semlab closed our stdin: the run is over
  return JSON.parse(value);
};

const ask = async (type, epoch) => {
  const id = send({ type, epoch });
  const reply = await receive();
  if (reply.in_reply_to !== id) throw new Error(`reply to ${reply.in_reply_to}, expected ${id}`);
  if (reply.type === 'error') throw new Error(reply.text);
  return reply;
};

const init = await receive();
send({ type: 'init_ok', in_reply_to: init.id });
for (;;) {
  const m = await receive();
  if (!(await ask('is_marked', m.epoch)).marked) {
    // ja_executada? no:
    await ask('execute', m.epoch); // work(m)
    await ask('mark', m.epoch); // marcar_executada
  }
  await ask('ack', m.epoch); // return m.epoch
}
