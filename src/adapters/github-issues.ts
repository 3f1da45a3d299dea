// GitHub issues through the REST API with @actions/github's Octokit: list, create, update,
// comment, label, close, and who the token acts as. Thin on purpose; what to do with them is
// decided in src/core/drift-issue.ts and src/steps/drift-issue.ts.

import { getOctokit } from '@actions/github'
import type { FoundIssue } from '../core/drift-issue.ts'

export interface IssueRef {
  readonly number: number
  readonly url: string
}

/** An open issue as listed: who opened it and how it is labelled decide whether it is ours. */
export interface ListedIssue extends FoundIssue, IssueRef {
  /** GitHub's database id, which duplicate_issue_id refers to (not the number). */
  readonly id: number
  /** The login that opened the issue and its account type ('User', 'Bot', ...). */
  readonly author: { readonly login: string; readonly type: string }
  readonly labels: readonly string[]
}

/** Who the token acts as, and how that was learnt. */
export interface TokenIdentity {
  readonly login: string
  /**
   * user: GET /user answered (a personal access token); viewer: GraphQL `viewer` answered (an
   * installation token: GITHUB_TOKEN or a GitHub App's, `<app-slug>[bot]`); assumed: neither
   * answered, and the token is taken to be GITHUB_TOKEN (`github-actions[bot]`).
   */
  readonly source: 'user' | 'viewer' | 'assumed'
}

/** The login every GITHUB_TOKEN acts as. */
export const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]'

export type CloseReason = { readonly kind: 'completed' } | { readonly kind: 'duplicate'; readonly of: ListedIssue }

export interface IssueTracker {
  /** Every open issue (pull requests excluded) whose body satisfies `matches`, oldest first. */
  findOpenIssues(matches: (body: string) => boolean): Promise<ListedIssue[]>
  /** Who the token acts as: GET /user, else GraphQL viewer, else GITHUB_TOKEN's bot. */
  identity(): Promise<TokenIdentity>
  /** Creates the label in the repository; one that already exists (422 already_exists) is fine. */
  ensureLabel(name: string, color: string, description: string): Promise<void>
  addLabels(number: number, labels: readonly string[]): Promise<void>
  createIssue(title: string, body: string, labels?: readonly string[]): Promise<IssueRef & { author: string }>
  updateIssueBody(number: number, body: string): Promise<IssueRef>
  addComment(number: number, body: string): Promise<void>
  /**
   * Closes as completed, or as a duplicate of another issue (state_reason duplicate with
   * duplicate_issue_id; a server that does not know that reason, such as an older GitHub
   * Enterprise Server, answers 422 and gets not_planned instead).
   */
  closeIssue(number: number, reason?: CloseReason): Promise<IssueRef>
}

export class GitHubIssuesError extends Error {
  override name = 'GitHubIssuesError'
  readonly status: number | undefined
  constructor(message: string, status: number | undefined) {
    super(message)
    this.status = status
  }
}

export interface GitHubIssuesOptions {
  readonly token: string
  /** owner/name, as in GITHUB_REPOSITORY. */
  readonly repository: string
  /** REST API base, as in GITHUB_API_URL (https://api.github.com, or https://HOST/api/v3 on GHES). */
  readonly apiUrl: string
}

export function createGitHubIssues(options: GitHubIssuesOptions): IssueTracker {
  const [owner, repo, ...rest] = options.repository.split('/')
  if (!owner || !repo || rest.length > 0) {
    throw new GitHubIssuesError(
      `GitHub issues: GITHUB_REPOSITORY is "${options.repository}", expected owner/name (is this running on a GitHub runner?)`,
      undefined
    )
  }
  if (options.token === '') {
    throw new GitHubIssuesError(
      'GitHub issues: github-token is empty; drift-issue needs a token with issues: write',
      undefined
    )
  }
  // getOctokit reads GITHUB_API_URL when @actions/github is loaded; passing it again keeps the
  // base explicit (and lets a caller in the same process choose another).
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl.replace(/\/+$/, '') })
  const where = { owner, repo }
  const call = async <T>(operation: Operation, request: () => Promise<T>): Promise<T> => {
    try {
      return await request()
    } catch (error) {
      throw describeError(error, operation, options)
    }
  }

  const label = (l: string | { name?: string | undefined }): string => (typeof l === 'string' ? l : (l.name ?? ''))
  return {
    findOpenIssues: matches =>
      call('list', async () => {
        const found: ListedIssue[] = []
        const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
          ...where,
          state: 'open',
          sort: 'created',
          direction: 'asc',
          per_page: 100
        })
        for await (const page of pages) {
          for (const issue of page.data) {
            // The issues endpoint lists pull requests too; they carry a pull_request key.
            if (issue.pull_request !== undefined && issue.pull_request !== null) continue
            const body = issue.body ?? ''
            if (!matches(body)) continue
            found.push({
              number: issue.number,
              id: issue.id,
              body,
              url: issue.html_url,
              author: { login: issue.user?.login ?? '', type: issue.user?.type ?? '' },
              labels: issue.labels.map(label)
            })
          }
        }
        return found
      }),
    identity: async () => {
      try {
        const { data } = await octokit.rest.users.getAuthenticated()
        return { login: data.login, source: 'user' }
      } catch (error) {
        const status = (error as { status?: unknown }).status
        // 401 is a bad token, which every other call would meet too: say so now.
        if (status === 401 || typeof status !== 'number') throw describeError(error, 'identify', options)
        // 403 "Resource not accessible by integration": an installation token, which has no user.
      }
      try {
        const result = await octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }')
        const login = result.viewer?.login
        if (typeof login === 'string' && login !== '') return { login, source: 'viewer' }
      } catch {
        // GraphQL unavailable to this token or server: fall through to GITHUB_TOKEN's identity.
      }
      return { login: GITHUB_ACTIONS_LOGIN, source: 'assumed' }
    },
    ensureLabel: (name, color, description) =>
      call('label', async () => {
        try {
          await octokit.rest.issues.createLabel({ ...where, name, color, description })
        } catch (error) {
          const e = error as { status?: unknown; response?: { data?: { errors?: { code?: unknown }[] } } }
          if (e.status === 422 && (e.response?.data?.errors ?? []).some(x => x.code === 'already_exists')) return
          throw error
        }
      }),
    addLabels: (number, labels) =>
      call('label-issue', async () => {
        await octokit.rest.issues.addLabels({ ...where, issue_number: number, labels: [...labels] })
      }),
    createIssue: (title, body, labels) =>
      call('create', async () => {
        const { data } = await octokit.rest.issues.create({
          ...where,
          title,
          body,
          ...(labels !== undefined && labels.length > 0 ? { labels: [...labels] } : {})
        })
        return { number: data.number, url: data.html_url, author: data.user?.login ?? '' }
      }),
    updateIssueBody: (number, body) =>
      call('update', async () => {
        const { data } = await octokit.rest.issues.update({ ...where, issue_number: number, body })
        return { number: data.number, url: data.html_url }
      }),
    addComment: (number, body) =>
      call('comment', async () => {
        await octokit.rest.issues.createComment({ ...where, issue_number: number, body })
      }),
    closeIssue: (number, reason = { kind: 'completed' }) =>
      call('close', async () => {
        const close = (state_reason: 'completed' | 'not_planned' | 'duplicate') =>
          octokit.rest.issues.update({
            ...where,
            issue_number: number,
            state: 'closed',
            state_reason,
            ...(state_reason === 'duplicate' && reason.kind === 'duplicate' ? { duplicate_issue_id: reason.of.id } : {})
          })
        if (reason.kind === 'completed') {
          const { data } = await close('completed')
          return { number: data.number, url: data.html_url }
        }
        try {
          const { data } = await close('duplicate')
          return { number: data.number, url: data.html_url }
        } catch (error) {
          if ((error as { status?: unknown }).status !== 422) throw error
          const { data } = await close('not_planned')
          return { number: data.number, url: data.html_url }
        }
      })
  }
}

type Operation = 'list' | 'create' | 'update' | 'comment' | 'close' | 'label' | 'label-issue' | 'identify'

const DOING: Record<Operation, string> = {
  list: 'list the open issues of',
  create: 'open an issue in',
  update: 'update an issue in',
  comment: 'comment on an issue in',
  close: 'close an issue in',
  label: 'create a label in',
  'label-issue': 'label an issue in',
  identify: 'tell who the token acts as in'
}

/** Turns an Octokit RequestError into a sentence that says what to change. */
function describeError(error: unknown, operation: Operation, options: GitHubIssuesOptions): GitHubIssuesError {
  const e = error as {
    status?: unknown
    message?: unknown
    response?: { data?: unknown; headers?: Record<string, string | number | undefined> }
  }
  const status = typeof e.status === 'number' ? e.status : undefined
  const apiMessage =
    typeof (e.response?.data as { message?: unknown } | undefined)?.message === 'string'
      ? (e.response!.data as { message: string }).message
      : typeof e.message === 'string'
        ? e.message
        : String(error)
  const doing = `could not ${DOING[operation]} ${options.repository}`
  if (e.response === undefined) {
    return new GitHubIssuesError(`GitHub issues: ${doing}: ${apiMessage} (API ${options.apiUrl})`, status)
  }
  const headers = e.response.headers ?? {}
  switch (status) {
    case 401:
      return new GitHubIssuesError(
        `GitHub issues: ${doing}: the token was rejected (401 ${apiMessage}); check the github-token input`,
        status
      )
    case 403:
    case 429: {
      if (
        headers['x-ratelimit-remaining'] === '0' ||
        headers['retry-after'] !== undefined ||
        /rate limit/i.test(apiMessage)
      ) {
        const reset = Number(headers['x-ratelimit-reset'])
        const retryAfter = Number(headers['retry-after'])
        const when =
          headers['retry-after'] !== undefined && Number.isFinite(retryAfter)
            ? `; retry after ${retryAfter} s`
            : headers['x-ratelimit-reset'] !== undefined && Number.isFinite(reset)
              ? `; the limit resets at ${new Date(reset * 1000).toISOString()}`
              : ''
        return new GitHubIssuesError(`GitHub issues: ${doing}: rate limited (${status} ${apiMessage})${when}`, status)
      }
      const accepted = headers['x-accepted-github-permissions']
      return new GitHubIssuesError(
        `GitHub issues: ${doing}: the token lacks permission (403 ${apiMessage}). ` +
          'Give the job `permissions: issues: write` in the workflow' +
          (accepted !== undefined ? ` (GitHub accepts: ${String(accepted)})` : '') +
          ', or use a github-token that may write issues',
        status
      )
    }
    case 404:
    case 410:
      // On one issue (update, comment, close) the issue itself may be gone: deleted (410) or
      // transferred (404) since it was listed; the next check then opens a new one.
      if (operation !== 'list' && operation !== 'create' && operation !== 'label' && operation !== 'identify') {
        return new GitHubIssuesError(
          `GitHub issues: ${doing}: the issue is gone (${status} ${apiMessage}); it was deleted or transferred since it was listed, and the next check that finds drift opens a new one`,
          status
        )
      }
      if (status === 410) {
        return new GitHubIssuesError(
          `GitHub issues: ${doing}: issues are disabled for this repository (410 ${apiMessage}); enable them or set drift-issue: false`,
          status
        )
      }
      return new GitHubIssuesError(
        `GitHub issues: ${doing}: not found (404 ${apiMessage}); check GITHUB_REPOSITORY and that the token can see the repository` +
          (options.apiUrl.includes('api.github.com') ? '' : ` at ${options.apiUrl}`),
        status
      )
    case 422:
      // Validation Failed: GitHub lists what it refused in `errors` ({field, code} or a `custom`
      // code with its own message, e.g. "title is too long (maximum is 256 characters)").
      return new GitHubIssuesError(
        `GitHub issues: ${doing}: GitHub refused the request as invalid (422 ${apiMessage}` +
          `${validationDetails(e.response.data)}); the action keeps titles and bodies within GitHub's limits ` +
          '(256 and 65,536 characters), so this is a rule of this server (GitHub Enterprise Server may be older or ' +
          'configured differently) or a defect to report',
        status
      )
    default:
      return new GitHubIssuesError(
        `GitHub issues: ${doing}: ${status ?? ''} ${apiMessage}`.replace(/\s+/g, ' '),
        status
      )
  }
}

/** `: title: title is too long (…); labels invalid` from a 422 body's `errors`, or nothing. */
function validationDetails(data: unknown): string {
  const errors = (data as { errors?: unknown } | undefined)?.errors
  if (!Array.isArray(errors)) return ''
  const parts = errors.slice(0, 5).map((raw: unknown) => {
    if (typeof raw === 'string') return raw
    const x = (raw ?? {}) as { field?: unknown; code?: unknown; message?: unknown }
    const field = typeof x.field === 'string' ? x.field : undefined
    if (typeof x.message === 'string') return field === undefined ? x.message : `${field}: ${x.message}`
    const code = typeof x.code === 'string' ? x.code.replace(/_/g, ' ') : 'invalid'
    return field === undefined ? code : `${field} ${code}`
  })
  return parts.length === 0 ? '' : `: ${parts.join('; ')}`
}
