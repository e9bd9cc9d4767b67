import { describeBundledScenarios } from '../support/scenarios.js';

// The second half of the lesson library.
describeBundledScenarios(1);
