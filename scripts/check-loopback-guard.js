// After `npm test`: fails when the loopback guard (__tests__/helpers/loopback-only.mjs) refused
// any connection during the run, even one the code under test caught and reported.
import { existsSync, readFileSync } from 'node:fs'

const log = '.tmp/loopback-guard.log'
const refused = existsSync(log) ? readFileSync(log, 'utf8').trim() : ''
if (refused !== '') {
  console.error(`The tests tried to reach addresses outside loopback:\n${refused}`)
  process.exit(1)
}
console.log('loopback guard: every connection of the test run went to 127.0.0.0/8 or ::1.')
