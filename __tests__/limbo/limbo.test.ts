// x509-limbo over real TLS (see bench/limbo.ts): the action's certificate verdict must never be
// wrong where Node's own tls.connect verification is right. Computed live on every run.

import assert from 'node:assert/strict'
import { it } from 'node:test'
import { faketimeAvailable, loadLimboCases, runLimbo, summarizeLimbo } from '../../bench/limbo.ts'

// The cases are part of the repository (cases.json beside this file), so this runs everywhere.
it('is never wrong where Node is right, over every x509-limbo case', async t => {
  const cases = loadLimboCases()
  const results = await runLimbo(cases)
  const f = summarizeLimbo(results)
  t.diagnostic(`node agrees ${f.nodeAgree}/${f.compared}, action agrees ${f.oursAgree}/${f.compared}`)
  t.diagnostic(`action right where Node is wrong: ${f.oursRightNodeWrong.map(r => r.id).join(', ')}`)
  assert.equal(results.length, cases.length)
  assert.deepEqual(
    f.nodeRightOursWrong.map(r => `${r.id}: ${r.reason?.problem ?? 'accepted'}`),
    [],
    'cases where Node is right and the action is wrong'
  )
  // Every case is served and compared; the 11 fixed-time cases need faketime for Node's side.
  assert.equal(f.excluded.length, faketimeAvailable() ? 0 : cases.filter(c => c.validation_time !== null).length)
  assert.ok(f.oursAgree >= f.nodeAgree)
})
