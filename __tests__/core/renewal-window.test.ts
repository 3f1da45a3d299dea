import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DEFAULT_RENEWAL_RULE,
  describeRenewal,
  parseRenewalRule,
  renewalDue,
  type RenewalRule
} from '../../src/core/renewal-window.ts'

const DAY = 86_400_000
const ISSUED = new Date('2026-01-01T00:00:00Z')
const after = (days: number): Date => new Date(ISSUED.getTime() + days * DAY)
const days = (n: number): RenewalRule => ({ kind: 'days', days: n })

describe('renewalDue', () => {
  it('47-day certificates: a fixed 30 days is due from day 17, 33% from day 32 (15.5 days left)', () => {
    const notAfter = after(47)
    assert.equal(renewalDue(ISSUED, notAfter, days(30), after(16.9)).due, false)
    assert.equal(renewalDue(ISSUED, notAfter, days(30), after(17)).due, true)
    const j = renewalDue(ISSUED, notAfter, DEFAULT_RENEWAL_RULE, after(31))
    assert.equal(j.due, false)
    assert.equal(j.lifetimeDays, 47)
    assert.ok(Math.abs(j.windowDays - 15.51) < 0.01, String(j.windowDays))
    assert.equal(renewalDue(ISSUED, notAfter, DEFAULT_RENEWAL_RULE, after(31.5)).due, true)
  })

  it('398-day certificates: 33% is a window of about 131 days', () => {
    const j = renewalDue(ISSUED, after(398), DEFAULT_RENEWAL_RULE, after(266))
    assert.equal(Math.round(j.windowDays), 131)
    assert.equal(j.due, false)
    assert.equal(renewalDue(ISSUED, after(398), DEFAULT_RENEWAL_RULE, after(267)).due, true)
  })

  it('the floor: a 14-day certificate is due 7 days before expiry, not 4.6', () => {
    const j = renewalDue(ISSUED, after(14), DEFAULT_RENEWAL_RULE, after(7))
    assert.equal(j.windowDays, 7)
    assert.equal(j.due, true)
    assert.equal(renewalDue(ISSUED, after(14), DEFAULT_RENEWAL_RULE, after(6.9)).due, false)
  })

  it('an expired certificate is not "due" (it is invalid); 0 days never makes one due', () => {
    assert.equal(renewalDue(ISSUED, after(47), DEFAULT_RENEWAL_RULE, after(48)).due, false)
    assert.equal(renewalDue(ISSUED, after(47), days(0), after(46.99)).due, false)
  })

  it('says renew by when, and how much is left of how long', () => {
    const j = renewalDue(ISSUED, after(365), days(30), after(355.5))
    assert.equal(describeRenewal(j), 'renew by 2026-12-02: 9 days left of a 365-day certificate')
  })
})

describe('parseRenewalRule', () => {
  it('takes days 0 to 3650 and percentages 1% to 99%', () => {
    assert.deepEqual(parseRenewalRule('30'), { kind: 'days', days: 30 })
    assert.deepEqual(parseRenewalRule('0'), { kind: 'days', days: 0 })
    assert.deepEqual(parseRenewalRule('3650'), { kind: 'days', days: 3650 })
    assert.deepEqual(parseRenewalRule('33%'), DEFAULT_RENEWAL_RULE)
    for (const bad of ['3651', '-1', '0%', '100%', '33 %', '1.5', '30d', '', '%', '033%x']) {
      assert.equal(parseRenewalRule(bad), undefined, bad)
    }
  })
})
