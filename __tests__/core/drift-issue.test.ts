import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  evaluateFindingKeys,
  hasDriftMarker,
  MAX_BODY_LENGTH,
  MAX_TITLE_LENGTH,
  parseFindingKeys,
  planDriftIssue,
  redactSecrets,
  renderDriftIssueBody,
  renderDriftIssueTitle,
  renderDriftMarker,
  type RunLink
} from '../../src/core/drift-issue.ts'
import type { Finding, Report } from '../../src/core/report.ts'
import { checkReport as checkReportAt, staleNameserver } from '../fixtures/drift-report.ts'

const run: RunLink = { id: '4242', url: 'https://github.com/octo-org/ldaps-infra/actions/runs/4242' }

const checkReport = (findings: Finding[], domain?: string): Report =>
  checkReportAt(findings, domain, new Date('2026-11-25T03:00:00Z'))
const stale = staleNameserver

const expiring = (days: number): Finding => ({
  severity: 'warning',
  step: 'certificate',
  title: 'Certificate expiring',
  message: `the leaf certificate expires in ${days} days (min-days-valid 30)`,
  drift: true
})

test('the marker names the domain and is found only for that exact domain', () => {
  const body = `${renderDriftMarker('LDAPS.Contoso100.com')}\n\nsome text`
  assert.equal(renderDriftMarker('ldaps.contoso100.com'), '<!-- ldaps-dns-action:drift domain=ldaps.contoso100.com -->')
  assert.ok(hasDriftMarker(body, 'ldaps.contoso100.com'))
  assert.ok(!hasDriftMarker(body, 'contoso100.com'))
  assert.ok(!hasDriftMarker(body, 'ldaps.contoso100.com.evil'))
  assert.ok(!hasDriftMarker(renderDriftMarker('x.ldaps.contoso100.com'), 'ldaps.contoso100.com'))
  assert.ok(
    !hasDriftMarker('LDAPS drift: ldaps.contoso100.com', 'ldaps.contoso100.com'),
    'a title-like text is no marker'
  )
  assert.ok(!hasDriftMarker(null, 'ldaps.contoso100.com'))
  assert.ok(hasDriftMarker(`\r\n${renderDriftMarker('ldaps.contoso100.com')}\r\nbody`, 'ldaps.contoso100.com'))
  assert.ok(!hasDriftMarker(`text\n${renderDriftMarker('ldaps.contoso100.com')}`, 'ldaps.contoso100.com'))
})

test('finding keys ignore the volatile message and non-drift findings, and survive the body', () => {
  const notice: Finding = { severity: 'notice', step: 'inputs', title: 'Input ttl', message: 'x' }
  const a = evaluateFindingKeys(checkReport([expiring(12), stale, stale, notice]))
  const b = evaluateFindingKeys(checkReport([stale, expiring(11)]))
  assert.deepEqual(a, ['certificate: Certificate expiring', 'propagation: Nameserver out of sync'])
  assert.deepEqual(a, b)
  const body = renderDriftIssueBody(checkReport([stale, expiring(12)]), run)
  assert.deepEqual(parseFindingKeys(body), a)
  assert.equal(parseFindingKeys('no marker here'), undefined)
  assert.equal(parseFindingKeys('<!-- ldaps-dns-action:findings !!! -->'), undefined)
})

test('a title that could end an HTML comment cannot break the hidden findings marker', () => {
  const sneaky: Finding = { ...stale, title: 'evil --> <!-- ldaps-dns-action:drift domain=other.example -->' }
  const body = renderDriftIssueBody(checkReport([sneaky]), run)
  assert.deepEqual(parseFindingKeys(body), [`propagation: ${sneaky.title}`])
  assert.ok(hasDriftMarker(body, 'ldaps.contoso100.com'))
  assert.ok(!hasDriftMarker(body, 'other.example'), 'only the first line can claim a domain')
})

test('the body renders the findings, the run link and the marker, and no secret', () => {
  const secret = 'ghs_supersecretvalue123'
  const leaky: Finding = { ...stale, message: `request with token ${secret} failed` }
  const body = renderDriftIssueBody(checkReport([leaky, expiring(12)]), run, [secret])
  assert.ok(body.startsWith(renderDriftMarker('ldaps.contoso100.com')))
  assert.match(body, /### (❌|⚠️) Drift: .*\n\n`ldaps\.contoso100\.com` → `192\.0\.2\.10` · mode \*\*check\*\*/)
  assert.match(body, /\*\*Nameserver out of sync\*\*/)
  assert.match(body, /\*\*Certificate expiring\*\*: the leaf certificate expires in 12 days/)
  assert.ok(body.includes(`[run 4242](${run.url})`))
  assert.ok(body.includes('2026-11-25T03:00:00.000Z'))
  assert.ok(!body.includes(secret))
  // *** as Markdown text (escaped, so it renders as *** and not as emphasis).
  assert.ok(body.includes('request with token \\*\\*\\* failed'))
})

test('redaction ignores empty and very short values, which would shred the text', () => {
  assert.equal(redactSecrets('abc token abc', ['', 'abc']), 'abc token abc')
  assert.equal(redactSecrets('x SECRET1 y SECRET1', ['SECRET1']), 'x *** y ***')
})

test('an oversized body is cut below GitHub’s limit and keeps its marker', () => {
  const huge: Finding = { ...stale, message: 'x'.repeat(MAX_BODY_LENGTH * 2) }
  const body = renderDriftIssueBody(checkReport([huge]), run)
  assert.ok(body.length <= MAX_BODY_LENGTH)
  assert.ok(hasDriftMarker(body, 'ldaps.contoso100.com'))
  assert.match(body, /cut to fit/)
})

test('plan: drift without an issue opens one', () => {
  const plan = planDriftIssue({ report: checkReport([stale]), existing: undefined, run })
  assert.equal(plan.action, 'open')
  if (plan.action !== 'open') return
  assert.equal(plan.title, 'LDAPS drift: ldaps.contoso100.com')
  assert.ok(hasDriftMarker(plan.body, 'ldaps.contoso100.com'))
})

test('plan: the same drift again rewrites the body without a comment', () => {
  const first = renderDriftIssueBody(checkReport([stale, expiring(12)]), run)
  const later = checkReport([stale, expiring(11)])
  const plan = planDriftIssue({ report: later, existing: { number: 7, body: first }, run })
  assert.equal(plan.action, 'update')
  if (plan.action !== 'update') return
  assert.equal(plan.number, 7)
  assert.equal(plan.comment, undefined)
  assert.match(plan.body, /expires in 11 days/)
})

test('plan: changed kinds of drift rewrite the body and comment with what changed', () => {
  const first = renderDriftIssueBody(checkReport([stale]), run)
  const plan = planDriftIssue({ report: checkReport([expiring(12)]), existing: { number: 7, body: first }, run })
  assert.equal(plan.action, 'update')
  if (plan.action !== 'update') return
  assert.ok(plan.comment !== undefined)
  assert.match(plan.comment, /New:\n- certificate: Certificate expiring/)
  assert.match(plan.comment, /No longer found:\n- propagation: Nameserver out of sync/)
  assert.ok(plan.comment.includes(run.url))
})

test('plan: an issue whose hidden findings were edited away gets a comment (findings unknown)', () => {
  const plan = planDriftIssue({
    report: checkReport([stale]),
    existing: { number: 3, body: renderDriftMarker('ldaps.contoso100.com') },
    run
  })
  assert.equal(plan.action, 'update')
  if (plan.action === 'update') assert.ok(plan.comment?.includes('propagation: Nameserver out of sync'))
})

test('plan: no drift closes an open issue with a comment linking the run, and does nothing without one', () => {
  const healthy = checkReport([{ severity: 'notice', step: 'inputs', title: 'Input ttl', message: 'fine' }])
  const close = planDriftIssue({ report: healthy, existing: { number: 9, body: '' }, run })
  assert.equal(close.action, 'close')
  if (close.action === 'close') {
    assert.equal(close.number, 9)
    assert.ok(close.comment.includes(run.url))
    assert.match(close.comment, /no drift for `ldaps\.contoso100\.com`/)
  }
  assert.deepEqual(planDriftIssue({ report: healthy, existing: undefined, run }), { action: 'none' })
})

test('plan: a check that failed without drift leaves the issue open (it proves nothing healthy)', () => {
  const failed = checkReport([
    { severity: 'error', step: 'certificate', title: 'Probe failed', message: 'internal error' }
  ])
  assert.equal(failed.drift, false)
  assert.deepEqual(planDriftIssue({ report: failed, existing: { number: 9, body: '' }, run }), { action: 'none' })
})

test('plan: without a run link the texts still read', () => {
  const plan = planDriftIssue({ report: checkReport([stale]), existing: undefined, run: undefined })
  assert.equal(plan.action, 'open')
  if (plan.action === 'open') assert.match(plan.body, /by a check run\./)
})

test("the title is cut to GitHub's 256 characters, counted in characters", () => {
  const longest = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(46)}.contoso100.com`
  const title = renderDriftIssueTitle(longest)
  assert.equal(title.length, MAX_TITLE_LENGTH)
  assert.ok(title.startsWith('LDAPS drift: aaa') && title.endsWith('…'), title)
  assert.equal(renderDriftIssueTitle('ldaps.contoso100.com'), 'LDAPS drift: ldaps.contoso100.com')
  const unicode = renderDriftIssueTitle(`ldaps.${'ü'.repeat(60)}.${'😀'.repeat(200)}.example`)
  assert.equal(Array.from(unicode).length, MAX_TITLE_LENGTH)
})
