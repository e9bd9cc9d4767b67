// Preloaded with `node --import` (through NODE_OPTIONS, so the supervisor's children load it too):
// every module a process resolves is appended to $SEMLAB_TEST_MODULE_LOG as "pid<TAB>url", so a
// test can tell which libraries each process of a run loaded (test/e2e/lazy-loading.zmq.test.ts).
import { register } from 'node:module';
import process from 'node:process';

register('./module-log-hooks.mjs', import.meta.url, {
  data: { file: process.env.SEMLAB_TEST_MODULE_LOG, pid: process.pid },
});
