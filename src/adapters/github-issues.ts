// GitHub issues through the REST API with @actions/github's Octokit: list, create, update,
// comment, close. Thin on purpose; what to do with them is decided in src/core/drift-issue.ts.

import { getOctokit } from '@actions/github'
import type { FoundIssue } from '../core/drift-issue.ts'

export interface IssueRef {
  readonly number: number
  readonly url: string
}

export interface IssueTracker {
  /** The oldest open issue (pull requests excluded) whose body satisfies `matches`. */
  findOpenIssue(matches: (body: string) => boolean): Promise<(FoundIssue & IssueRef) | undefined>
  createIssue(title: string, body: string): Promise<IssueRef>
  updateIssueBody(number: number, body: string): Promise<IssueRef>
  addComment(number: number, body: string): Promise<void>
  closeIssue(number: number): Promise<IssueRef>
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

  return {
    findOpenIssue: matches =>
      call('list', async () => {
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
            if (matches(body)) return { number: issue.number, body, url: issue.html_url }
          }
        }
        return undefined
      }),
    createIssue: (title, body) =>
      call('create', async () => {
        const { data } = await octokit.rest.issues.create({ ...where, title, body })
        return { number: data.number, url: data.html_url }
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
    closeIssue: number =>
      call('close', async () => {
        const { data } = await octokit.rest.issues.update({
          ...where,
          issue_number: number,
          state: 'closed',
          state_reason: 'completed'
        })
        return { number: data.number, url: data.html_url }
      })
  }
}

type Operation = 'list' | 'create' | 'update' | 'comment' | 'close'

const DOING: Record<Operation, string> = {
  list: 'list the open issues of',
  create: 'open an issue in',
  update: 'update an issue in',
  comment: 'comment on an issue in',
  close: 'close an issue in'
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
      if (operation !== 'list' && operation !== 'create') {
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
    default:
      return new GitHubIssuesError(
        `GitHub issues: ${doing}: ${status ?? ''} ${apiMessage}`.replace(/\s+/g, ' '),
        status
      )
  }
}
