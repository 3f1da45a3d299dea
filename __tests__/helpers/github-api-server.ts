// A local stand-in for the GitHub REST API, for the issue endpoints the drift issue uses. It
// follows GitHub's documented contract (docs.github.com/rest/issues): the list endpoint returns
// pull requests too (with a `pull_request` key), paginates with `per_page`/`page` and a `Link`
// header, caps per_page at 100; create answers 201 with a Location header; errors are JSON
// `{ message, documentation_url, status }` with 401 for a bad token, 403 for a token without the
// permission (with X-Accepted-GitHub-Permissions), 404 for a repository the token cannot see,
// 422 for a missing title. An optional path prefix stands for GitHub Enterprise Server's /api/v3.
//
// Who is who: every issue and comment has a `user` ({ login, type }); issues carry `labels`.
// A token is either an installation token (GITHUB_TOKEN or a GitHub App's), for which
// GET /user answers 403 "Resource not accessible by integration" as GitHub does, or a user's
// token (PAT), for which it answers the user. GraphQL `{ viewer { login } }` (POST /graphql, or
// /api/graphql under GHES's /api/v3) answers the login for both, `<app-slug>[bot]` for an
// installation. Labels: POST /repos/{o}/{r}/labels (201, or 422 already_exists, names compared
// case-insensitively), GET …/labels/{name}, POST …/issues/{n}/labels (adds; unknown names are
// created, as GitHub does); the issue list filters by `labels` (comma-separated, all required) and
// `creator`; closing takes state_reason completed, not_planned or duplicate (with
// duplicate_issue_id, the id of the issue duplicated; a number that is no issue's id is a 422).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StoredComment {
  readonly id: number
  readonly body: string
  readonly user: string
  readonly createdAt: string
}

export interface StoredIssue {
  readonly number: number
  /** GitHub's database id (not the number): duplicate_issue_id refers to it. */
  readonly id: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  stateReason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null
  /** The issue's id this one was closed as a duplicate of. */
  duplicateOf: number | null
  readonly user: string
  readonly labels: string[]
  readonly isPullRequest: boolean
  readonly createdAt: string
  updatedAt: string
  closedAt: string | null
  /** A deleted issue is no longer listed and answers 410 Gone. */
  deleted: boolean
  readonly comments: StoredComment[]
}

export interface RequestRecord {
  readonly method: string
  readonly path: string
  readonly query: Record<string, string>
  readonly authorization: string | undefined
}

export interface TokenGrant {
  /** The login the token acts as. */
  readonly login: string
  /** Issues permission, as a GitHub App installation token (GITHUB_TOKEN) has it. */
  readonly issues: 'write' | 'read' | 'none'
  /** installation (default): GITHUB_TOKEN or a GitHub App token, GET /user is a 403; user: a PAT. */
  readonly kind?: 'installation' | 'user'
  /** May create labels (push access); true unless set false. */
  readonly labels?: boolean
}

/** A workflow's GITHUB_TOKEN with issues: write, and one whose workflow grants only issues: read. */
export function workflowTokens(writeToken: string, readToken: string): Record<string, TokenGrant> {
  return {
    [writeToken]: { login: 'github-actions[bot]', issues: 'write' },
    [readToken]: { login: 'github-actions[bot]', issues: 'read' }
  }
}

export interface StoredLabel {
  readonly id: number
  readonly name: string
  readonly color: string
  readonly description: string | null
}

export interface GitHubApiServer {
  readonly url: string
  readonly issues: StoredIssue[]
  readonly labels: StoredLabel[]
  readonly requests: RequestRecord[]
  /** Repository setting: with issues disabled, every issue endpoint answers 410 Gone. */
  issuesDisabled: boolean
  /** Answers every request with the primary rate-limit 403 for this many seconds. */
  exhaustRateLimit(seconds: number): void
  /** Adds an issue or pull request, opened by `user` (default octocat, a User). */
  seed(issue: {
    title: string
    body: string | null
    pullRequest?: boolean
    state?: 'open' | 'closed'
    user?: string
    labels?: string[]
  }): StoredIssue
  close(): Promise<void>
}

const DOCS = 'https://docs.github.com/rest/issues'

/**
 * GitHub's length limits on an issue (title 256, body 65,536 characters): 422 Validation Failed
 * with a `custom` error carrying the sentence github.com writes.
 */
function lengthError(body: Record<string, unknown>, documentation: string): Record<string, unknown> | undefined {
  const limits = [
    ['title', 256],
    ['body', 65_536]
  ] as const
  for (const [field, max] of limits) {
    const value = body[field]
    if (typeof value === 'string' && Array.from(value).length > max) {
      return {
        message: 'Validation Failed',
        errors: [
          { resource: 'Issue', code: 'custom', field, message: `${field} is too long (maximum is ${max} characters)` }
        ],
        documentation_url: documentation,
        status: '422'
      }
    }
  }
  return undefined
}

export async function startGitHubApiServer(options: {
  host: string
  /** owner/name of the one repository this server knows. */
  repository: string
  tokens: Record<string, TokenGrant>
  /** e.g. '/api/v3' for GitHub Enterprise Server; '' for github.com. */
  pathPrefix?: string
  /** false: a server from before state_reason duplicate (older GHES), which answers it with 422. */
  duplicateStateReason?: boolean
}): Promise<GitHubApiServer> {
  let rateLimitedUntil = 0
  const prefix = options.pathPrefix ?? ''
  const issues: StoredIssue[] = []
  const labels: StoredLabel[] = []
  const requests: RequestRecord[] = []
  let nextNumber = 1
  let nextCommentId = 1000
  let clock = Date.parse('2026-11-01T00:00:00Z')
  // Distinct, increasing timestamps so sort=created is well defined.
  const now = (): string => new Date((clock += 1000)).toISOString()
  let base = ''

  const issueJson = (i: StoredIssue): Record<string, unknown> => {
    const apiUrl = `${base}/repos/${options.repository}/issues/${i.number}`
    const json: Record<string, unknown> = {
      id: i.id,
      node_id: `I_kwDO${i.number}`,
      url: apiUrl,
      repository_url: `${base}/repos/${options.repository}`,
      comments_url: `${apiUrl}/comments`,
      html_url: `https://github.example/${options.repository}/${i.isPullRequest ? 'pull' : 'issues'}/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.stateReason,
      title: i.title,
      body: i.body,
      user: userJson(i.user),
      labels: i.labels.map(name => labelJson(labels.find(l => l.name === name)!)),
      assignees: [],
      locked: false,
      comments: i.comments.length,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
      author_association: 'CONTRIBUTOR'
    }
    if (i.isPullRequest) {
      json['pull_request'] = {
        url: `${base}/repos/${options.repository}/pulls/${i.number}`,
        html_url: `https://github.example/${options.repository}/pull/${i.number}`
      }
    }
    return json
  }

  const userJson = (login: string): Record<string, unknown> => ({
    login,
    id: login === 'github-actions[bot]' ? 41898282 : 1000 + login.length,
    type: login.endsWith('[bot]') ? 'Bot' : 'User'
  })
  const labelJson = (l: StoredLabel): Record<string, unknown> => ({
    id: l.id,
    node_id: `LA_${l.id}`,
    url: `${base}/repos/${options.repository}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: false,
    description: l.description
  })
  const findLabel = (name: string): StoredLabel | undefined =>
    labels.find(l => l.name.toLowerCase() === name.toLowerCase())
  const addLabel = (name: string, color = 'ededed', description: string | null = null): StoredLabel => {
    const label: StoredLabel = { id: 7000 + labels.length, name, color, description }
    labels.push(label)
    return label
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = body === undefined ? '' : JSON.stringify(body)
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-resource': 'core',
      ...headers
    })
    res.end(text)
  }
  const error = (
    res: ServerResponse,
    status: number,
    message: string,
    docs: string,
    headers: Record<string, string> = {}
  ): void => send(res, status, { message, documentation_url: docs, status: String(status) }, headers)

  const readJson = async (req: IncomingMessage): Promise<Record<string, unknown> | undefined> => {
    let text = ''
    for await (const chunk of req) text += String(chunk)
    if (text === '') return {}
    try {
      const value: unknown = JSON.parse(text)
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
    } catch {
      return undefined
    }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', base)
    const method = req.method ?? 'GET'
    const query = Object.fromEntries(url.searchParams)
    requests.push({ method, path: url.pathname, query, authorization: req.headers.authorization })

    // GraphQL sits beside REST: /graphql on github.com, /api/graphql beside GHES's /api/v3.
    const graphqlPath = `${prefix.replace(/\/v3$/, '')}/graphql`
    const isGraphql = url.pathname === graphqlPath && method === 'POST'
    if (!url.pathname.startsWith(`${prefix}/`) && !isGraphql) {
      return error(res, 404, 'Not Found', 'https://docs.github.com/rest')
    }
    const path = url.pathname.slice(prefix.length)

    const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')
    const grant = auth === null ? undefined : options.tokens[auth[1]!]
    if (grant === undefined) return error(res, 401, 'Bad credentials', 'https://docs.github.com/rest')

    if (Date.now() / 1000 < rateLimitedUntil) {
      // The primary rate limit as GitHub answers it: 403 with x-ratelimit-remaining 0 and a reset time.
      return error(
        res,
        403,
        'API rate limit exceeded for installation ID 4242.',
        'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(rateLimitedUntil))
        }
      )
    }

    if (method === 'GET' && path === '/user') {
      if ((grant.kind ?? 'installation') === 'installation') {
        return error(
          res,
          403,
          'Resource not accessible by integration',
          'https://docs.github.com/rest/users/users#get-the-authenticated-user'
        )
      }
      return send(res, 200, { ...userJson(grant.login), html_url: `https://github.example/${grant.login}` })
    }

    if (isGraphql) return handleGraphql(req, res, grant)

    const labelPath = /^\/repos\/([^/]+)\/([^/]+)\/labels(?:\/([^/]+))?$/.exec(path)
    if (labelPath !== null) return handleLabels(req, res, method, labelPath, grant)

    const m = /^\/repos\/([^/]+)\/([^/]+)\/issues(?:\/(\d+)(\/comments|\/labels)?)?$/.exec(path)
    if (m === null) return error(res, 404, 'Not Found', 'https://docs.github.com/rest')
    // A repository the token cannot see is a 404, exactly like one that does not exist.
    if (`${m[1]}/${m[2]}` !== options.repository) return error(res, 404, 'Not Found', `${DOCS}/issues`)
    if (api.issuesDisabled) return error(res, 410, 'Issues are disabled for this repo', `${DOCS}/issues`)
    const number = m[3] === undefined ? undefined : Number(m[3])
    const isComments = m[4] === '/comments'
    const isLabels = m[4] === '/labels'

    // X-Accepted-GitHub-Permissions lists the fine-grained permissions the endpoint accepts, as the
    // endpoint's documentation does: an issue or PR update/comment takes either permission.
    const forbidden = (docs: string, accepted = 'issues=write; pull_requests=write'): void =>
      error(res, 403, 'Resource not accessible by integration', docs, { 'x-accepted-github-permissions': accepted })
    const canRead = grant.issues !== 'none'
    const canWrite = grant.issues === 'write'

    if (method === 'GET' && number === undefined) {
      // A private repository's issues need issues: read; this stand-in treats the repo as private.
      if (!canRead) return forbidden(`${DOCS}/issues#list-repository-issues`, 'issues=read')
      return listIssues(res, url, query)
    }
    const issue = number === undefined ? undefined : issues.find(i => i.number === number)

    if (method === 'POST' && number === undefined) {
      if (!canWrite) return forbidden(`${DOCS}/issues#create-an-issue`, 'issues=write')
      const body = await readJson(req)
      if (body === undefined) return error(res, 400, 'Problems parsing JSON', `${DOCS}/issues#create-an-issue`)
      if (typeof body['title'] !== 'string' || body['title'] === '') {
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }],
          documentation_url: `${DOCS}/issues#create-an-issue`,
          status: '422'
        })
      }
      const tooLong = lengthError(body, `${DOCS}/issues#create-an-issue`)
      if (tooLong !== undefined) return send(res, 422, tooLong)
      const created = now()
      // Labels: set only with push access (else silently dropped); unknown names are created.
      const wanted = Array.isArray(body['labels']) ? body['labels'].filter(l => typeof l === 'string') : []
      const number = nextNumber++
      const stored: StoredIssue = {
        number,
        id: 90000 + number,
        title: body['title'],
        body: typeof body['body'] === 'string' ? body['body'] : null,
        state: 'open',
        stateReason: null,
        duplicateOf: null,
        user: grant.login,
        labels: grant.labels === false ? [] : wanted.map(n => (findLabel(n) ?? addLabel(n)).name),
        isPullRequest: false,
        createdAt: created,
        updatedAt: created,
        closedAt: null,
        deleted: false,
        comments: []
      }
      issues.push(stored)
      const json = issueJson(stored)
      return send(res, 201, json, { location: String(json['url']) })
    }

    if (issue === undefined) return error(res, 404, 'Not Found', `${DOCS}/issues#get-an-issue`)
    if (issue.deleted) return error(res, 410, 'This issue was deleted', `${DOCS}/issues#get-an-issue`)

    if (method === 'POST' && isLabels) {
      if (!canWrite) return forbidden(`${DOCS}/labels#add-labels-to-an-issue`)
      const body = await readJson(req)
      const wanted = body?.['labels']
      if (!Array.isArray(wanted) || !wanted.every(l => typeof l === 'string')) {
        return send(res, 422, {
          message: "Invalid request.\n\nFor 'links/0/schema', nil is not an array.",
          documentation_url: `${DOCS}/labels#add-labels-to-an-issue`,
          status: '422'
        })
      }
      for (const name of wanted as string[]) {
        const label = findLabel(name) ?? addLabel(name)
        if (!issue.labels.includes(label.name)) issue.labels.push(label.name)
      }
      issue.updatedAt = now()
      return send(
        res,
        200,
        issue.labels.map(n => labelJson(findLabel(n)!))
      )
    }

    if (method === 'PATCH' && !isComments && !isLabels) {
      if (!canWrite) return forbidden(`${DOCS}/issues#update-an-issue`)
      const body = await readJson(req)
      if (body === undefined) return error(res, 400, 'Problems parsing JSON', `${DOCS}/issues#update-an-issue`)
      const reason = body['state_reason']
      const known = [
        'completed',
        'not_planned',
        'reopened',
        ...(options.duplicateStateReason === false ? [] : ['duplicate'])
      ]
      if (reason !== undefined && reason !== null && !known.includes(String(reason))) {
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Issue', code: 'invalid', field: 'state_reason' }],
          documentation_url: `${DOCS}/issues#update-an-issue`,
          status: '422'
        })
      }
      if (reason === 'duplicate' && body['state'] === 'closed') {
        const of = issues.find(i => i.id === body['duplicate_issue_id'])
        if (of === undefined || of === issue) {
          return send(res, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'Issue', code: 'invalid', field: 'duplicate_issue_id' }],
            documentation_url: `${DOCS}/issues#update-an-issue`,
            status: '422'
          })
        }
      }
      const tooLong = lengthError(body, `${DOCS}/issues#update-an-issue`)
      if (tooLong !== undefined) return send(res, 422, tooLong)
      if (typeof body['title'] === 'string') issue.title = body['title']
      if (typeof body['body'] === 'string' || body['body'] === null) issue.body = body['body']
      if (body['state'] === 'closed' && issue.state === 'open') {
        issue.state = 'closed'
        issue.closedAt = now()
        issue.stateReason = reason === 'not_planned' || reason === 'duplicate' ? reason : 'completed'
        issue.duplicateOf = reason === 'duplicate' ? (body['duplicate_issue_id'] as number) : null
      } else if (body['state'] === 'open' && issue.state === 'closed') {
        issue.state = 'open'
        issue.closedAt = null
        issue.stateReason = 'reopened'
      }
      issue.updatedAt = now()
      return send(res, 200, issueJson(issue))
    }

    if (method === 'POST' && isComments) {
      if (!canWrite) return forbidden(`${DOCS}/comments#create-an-issue-comment`)
      const body = await readJson(req)
      if (body === undefined || typeof body['body'] !== 'string' || body['body'] === '') {
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
          documentation_url: `${DOCS}/comments#create-an-issue-comment`,
          status: '422'
        })
      }
      const comment: StoredComment = { id: nextCommentId++, body: body['body'], user: grant.login, createdAt: now() }
      issue.comments.push(comment)
      issue.updatedAt = comment.createdAt
      const apiUrl = `${base}/repos/${options.repository}/issues/comments/${comment.id}`
      return send(
        res,
        201,
        {
          id: comment.id,
          url: apiUrl,
          html_url: `https://github.example/${options.repository}/issues/${issue.number}#issuecomment-${comment.id}`,
          issue_url: `${base}/repos/${options.repository}/issues/${issue.number}`,
          body: comment.body,
          user: userJson(comment.user),
          created_at: comment.createdAt,
          updated_at: comment.createdAt
        },
        { location: apiUrl }
      )
    }

    if (method === 'GET' && !isComments) return send(res, 200, issueJson(issue))
    return error(res, 404, 'Not Found', 'https://docs.github.com/rest')
  }

  const listIssues = (res: ServerResponse, url: URL, query: Record<string, string>): void => {
    const state = query['state'] ?? 'open'
    const perPage = Math.min(Math.max(Number(query['per_page'] ?? 30) || 30, 1), 100)
    const page = Math.max(Number(query['page'] ?? 1) || 1, 1)
    const direction = query['direction'] ?? 'desc'
    const sort = query['sort'] ?? 'created'
    const key = (i: StoredIssue): string => (sort === 'updated' ? i.updatedAt : i.createdAt)
    const wantedLabels = (query['labels'] ?? '')
      .split(',')
      .map(l => l.trim().toLowerCase())
      .filter(l => l !== '')
    const creator = query['creator']?.toLowerCase()
    const selected = issues
      .filter(i => !i.deleted && (state === 'all' || i.state === state))
      .filter(i => wantedLabels.every(w => i.labels.some(l => l.toLowerCase() === w)))
      .filter(i => creator === undefined || i.user.toLowerCase() === creator)
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (direction === 'asc' ? 1 : -1))
    const lastPage = Math.max(1, Math.ceil(selected.length / perPage))
    const slice = selected.slice((page - 1) * perPage, page * perPage)
    const link = (p: number, rel: string): string => {
      const u = new URL(url.toString())
      u.searchParams.set('page', String(p))
      u.searchParams.set('per_page', String(perPage))
      return `<${u.toString()}>; rel="${rel}"`
    }
    const links: string[] = []
    if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'))
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'))
    send(res, 200, slice.map(issueJson), links.length > 0 ? { link: links.join(', ') } : {})
  }

  const handleLabels = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    m: RegExpExecArray,
    grant: TokenGrant
  ): Promise<void> => {
    if (`${m[1]}/${m[2]}` !== options.repository) return error(res, 404, 'Not Found', `${DOCS}/labels`)
    if (m[3] !== undefined) {
      const label = method === 'GET' ? findLabel(decodeURIComponent(m[3])) : undefined
      if (label === undefined) return error(res, 404, 'Not Found', `${DOCS}/labels#get-a-label`)
      return send(res, 200, labelJson(label))
    }
    if (method === 'GET') return send(res, 200, labels.map(labelJson))
    if (method !== 'POST') return error(res, 404, 'Not Found', 'https://docs.github.com/rest')
    if (grant.issues !== 'write' || grant.labels === false) {
      return error(res, 403, 'Resource not accessible by integration', `${DOCS}/labels#create-a-label`, {
        'x-accepted-github-permissions': 'issues=write; pull_requests=write'
      })
    }
    const body = await readJson(req)
    const name = body?.['name']
    if (typeof name !== 'string' || name === '') {
      return send(res, 422, {
        message: 'Validation Failed',
        errors: [{ resource: 'Label', code: 'missing_field', field: 'name' }],
        documentation_url: `${DOCS}/labels#create-a-label`,
        status: '422'
      })
    }
    if (findLabel(name) !== undefined) {
      return send(res, 422, {
        message: 'Validation Failed',
        errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
        documentation_url: `${DOCS}/labels#create-a-label`,
        status: '422'
      })
    }
    const color = typeof body!['color'] === 'string' ? body!['color'].replace(/^#/, '') : 'ededed'
    const description = typeof body!['description'] === 'string' ? body!['description'] : null
    const label = addLabel(name, color, description)
    return send(res, 201, labelJson(label), { location: String(labelJson(label)['url']) })
  }

  /** GraphQL: only `{ viewer { login } }`, which GitHub answers for users and installations alike. */
  const handleGraphql = async (req: IncomingMessage, res: ServerResponse, grant: TokenGrant): Promise<void> => {
    const body = await readJson(req)
    const query = typeof body?.['query'] === 'string' ? body['query'] : ''
    if (!/\bviewer\s*\{\s*login\s*\}/.test(query)) {
      return send(res, 200, { errors: [{ message: 'this stand-in answers only { viewer { login } }' }] })
    }
    return send(res, 200, { data: { viewer: { login: grant.login } } })
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) error(res, 500, `stand-in failure: ${String(e)}`, 'https://docs.github.com/rest')
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://${options.host}:${port}`
  base = `${origin}${prefix}`

  const api: GitHubApiServer = {
    url: base,
    issues,
    labels,
    issuesDisabled: false,
    requests,
    exhaustRateLimit(seconds) {
      rateLimitedUntil = Date.now() / 1000 + seconds
    },
    seed(input) {
      const created = now()
      const number = nextNumber++
      const stored: StoredIssue = {
        number,
        id: 90000 + number,
        title: input.title,
        body: input.body,
        state: input.state ?? 'open',
        stateReason: null,
        duplicateOf: null,
        user: input.user ?? 'octocat',
        labels: (input.labels ?? []).map(n => (findLabel(n) ?? addLabel(n)).name),
        isPullRequest: input.pullRequest ?? false,
        createdAt: created,
        updatedAt: created,
        closedAt: input.state === 'closed' ? created : null,
        deleted: false,
        comments: []
      }
      issues.push(stored)
      return stored
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
  return api
}
