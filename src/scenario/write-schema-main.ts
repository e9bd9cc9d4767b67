/** `npm run schema`: writes scenarios/schema.json from the zod schema, for editors. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_SCENARIOS_DIR } from './load.js';
import { scenarioJsonSchema } from './schema.js';

const path = join(BUNDLED_SCENARIOS_DIR, 'schema.json');
writeFileSync(path, JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
console.log(`wrote ${path}`);
