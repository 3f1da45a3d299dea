import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { planRecord, type DesiredRecord } from '../../src/core/planner.ts'

const desired: DesiredRecord = { name: 'ldaps.contoso100.com', type: 'A', ttl: 300, values: ['52.165.38.113'] }
const set = (values: string[], ttl = 300) => ({
  name: desired.name,
  type: 'A' as const,
  ttl,
  values,
  version: 'etag-1'
})

describe('planRecord', () => {
  it('creates when no set exists, or the set is empty', () => {
    assert.equal(planRecord(desired, { recordSet: undefined, cname: undefined }).action, 'create')
    assert.equal(planRecord(desired, { recordSet: set([]), cname: undefined }).action, 'create')
  })

  it('does nothing when the set already holds exactly ip with ttl (idempotent)', () => {
    const plan = planRecord(desired, { recordSet: set(['52.165.38.113']), cname: undefined })
    assert.equal(plan.action, 'none')
  })

  it('replaces a different value, extra values, or a different TTL, keeping what it replaces', () => {
    for (const current of [set(['52.165.38.1']), set(['52.165.38.113', '52.165.38.1']), set(['52.165.38.113'], 3600)]) {
      const plan = planRecord(desired, { recordSet: current, cname: undefined })
      assert.equal(plan.action, 'replace')
      assert.equal(plan.action === 'replace' && plan.current, current)
    }
    const ttlOnly = planRecord(desired, { recordSet: set(['52.165.38.113'], 3600), cname: undefined })
    assert.match(ttlOnly.reason, /TTL 3600 → 300/)
  })

  it('refuses to plan beside a CNAME, whatever else is there', () => {
    const plan = planRecord(desired, { recordSet: undefined, cname: 'contoso.trafficmanager.net' })
    assert.equal(plan.action, 'conflict')
    assert.match(plan.reason, /CNAME to contoso\.trafficmanager\.net/)
  })
})
