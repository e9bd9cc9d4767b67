import { describeBundledScenarios } from '../support/scenarios.js';

// The first half of the lesson library (the other half runs in parallel in scenarios-b).
describeBundledScenarios(0);
