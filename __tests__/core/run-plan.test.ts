import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { planRun } from '../../src/core/run-plan.ts'

const settings = (mode: 'apply' | 'check', openIssue = true) => ({
  mode,
  drift: { failOnDrift: true, openIssue, githubToken: 't' }
})

describe('planRun: when the one issue is kept', () => {
  it('check mode: every run but a pull request’s', () => {
    for (const event of [undefined, 'schedule', 'workflow_dispatch', 'push']) {
      assert.equal(planRun(settings('check'), event).reportsDriftIssue, true, String(event))
    }
    for (const event of ['pull_request', 'pull_request_target']) {
      assert.equal(planRun(settings('check'), event).reportsDriftIssue, false, event)
    }
  })

  it('apply mode: scheduled and manual runs only', () => {
    assert.equal(planRun(settings('apply'), 'schedule').reportsDriftIssue, true)
    assert.equal(planRun(settings('apply'), 'workflow_dispatch').reportsDriftIssue, true)
    for (const event of [undefined, 'push', 'pull_request', 'pull_request_target']) {
      assert.equal(planRun(settings('apply'), event).reportsDriftIssue, false, String(event))
    }
  })

  it('never without drift-issue', () => {
    assert.equal(planRun(settings('apply', false), 'schedule').reportsDriftIssue, false)
    assert.equal(planRun(settings('check', false), 'schedule').reportsDriftIssue, false)
  })
})
