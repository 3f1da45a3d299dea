// drift-issue in mode apply, end to end: the bundled action (npm run build first) with provider
// none against a real BIND 9 on 127.0.46.53 and the GitHub REST stand-in on 127.0.46.20. A run
// whose declared ip BIND does not serve fails (the nameservers never answer it within
// propagation-timeout); one that declares the served ip succeeds. Scheduled and manual runs open,
// update and close the issue; pull-request and push runs never touch it.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startBindServer, type BindServer } from '../helpers/bind.ts'
import { runAction, type ActionRun } from '../helpers/run-action.ts'
import { requireBundle } from '../helpers/stand-ins.ts'
import { startGitHubApiServer, workflowTokens, type GitHubApiServer } from '../helpers/github-api-server.ts'

const API_HOST = '127.0.46.20'
const DNS_HOST = '127.0.46.53'
const REPOSITORY = 'octo-org/ldaps-infra'
const TOKEN = 'ghs_alertwritetoken00000000000000000000'
const READ_TOKEN = 'ghs_alertreadtoken000000000000000000000'
const DOMAIN = 'ldaps.contoso100.com'
const SERVED_IP = '192.0.2.10'
const OTHER_IP = '192.0.2.99'
const MARKER = `<!-- ldaps-dns-action:drift domain=${DOMAIN} -->`

let api: GitHubApiServer
let bind: BindServer

before(async () => {
  requireBundle()
  api = await startGitHubApiServer({
    host: API_HOST,
    repository: REPOSITORY,
    tokens: workflowTokens(TOKEN, READ_TOKEN)
  })
  bind = await startBindServer({
    addresses: [DNS_HOST],
    zones: [
      {
        name: 'contoso100.com',
        role: 'primary',
        records: ['@ IN NS ns1', `ns1 IN A ${DNS_HOST}`, `ldaps IN A ${SERVED_IP}`]
      }
    ]
  })
})
after(async () => {
  await api?.close()
  await bind?.stop()
})

function apply(ip: string, runId: string, event: string): Promise<ActionRun> {
  const server = `${DNS_HOST}:${bind.port}`
  return runAction(
    {
      domain: DOMAIN,
      ip,
      provider: 'none',
      mode: 'apply',
      zone: 'contoso100.com',
      nameservers: server,
      resolver: server,
      'propagation-timeout': '2',
      'verify-certificate': 'false',
      'drift-issue': 'true',
      'github-token': TOKEN
    },
    {
      env: {
        GITHUB_API_URL: api.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_RUN_ID: runId,
        GITHUB_EVENT_NAME: event
      }
    }
  )
}

const alertIssues = () => api.issues.filter(i => i.body?.startsWith(MARKER))

test('apply mode: a failing scheduled run opens the issue, a manual one updates it, the first healthy run closes it', async t => {
  await t.test('pull-request and push runs that fail never touch issues', async () => {
    for (const event of ['pull_request', 'push']) {
      const run = await apply(OTHER_IP, '7000', event)
      assert.equal(run.exitCode, 1, run.stdout)
      assert.equal(run.report.driftIssue, undefined, event)
    }
    assert.equal(api.requests.length, 0)
  })

  await t.test('a failing scheduled run opens the issue: what failed, since when, the fix', async () => {
    const run = await apply(OTHER_IP, '7001', 'schedule')
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.report.driftIssue?.action, 'opened', run.stdout)
    const [issue] = alertIssues()
    assert.ok(issue)
    assert.equal(issue.title, `LDAPS failing: ${DOMAIN}`)
    assert.match(issue.body!, /The scheduled run of `ldaps\.contoso100\.com` \(mode apply\) failed/)
    assert.match(issue.body!, new RegExp(`Failing since ${run.report.startedAt.replace(/\./g, '\\.')}`))
    assert.match(issue.body!, /### What failed, and the fix\n- \*\*Propagation/)
    assert.match(issue.body!, /runs\/7001/)
    assert.ok(!issue.body!.includes(TOKEN))
  })

  await t.test('a failing manual run updates the same issue and keeps "since"', async () => {
    const since = /Failing since (\S+);/.exec(alertIssues()[0]!.body!)![1]
    const run = await apply(OTHER_IP, '7002', 'workflow_dispatch')
    assert.equal(run.report.driftIssue?.action, 'updated', run.stdout)
    assert.equal(alertIssues().length, 1)
    assert.match(
      alertIssues()[0]!.body!,
      new RegExp(`Failing since ${since!.replace(/\./g, '\\.')}; last run: .* by \\[run 7002\\]`)
    )
  })

  await t.test('the first healthy scheduled run closes it with a comment', async () => {
    const run = await apply(SERVED_IP, '7003', 'schedule')
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.report.driftIssue?.action, 'closed', run.stdout)
    const issue = alertIssues()[0]!
    assert.equal(issue.state, 'closed')
    assert.match(issue.comments.at(-1)!.body, /runs\/7003.*succeeded/)
  })
})
