// A step that fails part-way marks its error with what it had found (core/report.ts), so main.ts
// still reports it; the error itself must reach the caller unchanged (class, message, identity).

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { failedPartWay, partialResult, type Finding } from '../../src/core/report.ts'
import { ProviderError } from '../../src/adapters/providers/provider.ts'

const finding: Finding = {
  severity: 'warning',
  step: 'certificate',
  code: 'tls-version-outdated',
  title: 'Outdated TLS version',
  message: 'x'
}

describe('failedPartWay', () => {
  it('keeps the error as it was and carries the partial result', () => {
    const error = new ProviderError('changed under us 3 times in a row')
    const partial = { part: { ldapBind: undefined }, findings: [finding] }
    const thrown = failedPartWay(error, partial)
    assert.equal(thrown, error)
    assert.ok(thrown instanceof ProviderError)
    assert.equal((thrown as Error).message, 'changed under us 3 times in a row')
    assert.equal(partialResult(thrown), partial)
    assert.deepEqual(Object.keys(error), Object.keys(new ProviderError('y')), 'nothing enumerable is added')
  })

  it('the first step to mark an error wins; plain errors and non-objects carry nothing', () => {
    const error = new Error('boom')
    const first = { part: {}, findings: [finding] }
    failedPartWay(failedPartWay(error, first), { part: {}, findings: [] })
    assert.equal(partialResult(error), first)
    assert.equal(partialResult(new Error('other')), undefined)
    assert.equal(failedPartWay('a string', first), 'a string')
    assert.equal(partialResult('a string'), undefined)
    assert.equal(partialResult(undefined), undefined)
  })
})
