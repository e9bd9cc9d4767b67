#!/usr/bin/env node
// A correct exactly-once worker in JavaScript (Node, no dependencies): execute_once, then ack.
// Protocol: docs/worker-protocol.md.
// Try it:  semlab grade --worker-cmd "node examples/workers/exactly_once.mjs" --claim exactly-once
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
  const work = await receive();
  await ask('execute_once', work.epoch);
  await ask('ack', work.epoch);
}
