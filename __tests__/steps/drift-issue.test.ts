// The drift issue step through the real Octokit client (@actions/github getOctokit) against a
// local server that follows the GitHub REST contract for the issue endpoints
// (__tests__/helpers/github-api-server.ts). Reports are built here: this exercises the issue
// lifecycle itself; the bundled action is run end to end in __tests__/e2e/drift-issue.test.ts.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { parseInputs } from '../../src/adapters/providers/index.ts'
import type { Finding } from '../../src/core/report.ts'
import { checkReport, staleNameserver } from '../fixtures/drift-report.ts'
import type { Settings } from '../../src/core/settings.ts'
import { renderDriftMarker } from '../../src/core/drift-issue.ts'
import { reportDriftIssue } from '../../src/steps/drift-issue.ts'
import { createGitHubIssues, GitHubIssuesError } from '../../src/adapters/github-issues.ts'
import { runnerInputEnv } from '../helpers/run-action.ts'
import {
  startGitHubApiServer,
  workflowTokens,
  type GitHubApiServer,
  type StoredIssue
} from '../helpers/github-api-server.ts'

const HOST = '127.0.8.10'
const REPOSITORY = 'octo-org/ldaps-infra'
const TOKEN = 'ghs_writetoken0000000000000000000000'
const READ_TOKEN = 'ghs_readtoken00000000000000000000000'
const DOMAIN = 'ldaps.contoso100.com'

function settingsFor(token: string, domain = DOMAIN): Settings {
  const env = runnerInputEnv({
    domain,
    ip: '192.0.2.10',
    provider: 'none',
    mode: 'check',
    'drift-issue': 'true',
    'github-token': token
  })
  return parseInputs(name => env[`INPUT_${name.toUpperCase()}`] ?? '').settings
}

function envFor(server: GitHubApiServer, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_API_URL: server.url,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    ...overrides
  }
}

const stale = staleNameserver
const untrusted: Finding = {
  severity: 'error',
  step: 'certificate',
  title: 'Certificate not trusted',
  message: 'unable to get local issuer certificate',
  drift: true
}

let server: GitHubApiServer
before(async () => {
  server = await startGitHubApiServer({
    host: HOST,
    repository: REPOSITORY,
    tokens: workflowTokens(TOKEN, READ_TOKEN)
  })
})
after(() => server.close())

const openDriftIssues = (domain = DOMAIN) =>
  server.issues.filter(i => i.state === 'open' && !i.isPullRequest && i.body?.startsWith(renderDriftMarker(domain)))

test('lifecycle: open, update quietly, update with a comment, close, then nothing', async () => {
  const settings = settingsFor(TOKEN)
  const env = envFor(server)
  // The API calls each run makes, as "METHOD path-suffix".
  const calls = async <T>(run: () => Promise<T>): Promise<[T, string[]]> => {
    const from = server.requests.length
    const result = await run()
    const base = `/repos/${REPOSITORY}`
    return [
      result,
      server.requests
        .slice(from)
        .map(r => `${r.method} ${r.path.startsWith(base) ? r.path.slice(base.length) : r.path}`)
    ]
  }
  // Who the token acts as, asked only when an issue with the marker is open: GITHUB_TOKEN gets
  // 403 from GET /user and answers through GraphQL.
  const whoAmI = ['GET /user', 'POST /graphql']

  const [opened, openCalls] = await calls(() => reportDriftIssue(checkReport([stale]), settings, env))
  assert.equal(opened.action, 'opened')
  assert.deepEqual(openCalls, ['GET /issues', 'POST /labels', 'POST /issues'])
  assert.equal(openDriftIssues().length, 1)
  const issue = openDriftIssues()[0]!
  assert.equal(opened.number, issue.number)
  assert.equal(opened.url, `https://github.example/${REPOSITORY}/issues/${issue.number}`)
  assert.equal(issue.title, `LDAPS drift: ${DOMAIN}`)
  assert.deepEqual(issue.labels, ['ldaps-dns-drift'])
  assert.equal(issue.user, 'github-actions[bot]')
  assert.deepEqual(
    server.labels.find(l => l.name === 'ldaps-dns-drift'),
    {
      id: server.labels.find(l => l.name === 'ldaps-dns-drift')!.id,
      name: 'ldaps-dns-drift',
      color: 'd93f0b',
      description: 'Drift found by ldaps-dns-action: opened, updated and closed by the action'
    }
  )
  assert.match(issue.body!, /Nameserver out of sync/)
  assert.ok(issue.body!.includes('https://github.com/octo-org/ldaps-infra/actions/runs/4242'))
  assert.ok(!issue.body!.includes(TOKEN))

  // The same drift the next night: one issue, body rewritten, nobody notified.
  const [again, againCalls] = await calls(() =>
    reportDriftIssue(checkReport([stale]), settings, { ...env, GITHUB_RUN_ID: '4243' })
  )
  assert.deepEqual(againCalls, ['GET /issues', ...whoAmI, `PATCH /issues/${opened.number}`])
  assert.deepEqual(again, { action: 'updated', number: issue.number, url: opened.url, commented: false })
  assert.equal(openDriftIssues().length, 1)
  assert.ok(issue.body!.includes('/actions/runs/4243'))
  assert.equal(issue.comments.length, 0)

  // Different drift: rewritten, and one comment saying what changed.
  const [changed, changedCalls] = await calls(() =>
    reportDriftIssue(checkReport([untrusted]), settings, { ...env, GITHUB_RUN_ID: '4244' })
  )
  assert.deepEqual(changedCalls, [
    'GET /issues',
    ...whoAmI,
    `PATCH /issues/${opened.number}`,
    `POST /issues/${opened.number}/comments`
  ])
  assert.equal(changed.action, 'updated')
  assert.equal(changed.commented, true)
  assert.equal(openDriftIssues().length, 1)
  assert.match(issue.body!, /Certificate not trusted/)
  assert.doesNotMatch(issue.body!, /Nameserver out of sync/)
  assert.equal(issue.comments.length, 1)
  assert.match(issue.comments[0]!.body, /New:\n- certificate: Certificate not trusted/)
  assert.match(issue.comments[0]!.body, /runs\/4244/)

  // Healthy: comment, then closed as completed.
  const [closed, closeCalls] = await calls(() =>
    reportDriftIssue(checkReport([]), settings, { ...env, GITHUB_RUN_ID: '4245' })
  )
  assert.deepEqual(closeCalls, [
    'GET /issues',
    ...whoAmI,
    `POST /issues/${opened.number}/comments`,
    `PATCH /issues/${opened.number}`
  ])
  assert.deepEqual(closed, { action: 'closed', number: issue.number, url: opened.url, commented: true })
  assert.equal(issue.state, 'closed')
  assert.equal(issue.stateReason, 'completed')
  assert.equal(issue.comments.length, 2)
  assert.match(issue.comments[1]!.body, /found no drift for `ldaps\.contoso100\.com`/)
  assert.match(issue.comments[1]!.body, /runs\/4245/)

  // Healthy again: no issue to close, no write.
  const [none, noneCalls] = await calls(() => reportDriftIssue(checkReport([]), settings, env))
  assert.deepEqual(none, { action: 'none' })
  assert.deepEqual(noneCalls, ['GET /issues'])

  // Drift after a close opens a fresh issue (closed ones are history, not reopened).
  const reopened = await reportDriftIssue(checkReport([stale]), settings, env)
  assert.equal(reopened.action, 'opened')
  assert.notEqual(reopened.number, issue.number)
  assert.equal(openDriftIssues().length, 1)
  await reportDriftIssue(checkReport([]), settings, env)
  assert.equal(openDriftIssues().length, 0)
})

test('the issue is found past the first page, and pull requests or other domains never match', async () => {
  const domain = 'ldaps.fabrikam.example'
  const settings = settingsFor(TOKEN, domain)
  // A pull request quoting the marker first: the list endpoint returns it, and it must be skipped.
  const pr = server.seed({ title: 'docs: the drift marker', body: `${renderDriftMarker(domain)}\n`, pullRequest: true })
  const other = server.seed({ title: 'LDAPS drift: ldaps.fabrikam.example', body: renderDriftMarker(`x.${domain}`) })
  for (let i = 0; i < 130; i++) server.seed({ title: `unrelated ${i}`, body: i % 2 === 0 ? null : 'text' })
  const first = await reportDriftIssue(checkReport([stale], domain), settings, envFor(server))
  assert.equal(first.action, 'opened')
  assert.notEqual(first.number, pr.number)
  assert.notEqual(first.number, other.number)

  const before = server.requests.length
  const second = await reportDriftIssue(checkReport([stale], domain), settings, envFor(server))
  assert.equal(second.action, 'updated')
  assert.equal(second.number, first.number)
  assert.equal(openDriftIssues(domain).length, 1)
  assert.equal(pr.body, `${renderDriftMarker(domain)}\n`, 'the pull request is untouched')
  const listed = server.requests.slice(before).filter(r => r.method === 'GET' && r.path.endsWith('/issues'))
  assert.deepEqual(
    listed.map(r => [r.query['state'], r.query['per_page'], r.query['page'] ?? '1']),
    [
      ['open', '100', '1'],
      ['open', '100', '2']
    ],
    'followed the Link header to page 2, where the issue is, and stopped'
  )
})

test('a token without issues: write gets a message naming the permission to add', async () => {
  await assert.rejects(
    reportDriftIssue(checkReport([stale], 'ldaps.readonly.example'), settingsFor(READ_TOKEN), envFor(server)),
    (e: unknown) => {
      assert.ok(e instanceof GitHubIssuesError)
      assert.equal(e.status, 403)
      assert.match(e.message, /^GitHub issues: could not open an issue in octo-org\/ldaps-infra/)
      assert.match(e.message, /403 Resource not accessible by integration/)
      assert.match(e.message, /`permissions: issues: write`/)
      assert.match(e.message, /\(GitHub accepts: issues=write\), or use a github-token that may write issues$/)
      return true
    }
  )
})

test('an exhausted rate limit (403 with x-ratelimit-remaining 0) is not mistaken for a permission problem', async () => {
  const limited = await startGitHubApiServer({
    host: HOST,
    repository: REPOSITORY,
    tokens: { [TOKEN]: { login: 'github-actions[bot]', issues: 'write' } }
  })
  try {
    limited.exhaustRateLimit(3600)
    await assert.rejects(reportDriftIssue(checkReport([stale]), settingsFor(TOKEN), envFor(limited)), (e: unknown) => {
      assert.ok(e instanceof GitHubIssuesError)
      assert.match(
        e.message,
        /rate limited \(403 API rate limit exceeded for installation ID 4242\.\); the limit resets at 20\d\d-/
      )
      assert.doesNotMatch(e.message, /permissions/)
      return true
    })
  } finally {
    await limited.close()
  }
})

test('a rejected token (401) and an unknown repository (404) are told apart', async () => {
  await assert.rejects(
    reportDriftIssue(checkReport([stale]), settingsFor('ghs_revoked000000000000000000000000'), envFor(server)),
    /GitHub issues: could not list the open issues of octo-org\/ldaps-infra: the token was rejected \(401 Bad credentials\); check the github-token input/
  )
  await assert.rejects(
    reportDriftIssue(checkReport([stale]), settingsFor(TOKEN), envFor(server, { GITHUB_REPOSITORY: 'octo-org/gone' })),
    /GitHub issues: could not list the open issues of octo-org\/gone: not found \(404 Not Found\); check GITHUB_REPOSITORY/
  )
  await assert.rejects(
    reportDriftIssue(checkReport([stale]), settingsFor(TOKEN), envFor(server, { GITHUB_REPOSITORY: '' })),
    /GITHUB_REPOSITORY is "", expected owner\/name/
  )
})

test('issues disabled in the repository (410) and an issue deleted after listing (410) read differently', async t => {
  server.issuesDisabled = true
  t.after(() => (server.issuesDisabled = false))
  await assert.rejects(
    reportDriftIssue(checkReport([stale]), settingsFor(TOKEN), envFor(server)),
    /could not list the open issues of octo-org\/ldaps-infra: issues are disabled for this repository \(410 Issues are disabled for this repo\); enable them or set drift-issue: false/
  )
  server.issuesDisabled = false

  const gone = server.seed({ title: 'LDAPS drift: deleted', body: renderDriftMarker('ldaps.deleted.example') })
  gone.deleted = true
  const tracker = createGitHubIssues({ token: TOKEN, repository: REPOSITORY, apiUrl: server.url })
  assert.deepEqual(
    await tracker.findOpenIssues(body => body === renderDriftMarker('ldaps.deleted.example')),
    [],
    'a deleted issue is not listed'
  )
  await assert.rejects(
    tracker.updateIssueBody(gone.number, 'x'),
    /could not update an issue in octo-org\/ldaps-infra: the issue is gone \(410 This issue was deleted\)/
  )
})

test('a 422 Validation Failed is explained with what GitHub refused (a title over 256 characters)', async () => {
  const tracker = createGitHubIssues({ token: TOKEN, repository: REPOSITORY, apiUrl: server.url })
  await assert.rejects(tracker.createIssue('x'.repeat(257), 'body'), (e: unknown) => {
    assert.ok(e instanceof GitHubIssuesError)
    assert.equal(e.status, 422)
    assert.match(
      e.message,
      /^GitHub issues: could not open an issue in octo-org\/ldaps-infra: GitHub refused the request as invalid \(422 Validation Failed: title: title is too long \(maximum is 256 characters\)\); /
    )
    return true
  })
})

test('an unreachable API names the URL it tried', async () => {
  const closed = await startGitHubApiServer({ host: HOST, repository: REPOSITORY, tokens: {} })
  const url = closed.url
  await closed.close()
  await assert.rejects(
    reportDriftIssue(checkReport([stale]), settingsFor(TOKEN), envFor(server, { GITHUB_API_URL: url })),
    (e: unknown) => e instanceof GitHubIssuesError && e.message.includes(`(API ${url})`)
  )
})

test('a GitHub Enterprise Server base URL (…/api/v3) from GITHUB_API_URL is honoured', async () => {
  const ghes = await startGitHubApiServer({
    host: HOST,
    repository: REPOSITORY,
    tokens: { [TOKEN]: { login: 'github-actions[bot]', issues: 'write' } },
    pathPrefix: '/api/v3'
  })
  try {
    assert.match(ghes.url, /\/api\/v3$/)
    const env = envFor(ghes, { GITHUB_SERVER_URL: 'https://ghes.example' })
    const opened = await reportDriftIssue(checkReport([stale]), settingsFor(TOKEN), env)
    assert.equal(opened.action, 'opened')
    assert.equal(ghes.issues.length, 1)
    assert.ok(ghes.issues[0]!.body!.includes('https://ghes.example/octo-org/ldaps-infra/actions/runs/4242'))
    assert.ok(ghes.requests.length >= 2)
    assert.ok(
      ghes.requests.every(r => r.path.startsWith('/api/v3/repos/octo-org/ldaps-infra/')),
      'every request went under the GHES prefix'
    )
    // Again with the issue open: who the token is, through REST and then GraphQL at /api/graphql.
    const before = ghes.requests.length
    await reportDriftIssue(checkReport([stale]), settingsFor(TOKEN), env)
    assert.deepEqual(
      ghes.requests.slice(before).map(r => `${r.method} ${r.path}`),
      [
        'GET /api/v3/repos/octo-org/ldaps-infra/issues',
        'GET /api/v3/user',
        'POST /api/graphql',
        `PATCH /api/v3/repos/octo-org/ldaps-infra/issues/${opened.number}`
      ]
    )
    assert.ok(ghes.requests.every(r => r.authorization === `token ${TOKEN}`))
  } finally {
    await ghes.close()
  }
})

describe('ownership: only issues opened by the token’s identity are ever touched', () => {
  const marker = (domain: string) => `${renderDriftMarker(domain)}\n\nold description`
  const snapshot = (i: StoredIssue) => JSON.stringify({ ...i, comments: i.comments.length })

  test('a foreign issue with our marker is left alone; of ours, the oldest is kept (adopted and labelled), the others closed as its duplicates', async () => {
    const domain = 'ldaps.owned.example'
    const settings = settingsFor(TOKEN, domain)
    // Oldest first: someone else's issue quoting the marker, another app's, then ours from an
    // earlier version (no label), then two of ours from two checks that ran at the same time.
    const foreign = server.seed({ title: 'please look', body: marker(domain), user: 'mallory' })
    const otherApp = server.seed({
      title: 'bot',
      body: marker(domain),
      user: 'other-app[bot]',
      labels: ['ldaps-dns-drift']
    })
    const legacy = server.seed({ title: 'LDAPS drift: old', body: marker(domain), user: 'github-actions[bot]' })
    const twinA = server.seed({
      title: 'LDAPS drift: a',
      body: marker(domain),
      user: 'github-actions[bot]',
      labels: ['ldaps-dns-drift']
    })
    const twinB = server.seed({
      title: 'LDAPS drift: b',
      body: marker(domain),
      user: 'github-actions[bot]',
      labels: ['ldaps-dns-drift']
    })
    const untouched = [foreign, otherApp].map(snapshot)

    const result = await reportDriftIssue(
      checkReport([stale], domain),
      settings,
      envFor(server, { GITHUB_RUN_ID: '7001' })
    )
    assert.equal(result.action, 'updated')
    assert.equal(result.number, legacy.number, 'the oldest of ours is the drift issue')
    assert.match(legacy.body!, /Nameserver out of sync/)
    assert.deepEqual(legacy.labels, ['ldaps-dns-drift'], 'adopted: labelled')
    assert.equal(legacy.state, 'open')
    for (const twin of [twinA, twinB]) {
      assert.equal(twin.state, 'closed')
      assert.equal(twin.stateReason, 'duplicate')
      assert.equal(twin.duplicateOf, legacy.id)
      assert.equal(twin.comments.length, 1)
      assert.match(twin.comments[0]!.body, new RegExp(`^Duplicate of #${legacy.number}: `))
      assert.match(twin.comments[0]!.body, /runs\/7001/)
      assert.equal(twin.body, marker(domain), 'a duplicate is closed, not rewritten')
    }
    assert.deepEqual([foreign, otherApp].map(snapshot), untouched, 'not edited, commented, labelled or closed')

    // Healthy: ours is closed; the foreign issues stay open and untouched.
    const closed = await reportDriftIssue(checkReport([], domain), settings, envFor(server))
    assert.deepEqual(closed, { action: 'closed', number: legacy.number, url: closed.url, commented: true })
    assert.equal(legacy.stateReason, 'completed')
    assert.deepEqual([foreign, otherApp].map(snapshot), untouched)

    // Drift again: a new issue of ours; the foreign ones are not adopted.
    const reopened = await reportDriftIssue(checkReport([stale], domain), settings, envFor(server))
    assert.equal(reopened.action, 'opened')
    assert.ok(![foreign.number, otherApp.number].includes(reopened.number!))
    assert.deepEqual([foreign, otherApp].map(snapshot), untouched)
    await reportDriftIssue(checkReport([], domain), settings, envFor(server))
  })

  test('a personal access token: ours are the ones its user opened (GET /user), not github-actions[bot]’s', async () => {
    const pat = 'ghp_personal000000000000000000000000000'
    const api = await startGitHubApiServer({
      host: HOST,
      repository: REPOSITORY,
      tokens: { [pat]: { login: 'ops-admin', issues: 'write', kind: 'user' } }
    })
    try {
      const domain = 'ldaps.pat.example'
      const byActions = api.seed({ title: 't', body: marker(domain), user: 'github-actions[bot]' })
      const byUser = api.seed({ title: 't', body: marker(domain), user: 'ops-admin' })
      const before = snapshot(byActions)
      const result = await reportDriftIssue(checkReport([stale], domain), settingsFor(pat, domain), envFor(api))
      assert.deepEqual([result.action, result.number], ['updated', byUser.number])
      assert.equal(snapshot(byActions), before)
      assert.ok(!api.requests.some(r => r.path === '/graphql'), 'GET /user answered: no GraphQL needed')
    } finally {
      await api.close()
    }
  })

  test('a GitHub App installation token: GET /user is refused, GraphQL viewer names <app-slug>[bot]', async () => {
    const appToken = 'ghs_apptoken000000000000000000000000000'
    const api = await startGitHubApiServer({
      host: HOST,
      repository: REPOSITORY,
      tokens: { [appToken]: { login: 'ldaps-checker[bot]', issues: 'write' } }
    })
    try {
      const domain = 'ldaps.app.example'
      const byActions = api.seed({ title: 't', body: marker(domain), user: 'github-actions[bot]' })
      const byApp = api.seed({ title: 't', body: marker(domain), user: 'ldaps-checker[bot]' })
      const before = snapshot(byActions)
      const tracker = createGitHubIssues({ token: appToken, repository: REPOSITORY, apiUrl: api.url })
      assert.deepEqual(await tracker.identity(), { login: 'ldaps-checker[bot]', source: 'viewer' })
      const listed = await tracker.findOpenIssues(body => body.startsWith(renderDriftMarker(domain)))
      assert.deepEqual(
        listed.map(i => [i.number, i.author]),
        [
          [byActions.number, { login: 'github-actions[bot]', type: 'Bot' }],
          [byApp.number, { login: 'ldaps-checker[bot]', type: 'Bot' }]
        ]
      )
      const result = await reportDriftIssue(checkReport([stale], domain), settingsFor(appToken, domain), envFor(api))
      assert.deepEqual([result.action, result.number], ['updated', byApp.number])
      assert.equal(snapshot(byActions), before)
      const userCall = api.requests.find(r => r.path === '/user')
      assert.ok(userCall, 'GET /user was tried first')
    } finally {
      await api.close()
    }
  })

  test('a server without state_reason duplicate (older GHES, 422) closes the duplicate as not planned', async () => {
    const api = await startGitHubApiServer({
      host: HOST,
      repository: REPOSITORY,
      tokens: { [TOKEN]: { login: 'github-actions[bot]', issues: 'write' } },
      duplicateStateReason: false
    })
    try {
      const domain = 'ldaps.ghes.example'
      const first = api.seed({ title: 't', body: marker(domain), user: 'github-actions[bot]' })
      const second = api.seed({ title: 't', body: marker(domain), user: 'github-actions[bot]' })
      await reportDriftIssue(checkReport([stale], domain), settingsFor(TOKEN, domain), envFor(api))
      assert.equal(first.state, 'open')
      assert.deepEqual([second.state, second.stateReason], ['closed', 'not_planned'])
      assert.match(second.comments[0]!.body, new RegExp(`^Duplicate of #${first.number}`))
    } finally {
      await api.close()
    }
  })

  test('a token that may not create labels still keeps the issue, with a warning', async () => {
    const noLabels = 'ghs_nolabels00000000000000000000000000'
    const api = await startGitHubApiServer({
      host: HOST,
      repository: REPOSITORY,
      tokens: { [noLabels]: { login: 'github-actions[bot]', issues: 'write', labels: false } }
    })
    const lines: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      lines.push(String(chunk))
      return write(chunk, ...rest)
    }) as typeof process.stdout.write
    try {
      const domain = 'ldaps.nolabel.example'
      const opened = await reportDriftIssue(checkReport([stale], domain), settingsFor(noLabels, domain), envFor(api))
      assert.equal(opened.action, 'opened')
      assert.deepEqual(api.issues[0]!.labels, [])
      assert.ok(
        lines.some(l => /^::warning title=[^:]*::Drift issue label ldaps-dns-drift not created: .*403/.test(l)),
        lines.join('')
      )
      const again = await reportDriftIssue(checkReport([stale], domain), settingsFor(noLabels, domain), envFor(api))
      assert.deepEqual([again.action, again.number], ['updated', opened.number], 'still found: ownership is by author')
    } finally {
      process.stdout.write = write
      await api.close()
    }
  })
})
