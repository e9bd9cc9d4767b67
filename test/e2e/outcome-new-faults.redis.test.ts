import { SEMANTICS_NAMES } from '../../src/core/semantics.js';
import { describeNewFaultsRow } from '../support/outcome-table.js';

// The same new columns over Redis lists, where the dispatcher routes too (the virtual clock).
for (const semantics of SEMANTICS_NAMES) describeNewFaultsRow(semantics, 'redis');
