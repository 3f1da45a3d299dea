// The drift issue end to end: the bundled action (npm run build first) run as a runner would, in
// check mode with drift-issue, against a real BIND 9 authoritative server on loopback and the
// local GitHub REST stand-in, reached through GITHUB_API_URL with a GitHub Enterprise Server
// style /api/v3 base.
//
// Drift comes from the declared ip differing from what BIND serves; a healthy check declares the
// ip BIND serves.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startBindServer, type BindServer } from '../helpers/bind.ts'
import { runAction, type ActionRun } from '../helpers/run-action.ts'
import { requireBundle } from '../helpers/stand-ins.ts'
import { startGitHubApiServer, workflowTokens, type GitHubApiServer } from '../helpers/github-api-server.ts'

const API_HOST = '127.0.8.20'
const DNS_HOST = '127.0.8.53'
const REPOSITORY = 'octo-org/ldaps-infra'
const TOKEN = 'ghs_e2ewritetoken000000000000000000000'
const READ_TOKEN = 'ghs_e2ereadtoken0000000000000000000000'
const DOMAIN = 'ldaps.contoso100.com'
const SERVED_IP = '192.0.2.10'
const DRIFTED_IP = '192.0.2.99'
const MARKER = `<!-- ldaps-dns-action:drift domain=${DOMAIN} -->`

let api: GitHubApiServer
let bind: BindServer

before(async () => {
  requireBundle()
  api = await startGitHubApiServer({
    host: API_HOST,
    repository: REPOSITORY,
    tokens: workflowTokens(TOKEN, READ_TOKEN),
    pathPrefix: '/api/v3'
  })
  bind = await startBind()
})
after(async () => {
  await api?.close()
  await bind?.stop()
})

function check(ip: string, runId: string, extra: Record<string, string> = {}, token = TOKEN): Promise<ActionRun> {
  const server = `${DNS_HOST}:${bind.port}`
  return runAction(
    {
      domain: DOMAIN,
      ip,
      provider: 'none',
      mode: 'check',
      zone: 'contoso100.com',
      nameservers: server,
      resolver: server,
      'verify-certificate': 'false',
      'drift-issue': 'true',
      'github-token': token,
      ...extra
    },
    { env: { GITHUB_API_URL: api.url, GITHUB_SERVER_URL: 'https://ghes.example', GITHUB_RUN_ID: runId } }
  )
}

const driftIssues = () => api.issues.filter(i => i.body?.startsWith(MARKER))
const driftTitles = (run: ActionRun): string[] =>
  (run.report.findings as { title: string; drift?: boolean }[]).filter(f => f.drift === true).map(f => f.title)

test('drift issue lifecycle through the bundled action', async t => {
  let issueNumber = 0
  let issueUrl = ''
  const issue = () => api.issues.find(i => i.number === issueNumber)!

  await t.test('a drift check opens the issue (fail-on-drift true: the step fails)', async () => {
    const run = await check(DRIFTED_IP, '5001')
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.report.drift, true)
    assert.ok(driftTitles(run).length > 0)
    assert.equal(run.report.driftIssue.action, 'opened', run.stdout)
    assert.equal(driftIssues().length, 1)
    issueNumber = driftIssues()[0]!.number
    issueUrl = run.report.driftIssue.url
    assert.equal(run.report.driftIssue.number, issueNumber)
    assert.equal(issue().state, 'open')
    for (const title of driftTitles(run)) assert.ok(issue().body!.includes(title), `issue body lists "${title}"`)
    assert.ok(issue().body!.includes('https://ghes.example/octo-org/ldaps-infra/actions/runs/5001'))
    assert.ok(!issue().body!.includes(TOKEN), 'the token is not in the issue')
    assert.match(run.summary, /Drift issue opened: https:\/\/github\.example\//)
    assert.deepEqual(issue().labels, ['ldaps-dns-drift'])
    assert.equal(issue().user, 'github-actions[bot]')
    assert.ok(
      api.requests.every(r => r.path.startsWith('/api/v3/repos/octo-org/ldaps-infra/')),
      'the action used GITHUB_API_URL with its /api/v3 path'
    )
  })

  await t.test('the same drift again updates that issue: one issue, no comment', async () => {
    assert.ok(issueNumber > 0, 'needs the issue opened above')
    const run = await check(DRIFTED_IP, '5002', { 'fail-on-drift': 'false' })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.deepEqual(run.report.driftIssue, { action: 'updated', number: issueNumber, url: issueUrl, commented: false })
    assert.equal(driftIssues().length, 1)
    assert.ok(issue().body!.includes('/actions/runs/5002'))
    assert.equal(issue().comments.length, 0)
  })

  await t.test('a healthy check comments and closes it', async () => {
    assert.ok(issueNumber > 0, 'needs the issue opened above')
    const run = await check(SERVED_IP, '5003')
    assert.equal(run.report.drift, false, run.stdout)
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.report.driftIssue.action, 'closed')
    assert.equal(issue().state, 'closed')
    assert.equal(issue().comments.length, 1)
    assert.match(issue().comments[0]!.body, /no drift/)
    assert.match(issue().comments[0]!.body, /runs\/5003/)
  })
})

test('a token without issues: write: the check still reports, with a warning naming the permission', async () => {
  const before = driftIssues().length
  const run = await check(DRIFTED_IP, '5101', { 'fail-on-drift': 'false', domain: 'ldaps2.contoso100.com' }, READ_TOKEN)
  assert.equal(run.exitCode, 0, run.stdout)
  assert.equal(run.report.drift, true)
  assert.equal(run.report.driftIssue, undefined)
  assert.match(
    run.stdout,
    /::warning title=Drift issue not updated::GitHub issues: could not open an issue in octo-org\/ldaps-infra: the token lacks permission \(403 Resource not accessible by integration\)\. Give the job `permissions: issues: write` in the workflow/
  )
  const leaks = run.stdout.split('\n').filter(l => l.includes(READ_TOKEN) && !l.startsWith('::add-mask::'))
  assert.deepEqual(leaks, [], 'the token is printed only to be masked')
  assert.equal(driftIssues().length, before)
})

test("a 253-character domain: the issue title is cut to GitHub's 256 characters and the issue is opened", async () => {
  // 63+1+63+1+63+1+46+1 labels and dots, then contoso100.com (14): 253, the longest DNS name.
  const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(46)}.contoso100.com`
  assert.equal(domain.length, 253)
  const run = await check(DRIFTED_IP, '5201', { 'fail-on-drift': 'false', domain })
  assert.equal(run.report.drift, true, run.stdout)
  assert.equal(run.report.driftIssue?.action, 'opened', run.stdout)
  const opened = api.issues.find(i => i.number === run.report.driftIssue.number)!
  assert.equal(Array.from(opened.title).length, 256)
  assert.ok(opened.title.startsWith(`LDAPS drift: ${'a'.repeat(63)}.`), opened.title)
  assert.ok(opened.title.endsWith('…'), opened.title)
})

test('ownership through the bundle: a foreign issue with our marker is untouched, ours adopted, duplicates closed', async () => {
  const body = `${MARKER}\n\nfrom an earlier run`
  const snapshot = () => JSON.stringify(foreign)
  // The lifecycle above closed its issue; these are all the open ones with the marker.
  const foreign = api.seed({ title: 'LDAPS drift: ldaps.contoso100.com', body, user: 'mallory' })
  const legacy = api.seed({ title: 'LDAPS drift (earlier version)', body, user: 'github-actions[bot]' })
  const twins = [1, 2].map(() =>
    api.seed({ title: 'LDAPS drift: twin', body, user: 'github-actions[bot]', labels: ['ldaps-dns-drift'] })
  )
  const untouched = snapshot()

  const drift = await check(DRIFTED_IP, '5201', { 'fail-on-drift': 'false' })
  assert.equal(drift.exitCode, 0, drift.stdout)
  assert.deepEqual(
    [drift.report.driftIssue.action, drift.report.driftIssue.number],
    ['updated', legacy.number],
    drift.stdout
  )
  assert.deepEqual(legacy.labels, ['ldaps-dns-drift'], 'adopted')
  assert.ok(legacy.body!.includes('/actions/runs/5201'))
  for (const twin of twins) {
    assert.deepEqual([twin.state, twin.stateReason, twin.duplicateOf], ['closed', 'duplicate', legacy.id])
    assert.match(twin.comments[0]!.body, new RegExp(`^Duplicate of #${legacy.number}`))
  }
  assert.equal(snapshot(), untouched, 'the foreign issue was not edited, commented, labelled or closed')
  assert.match(drift.stdout, new RegExp(`#${foreign.number} \\(opened by mallory\\)`))

  const healthy = await check(SERVED_IP, '5202')
  assert.equal(healthy.exitCode, 0, healthy.stdout)
  assert.deepEqual([healthy.report.driftIssue.action, legacy.state], ['closed', 'closed'])
  assert.equal(foreign.state, 'open')
  assert.equal(snapshot(), untouched)
})

/** A BIND 9 primary for contoso100.com on DNS_HOST, serving ldaps at SERVED_IP. */
function startBind(): Promise<BindServer> {
  return startBindServer({
    addresses: [DNS_HOST],
    zones: [
      {
        name: 'contoso100.com',
        role: 'primary',
        records: ['@ IN NS ns1', `ns1 IN A ${DNS_HOST}`, `ldaps IN A ${SERVED_IP}`]
      }
    ]
  })
}
