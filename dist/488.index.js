export const id = 488;
export const ids = [488];
export const modules = {

/***/ 36488:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GITHUB_ACTIONS_LOGIN: () => (/* binding */ GITHUB_ACTIONS_LOGIN),
/* harmony export */   GitHubIssuesError: () => (/* binding */ GitHubIssuesError),
/* harmony export */   createGitHubIssues: () => (/* binding */ createGitHubIssues)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(61075);
// GitHub issues through the REST API with @actions/github's Octokit: list, create, update,
// comment, label, close, and who the token acts as. Thin on purpose; what to do with them is
// decided in src/core/drift-issue.ts and src/steps/drift-issue.ts.

/** The login every GITHUB_TOKEN acts as. */
const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]';
class GitHubIssuesError extends Error {
    name = 'GitHubIssuesError';
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
function createGitHubIssues(options) {
    const [owner, repo, ...rest] = options.repository.split('/');
    if (!owner || !repo || rest.length > 0) {
        throw new GitHubIssuesError(`GitHub issues: GITHUB_REPOSITORY is "${options.repository}", expected owner/name (is this running on a GitHub runner?)`, undefined);
    }
    if (options.token === '') {
        throw new GitHubIssuesError('GitHub issues: github-token is empty; drift-issue needs a token with issues: write', undefined);
    }
    // getOctokit reads GITHUB_API_URL when @actions/github is loaded; passing it again keeps the
    // base explicit (and lets a caller in the same process choose another).
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(options.token, { baseUrl: options.apiUrl.replace(/\/+$/, '') });
    const where = { owner, repo };
    const call = async (operation, request) => {
        try {
            return await request();
        }
        catch (error) {
            throw describeError(error, operation, options);
        }
    };
    const label = (l) => (typeof l === 'string' ? l : (l.name ?? ''));
    return {
        findOpenIssues: matches => call('list', async () => {
            const found = [];
            const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
                ...where,
                state: 'open',
                sort: 'created',
                direction: 'asc',
                per_page: 100
            });
            for await (const page of pages) {
                for (const issue of page.data) {
                    // The issues endpoint lists pull requests too; they carry a pull_request key.
                    if (issue.pull_request !== undefined && issue.pull_request !== null)
                        continue;
                    const body = issue.body ?? '';
                    if (!matches(body))
                        continue;
                    found.push({
                        number: issue.number,
                        id: issue.id,
                        body,
                        url: issue.html_url,
                        author: { login: issue.user?.login ?? '', type: issue.user?.type ?? '' },
                        labels: issue.labels.map(label)
                    });
                }
            }
            return found;
        }),
        identity: async () => {
            try {
                const { data } = await octokit.rest.users.getAuthenticated();
                return { login: data.login, source: 'user' };
            }
            catch (error) {
                const status = error.status;
                // 401 is a bad token, which every other call would meet too: say so now.
                if (status === 401 || typeof status !== 'number')
                    throw describeError(error, 'identify', options);
                // 403 "Resource not accessible by integration": an installation token, which has no user.
            }
            try {
                const result = await octokit.graphql('query { viewer { login } }');
                const login = result.viewer?.login;
                if (typeof login === 'string' && login !== '')
                    return { login, source: 'viewer' };
            }
            catch {
                // GraphQL unavailable to this token or server: fall through to GITHUB_TOKEN's identity.
            }
            return { login: GITHUB_ACTIONS_LOGIN, source: 'assumed' };
        },
        ensureLabel: (name, color, description) => call('label', async () => {
            try {
                await octokit.rest.issues.createLabel({ ...where, name, color, description });
            }
            catch (error) {
                const e = error;
                if (e.status === 422 && (e.response?.data?.errors ?? []).some(x => x.code === 'already_exists'))
                    return;
                throw error;
            }
        }),
        addLabels: (number, labels) => call('label-issue', async () => {
            await octokit.rest.issues.addLabels({ ...where, issue_number: number, labels: [...labels] });
        }),
        createIssue: (title, body, labels) => call('create', async () => {
            const { data } = await octokit.rest.issues.create({
                ...where,
                title,
                body,
                ...(labels !== undefined && labels.length > 0 ? { labels: [...labels] } : {})
            });
            return { number: data.number, url: data.html_url, author: data.user?.login ?? '' };
        }),
        updateIssueBody: (number, body) => call('update', async () => {
            const { data } = await octokit.rest.issues.update({ ...where, issue_number: number, body });
            return { number: data.number, url: data.html_url };
        }),
        addComment: (number, body) => call('comment', async () => {
            await octokit.rest.issues.createComment({ ...where, issue_number: number, body });
        }),
        closeIssue: (number, reason = { kind: 'completed' }) => call('close', async () => {
            const close = (state_reason) => octokit.rest.issues.update({
                ...where,
                issue_number: number,
                state: 'closed',
                state_reason,
                ...(state_reason === 'duplicate' && reason.kind === 'duplicate' ? { duplicate_issue_id: reason.of.id } : {})
            });
            if (reason.kind === 'completed') {
                const { data } = await close('completed');
                return { number: data.number, url: data.html_url };
            }
            try {
                const { data } = await close('duplicate');
                return { number: data.number, url: data.html_url };
            }
            catch (error) {
                if (error.status !== 422)
                    throw error;
                const { data } = await close('not_planned');
                return { number: data.number, url: data.html_url };
            }
        })
    };
}
const DOING = {
    list: 'list the open issues of',
    create: 'open an issue in',
    update: 'update an issue in',
    comment: 'comment on an issue in',
    close: 'close an issue in',
    label: 'create a label in',
    'label-issue': 'label an issue in',
    identify: 'tell who the token acts as in'
};
/** Turns an Octokit RequestError into a sentence that says what to change. */
function describeError(error, operation, options) {
    const e = error;
    const status = typeof e.status === 'number' ? e.status : undefined;
    const apiMessage = typeof e.response?.data?.message === 'string'
        ? e.response.data.message
        : typeof e.message === 'string'
            ? e.message
            : String(error);
    const doing = `could not ${DOING[operation]} ${options.repository}`;
    if (e.response === undefined) {
        return new GitHubIssuesError(`GitHub issues: ${doing}: ${apiMessage} (API ${options.apiUrl})`, status);
    }
    const headers = e.response.headers ?? {};
    switch (status) {
        case 401:
            return new GitHubIssuesError(`GitHub issues: ${doing}: the token was rejected (401 ${apiMessage}); check the github-token input`, status);
        case 403:
        case 429: {
            if (headers['x-ratelimit-remaining'] === '0' ||
                headers['retry-after'] !== undefined ||
                /rate limit/i.test(apiMessage)) {
                const reset = Number(headers['x-ratelimit-reset']);
                const retryAfter = Number(headers['retry-after']);
                const when = headers['retry-after'] !== undefined && Number.isFinite(retryAfter)
                    ? `; retry after ${retryAfter} s`
                    : headers['x-ratelimit-reset'] !== undefined && Number.isFinite(reset)
                        ? `; the limit resets at ${new Date(reset * 1000).toISOString()}`
                        : '';
                return new GitHubIssuesError(`GitHub issues: ${doing}: rate limited (${status} ${apiMessage})${when}`, status);
            }
            const accepted = headers['x-accepted-github-permissions'];
            return new GitHubIssuesError(`GitHub issues: ${doing}: the token lacks permission (403 ${apiMessage}). ` +
                'Give the job `permissions: issues: write` in the workflow' +
                (accepted !== undefined ? ` (GitHub accepts: ${String(accepted)})` : '') +
                ', or use a github-token that may write issues', status);
        }
        case 404:
        case 410:
            // On one issue (update, comment, close) the issue itself may be gone: deleted (410) or
            // transferred (404) since it was listed; the next check then opens a new one.
            if (operation !== 'list' && operation !== 'create' && operation !== 'label' && operation !== 'identify') {
                return new GitHubIssuesError(`GitHub issues: ${doing}: the issue is gone (${status} ${apiMessage}); it was deleted or transferred since it was listed, and the next check that finds drift opens a new one`, status);
            }
            if (status === 410) {
                return new GitHubIssuesError(`GitHub issues: ${doing}: issues are disabled for this repository (410 ${apiMessage}); enable them or set drift-issue: false`, status);
            }
            return new GitHubIssuesError(`GitHub issues: ${doing}: not found (404 ${apiMessage}); check GITHUB_REPOSITORY and that the token can see the repository` +
                (options.apiUrl.includes('api.github.com') ? '' : ` at ${options.apiUrl}`), status);
        case 422:
            // Validation Failed: GitHub lists what it refused in `errors` ({field, code} or a `custom`
            // code with its own message, e.g. "title is too long (maximum is 256 characters)").
            return new GitHubIssuesError(`GitHub issues: ${doing}: GitHub refused the request as invalid (422 ${apiMessage}` +
                `${validationDetails(e.response.data)}); the action keeps titles and bodies within GitHub's limits ` +
                '(256 and 65,536 characters), so this is a rule of this server (GitHub Enterprise Server may be older or ' +
                'configured differently) or a defect to report', status);
        default:
            return new GitHubIssuesError(`GitHub issues: ${doing}: ${status ?? ''} ${apiMessage}`.replace(/\s+/g, ' '), status);
    }
}
/** `: title: title is too long (…); labels invalid` from a 422 body's `errors`, or nothing. */
function validationDetails(data) {
    const errors = data?.errors;
    if (!Array.isArray(errors))
        return '';
    const parts = errors.slice(0, 5).map((raw) => {
        if (typeof raw === 'string')
            return raw;
        const x = (raw ?? {});
        const field = typeof x.field === 'string' ? x.field : undefined;
        if (typeof x.message === 'string')
            return field === undefined ? x.message : `${field}: ${x.message}`;
        const code = typeof x.code === 'string' ? x.code.replace(/_/g, ' ') : 'invalid';
        return field === undefined ? code : `${field} ${code}`;
    });
    return parts.length === 0 ? '' : `: ${parts.join('; ')}`;
}


/***/ })

};
