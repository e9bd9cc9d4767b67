// The resolve hook of ./module-log.mjs; it runs off the main thread, so the pid comes as data.
import { appendFileSync } from 'node:fs';

let file;
let pid;

export function initialize(data) {
  file = data.file;
  pid = data.pid;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (file) appendFileSync(file, `${pid}\t${resolved.url}\n`);
  return resolved;
}
