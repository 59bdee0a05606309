/** `npm run test:faults`: the full fault suite (API and worker as processes, faults injected). */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['**/*.faults.ts'],
  maxWorkers: 1,
  testTimeout: 20 * 60_000,
};
