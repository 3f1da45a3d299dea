// A local stand-in for the GitHub REST API, for the issue endpoints the drift issue uses. It
// follows GitHub's documented contract (docs.github.com/rest/issues): the list endpoint returns
// pull requests too (with a `pull_request` key), paginates with `per_page`/`page` and a `Link`
// header, caps per_page at 100; create answers 201 with a Location header; errors are JSON
// `{ message, documentation_url, status }` with 401 for a bad token, 403 for a token without the
// permission (with X-Accepted-GitHub-Permissions), 404 for a repository the token cannot see,
// 422 for a missing title. An optional path prefix stands for GitHub Enterprise Server's /api/v3.

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
  title: string
  body: string | null
  state: 'open' | 'closed'
  stateReason: 'completed' | 'not_planned' | 'reopened' | null
  readonly user: string
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
}

export interface GitHubApiServer {
  readonly url: string
  readonly issues: StoredIssue[]
  readonly requests: RequestRecord[]
  /** Repository setting: with issues disabled, every issue endpoint answers 410 Gone. */
  issuesDisabled: boolean
  /** Answers every request with the primary rate-limit 403 for this many seconds. */
  exhaustRateLimit(seconds: number): void
  /** Adds an issue or pull request as if someone else had opened it. */
  seed(issue: { title: string; body: string | null; pullRequest?: boolean; state?: 'open' | 'closed' }): StoredIssue
  close(): Promise<void>
}

const DOCS = 'https://docs.github.com/rest/issues'

export async function startGitHubApiServer(options: {
  host: string
  /** owner/name of the one repository this server knows. */
  repository: string
  tokens: Record<string, TokenGrant>
  /** e.g. '/api/v3' for GitHub Enterprise Server; '' for github.com. */
  pathPrefix?: string
}): Promise<GitHubApiServer> {
  let rateLimitedUntil = 0
  const prefix = options.pathPrefix ?? ''
  const issues: StoredIssue[] = []
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
      id: 90000 + i.number,
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
      user: { login: i.user, id: 41898282, type: i.user.endsWith('[bot]') ? 'Bot' : 'User' },
      labels: [],
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

    if (!url.pathname.startsWith(`${prefix}/`)) return error(res, 404, 'Not Found', 'https://docs.github.com/rest')
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

    const m = /^\/repos\/([^/]+)\/([^/]+)\/issues(?:\/(\d+)(\/comments)?)?$/.exec(path)
    if (m === null) return error(res, 404, 'Not Found', 'https://docs.github.com/rest')
    // A repository the token cannot see is a 404, exactly like one that does not exist.
    if (`${m[1]}/${m[2]}` !== options.repository) return error(res, 404, 'Not Found', `${DOCS}/issues`)
    if (api.issuesDisabled) return error(res, 410, 'Issues are disabled for this repo', `${DOCS}/issues`)
    const number = m[3] === undefined ? undefined : Number(m[3])
    const isComments = m[4] !== undefined

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
      const created = now()
      const stored: StoredIssue = {
        number: nextNumber++,
        title: body['title'],
        body: typeof body['body'] === 'string' ? body['body'] : null,
        state: 'open',
        stateReason: null,
        user: grant.login,
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

    if (method === 'PATCH' && !isComments) {
      if (!canWrite) return forbidden(`${DOCS}/issues#update-an-issue`)
      const body = await readJson(req)
      if (body === undefined) return error(res, 400, 'Problems parsing JSON', `${DOCS}/issues#update-an-issue`)
      if (typeof body['title'] === 'string') issue.title = body['title']
      if (typeof body['body'] === 'string' || body['body'] === null) issue.body = body['body']
      if (body['state'] === 'closed' && issue.state === 'open') {
        issue.state = 'closed'
        issue.closedAt = now()
        const reason = body['state_reason']
        issue.stateReason = reason === 'not_planned' ? 'not_planned' : 'completed'
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
          user: { login: comment.user },
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
    const selected = issues
      .filter(i => !i.deleted && (state === 'all' || i.state === state))
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
    issuesDisabled: false,
    requests,
    exhaustRateLimit(seconds) {
      rateLimitedUntil = Date.now() / 1000 + seconds
    },
    seed(input) {
      const created = now()
      const stored: StoredIssue = {
        number: nextNumber++,
        title: input.title,
        body: input.body,
        state: input.state ?? 'open',
        stateReason: null,
        user: 'octocat',
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
