export const id = 674;
export const ids = [674];
export const modules = {

/***/ 4674:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AZURE_ID_TOKEN_AUDIENCE: () => (/* binding */ AZURE_ID_TOKEN_AUDIENCE),
/* harmony export */   AZURE_RETRY: () => (/* binding */ AZURE_RETRY),
/* harmony export */   DNS_ROLE: () => (/* binding */ DNS_ROLE),
/* harmony export */   createAzureCredential: () => (/* binding */ createAzureCredential),
/* harmony export */   createAzureDnsProvider: () => (/* binding */ createAzureDnsProvider),
/* harmony export */   relativeName: () => (/* binding */ relativeName),
/* harmony export */   resolveAzureEndpoints: () => (/* binding */ resolveAzureEndpoints)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1245);
/* harmony import */ var _github_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9115);
/* harmony import */ var _azure_arm_dns__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4163);
/* harmony import */ var _azure_identity__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4261);
/* harmony import */ var _core_names_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2345);
/* harmony import */ var _provider_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(654);
// Azure DNS through Azure Resource Manager (@azure/arm-dns, api-version 2018-05-01). Every write is
// a PUT of the whole record set made conditional on what was read: `If-None-Match: *` for a new
// set, `If-Match: <etag>` for an existing one, so a concurrent change turns into a 412 that the
// caller answers by reading again, never into a silent overwrite.






/** The audience GitHub's OIDC token must carry for a Microsoft Entra federated credential. */
const AZURE_ID_TOKEN_AUDIENCE = 'api://AzureADTokenExchange';
/** The role that lets an identity read and write record sets, assigned on the zone. */
const DNS_ROLE = 'DNS Zone Contributor';
// Per cloud, as `az cloud show` lists them (resourceManager, activeDirectory).
const CLOUDS = {
    AzureCloud: { resourceManager: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com' },
    AzureUSGovernment: {
        resourceManager: 'https://management.usgovcloudapi.net',
        authorityHost: 'https://login.microsoftonline.us'
    },
    AzureChinaCloud: {
        resourceManager: 'https://management.chinacloudapi.cn',
        authorityHost: 'https://login.chinacloudapi.cn'
    }
};
// MSAL knows these hosts; for any other authority (AZURE_AUTHORITY_HOST pointing at a private
// cloud or a local stand-in) it would ask login.microsoftonline.com's instance-discovery endpoint
// about it, which @azure/identity documents turning off with disableInstanceDiscovery.
const MICROSOFT_AUTHORITY_HOSTS = new Set(Object.values(CLOUDS).map(c => new URL(c.authorityHost).host));
/**
 * Transient faults: ARM answers 429 with Retry-After when throttling and 5xx when a front end is
 * unwell. The SDK's own retry policy handles both (Retry-After honoured, exponential backoff
 * otherwise); these bound it. maxRetries survives at least three 429s in a row, and each
 * operation has a time budget so a huge Retry-After cannot stall the run.
 */
const AZURE_RETRY = {
    maxRetries: 5,
    retryDelayInMs: 500,
    maxRetryDelayInMs: 8_000,
    operationBudgetMs: 90_000
};
function resolveAzureEndpoints(settings, env) {
    const cloud = CLOUDS[settings.environment];
    const resourceManager = (settings.resourceManagerEndpoint ?? cloud.resourceManager).replace(/\/+$/, '');
    const authorityHost = (env['AZURE_AUTHORITY_HOST'] || cloud.authorityHost).replace(/\/+$/, '');
    return { resourceManager, authorityHost, scope: `${resourceManager}/.default` };
}
/**
 * OIDC when client and tenant ids come without a secret (the runner's ID token is the client
 * assertion, fetched afresh on every token refresh); a client secret when one is given; otherwise
 * the default chain, so an `azure/login` step before this one just works.
 */
function createAzureCredential(settings, options = {}) {
    const env = options.env ?? process.env;
    const { authorityHost } = resolveAzureEndpoints(settings, env);
    let host;
    try {
        host = new URL(authorityHost).host;
    }
    catch {
        throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`Azure DNS: AZURE_AUTHORITY_HOST must be an https URL, got ${JSON.stringify(authorityHost)}`);
    }
    const disableInstanceDiscovery = !MICROSOFT_AUTHORITY_HOSTS.has(host);
    const common = { authorityHost, disableInstanceDiscovery };
    const { clientId, tenantId, clientSecret } = settings;
    if (clientId !== undefined && tenantId !== undefined && clientSecret !== undefined) {
        return {
            kind: 'secret',
            credential: new _azure_identity__WEBPACK_IMPORTED_MODULE_2__/* .ClientSecretCredential */ .HC(tenantId, clientId, clientSecret, common),
            description: `client secret of application ${clientId} in tenant ${tenantId}`
        };
    }
    if (clientId !== undefined && tenantId !== undefined) {
        const getIdToken = options.getIdToken ?? ((audience) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getIDToken */ .V9(audience));
        const getAssertion = async () => {
            try {
                return await getIdToken(AZURE_ID_TOKEN_AUDIENCE);
            }
            catch (error) {
                throw new IdTokenError(error);
            }
        };
        return {
            kind: 'oidc',
            credential: new _azure_identity__WEBPACK_IMPORTED_MODULE_2__/* .ClientAssertionCredential */ .XI(tenantId, clientId, getAssertion, common),
            description: `GitHub OIDC (federated credential) of application ${clientId} in tenant ${tenantId}`
        };
    }
    return {
        kind: 'default',
        credential: new _azure_identity__WEBPACK_IMPORTED_MODULE_2__/* .DefaultAzureCredential */ .gv(common),
        description: 'the default Azure credential chain (environment, workload identity, managed identity, Azure CLI)'
    };
}
const ID_TOKEN_FAILURE = 'Azure DNS: the runner gave no OIDC ID token';
/** The runner would not hand out an ID token (usually: the job lacks `id-token: write`). */
class IdTokenError extends Error {
    constructor(cause) {
        super(`${ID_TOKEN_FAILURE} (${cause instanceof Error ? cause.message : String(cause)}); give the job \`permissions: id-token: write\` (and contents: read), or pass azure-client-secret`, { cause });
        this.name = 'IdTokenError';
    }
}
async function createAzureDnsProvider(settings, options = {}) {
    const env = options.env ?? process.env;
    const endpoints = resolveAzureEndpoints(settings, env);
    const choice = createAzureCredential(settings, options);
    const client = new _azure_arm_dns__WEBPACK_IMPORTED_MODULE_5__/* .DnsManagementClient */ .Cs(choice.credential, settings.subscriptionId, {
        endpoint: endpoints.resourceManager,
        credentialScopes: [endpoints.scope],
        retryOptions: {
            maxRetries: AZURE_RETRY.maxRetries,
            retryDelayInMs: AZURE_RETRY.retryDelayInMs,
            maxRetryDelayInMs: AZURE_RETRY.maxRetryDelayInMs
        },
        userAgentOptions: { userAgentPrefix: 'ldaps-dns-action' },
        additionalPolicies: [
            { policy: createTransientTransportPolicy(options.requestTimeoutMs ?? 30_000), position: 'perRetry' }
        ]
    });
    _github_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Azure DNS: ${endpoints.resourceManager}, subscription ${settings.subscriptionId}, signing in with ${choice.description}.`);
    return new AzureDnsProvider(client, settings, endpoints.resourceManager, choice);
}
/**
 * Makes two transport faults retriable by the SDK's own retry policy, which otherwise gives up on
 * both at once: a request whose answer is not complete within `timeoutMs` (the SDK sets no
 * per-request timeout, so a stalled connection would use up the whole operation budget), and an
 * answer whose body is cut off (the SDK reports it as a parse error). Both are rethrown as the
 * system errors the retry strategy knows (ETIMEDOUT, ECONNRESET); every ARM request here is safe
 * to repeat because writes carry If-Match / If-None-Match. The timeout covers the body too (the
 * SDK's own `timeout` stops counting at the headers).
 */
function createTransientTransportPolicy(timeoutMs) {
    return {
        name: 'ldapsDnsTransientTransport',
        async sendRequest(request, next) {
            const outer = request.abortSignal;
            const timer = AbortSignal.timeout(timeoutMs);
            request.abortSignal = outer === undefined ? timer : AbortSignal.any([outer, timer]);
            try {
                return await next(request);
            }
            catch (error) {
                if (outer?.aborted)
                    throw error;
                if (timer.aborted) {
                    throw transportError(`no complete answer within ${timeoutMs / 1000} s`, 'ETIMEDOUT', error);
                }
                const e = error;
                if (e.name === 'RestError' && e.code === 'PARSE_ERROR' && /^Error reading response/.test(e.message ?? '')) {
                    throw transportError(`the connection broke during the answer (${e.message})`, 'ECONNRESET', error);
                }
                throw error;
            }
            finally {
                request.abortSignal = outer;
            }
        }
    };
}
/** An error the SDK's retry policy treats as a network failure (it goes by name and code). */
function transportError(message, code, cause) {
    return Object.assign(new Error(message, { cause }), { name: 'RestError', code });
}
class AzureDnsProvider {
    displayName = 'Azure DNS';
    stats = { reads: 0, writes: 0 };
    client;
    settings;
    endpoint;
    credential;
    /** ETags of sets that exist but hold no records, so a "create" there is conditional too. */
    emptySets = new Map();
    constructor(client, settings, endpoint, credential) {
        this.client = client;
        this.settings = settings;
        this.endpoint = endpoint;
        this.credential = credential;
    }
    async findZone(domain, zoneHint) {
        const resourceGroup = this.settings.resourceGroup;
        if (zoneHint !== undefined && resourceGroup !== undefined) {
            // Both given: trust them and spend no request; a wrong one shows up on the first read.
            return { name: zoneHint, resourceGroup };
        }
        const zones = await this.listZones(resourceGroup);
        const candidates = zones
            .map(z => ({ name: normalizeZoneName(z.name ?? ''), resourceGroup: resourceGroupOf(z.id), id: z.id }))
            .filter(z => (zoneHint !== undefined ? z.name === zoneHint : (0,_core_names_js__WEBPACK_IMPORTED_MODULE_3__/* .isInZone */ .eI)(domain, z.name)));
        const longest = Math.max(0, ...candidates.map(z => z.name.length));
        const best = candidates.filter(z => z.name.length === longest);
        const where = `subscription ${this.settings.subscriptionId}${resourceGroup ? `, resource group ${resourceGroup}` : ''}`;
        if (best.length === 0) {
            const seen = zones.map(z => z.name ?? '?');
            throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`Azure DNS: no zone ${zoneHint ? `named ${zoneHint}` : `holding ${domain}`} in ${where} (the identity sees ${seen.length === 0
                ? 'no zones'
                : `${seen.length}: ${seen.slice(0, 10).join(', ')}${seen.length > 10 ? ', …' : ''}`}); create the zone, fix zone/azure-resource-group, or give the identity ${DNS_ROLE} on the zone`);
        }
        if (best.length > 1) {
            throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`Azure DNS: zone ${best[0].name} exists in several resource groups of subscription ${this.settings.subscriptionId} (${best
                .map(z => z.resourceGroup)
                .join(', ')}); set azure-resource-group to the one that is delegated`);
        }
        const found = best[0];
        if (found.resourceGroup === undefined) {
            throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`Azure DNS: zone ${found.name} came back without a resource id (${String(found.id)})`);
        }
        return { name: found.name, resourceGroup: found.resourceGroup, id: found.id };
    }
    async read(zone, name, type) {
        const resourceGroup = this.resourceGroupOf(zone);
        const relative = relativeName(name, zone.name);
        const [set, cname] = await Promise.all([
            this.getSet(resourceGroup, zone.name, relative, type),
            this.getSet(resourceGroup, zone.name, relative, 'CNAME')
        ]);
        this.emptySets.delete(setKey(zone, name, type));
        const cnameTarget = cname?.cnameRecord?.cname;
        if (set === undefined)
            return { recordSet: undefined, cname: cnameTarget === undefined ? undefined : stripDot(cnameTarget) };
        if (set.targetResource?.id) {
            throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`Azure DNS: ${name} ${type} in zone ${zone.name} (resource group ${resourceGroup}) is an alias record set pointing at ${set.targetResource.id}; this action does not replace alias record sets: remove the alias or choose another domain`);
        }
        const records = type === 'A' ? (set.aRecords ?? []).map(r => r.ipv4Address) : (set.aaaaRecords ?? []).map(r => r.ipv6Address);
        const values = records.filter((v) => v !== undefined).map(_core_names_js__WEBPACK_IMPORTED_MODULE_3__/* .canonicalAddress */ .Z5);
        const current = {
            name,
            type,
            ttl: set.ttl ?? 0,
            values,
            version: set.etag,
            metadata: set.metadata === undefined ? undefined : { ...set.metadata }
        };
        if (values.length === 0)
            this.emptySets.set(setKey(zone, name, type), current);
        return { recordSet: current, cname: cnameTarget === undefined ? undefined : stripDot(cnameTarget) };
    }
    async write(zone, change) {
        const resourceGroup = this.resourceGroupOf(zone);
        const { desired } = change;
        const relative = relativeName(desired.name, zone.name);
        // A "create" over a set that exists without records (Azure allows empty sets) must replace
        // exactly that set: its ETag is the precondition, and its metadata is kept.
        const existing = change.kind === 'replace' ? change.expected : this.emptySets.get(setKey(zone, desired.name, desired.type));
        const precondition = existing === undefined ? { ifNoneMatch: '*' } : { ifMatch: requireVersion(existing, desired.name) };
        const parameters = {
            ttl: desired.ttl,
            metadata: existing?.metadata === undefined ? undefined : stringMetadata(existing.metadata),
            ...(desired.type === 'A'
                ? { aRecords: desired.values.map(ipv4Address => ({ ipv4Address })) }
                : { aaaaRecords: desired.values.map(ipv6Address => ({ ipv6Address })) })
        };
        this.stats.writes++;
        try {
            const result = await this.client.recordSets.createOrUpdate(resourceGroup, zone.name, relative, desired.type, parameters, {
                ...precondition,
                abortSignal: AbortSignal.timeout(AZURE_RETRY.operationBudgetMs)
            });
            this.emptySets.delete(setKey(zone, desired.name, desired.type));
            return { changeId: result.etag };
        }
        catch (error) {
            const e = error;
            if (e.statusCode === 412) {
                throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .PreconditionFailedError */ .k(existing === undefined
                    ? `Azure DNS: ${desired.name} ${desired.type} was created by someone else after it was read (If-None-Match: * failed)`
                    : `Azure DNS: ${desired.name} ${desired.type} changed after it was read (ETag ${existing.version} is no longer current)`);
            }
            if (e.statusCode === 409) {
                throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`Azure DNS: ${desired.name} ${desired.type} in zone ${zone.name} (resource group ${resourceGroup}) was refused with a conflict (${e.code ?? 'Conflict'}: ${e.message ?? ''}); most likely a CNAME now exists at that name: remove it and run again`, { cause: error });
            }
            throw this.describe(error, {
                verb: `write ${desired.name} ${desired.type}`,
                resourceGroup,
                zone: zone.name,
                write: true
            });
        }
    }
    async getSet(resourceGroup, zone, relative, type) {
        this.stats.reads++;
        try {
            return await this.client.recordSets.get(resourceGroup, zone, relative, type, {
                abortSignal: AbortSignal.timeout(AZURE_RETRY.operationBudgetMs)
            });
        }
        catch (error) {
            const e = error;
            // The DNS resource provider answers a missing record set with 404 code NotFound; a missing
            // zone, resource group or subscription have their own codes and are errors.
            if (e.statusCode === 404 && (e.code === undefined || e.code === 'NotFound'))
                return undefined;
            const name = relative === '@' ? zone : `${relative}.${zone}`;
            throw this.describe(error, { verb: `read ${name} ${type}`, resourceGroup, zone });
        }
    }
    async listZones(resourceGroup) {
        const zones = [];
        const pages = resourceGroup === undefined ? this.client.zones.list() : this.client.zones.listByResourceGroup(resourceGroup);
        try {
            for await (const page of pages.byPage()) {
                this.stats.reads++;
                zones.push(...page);
            }
        }
        catch (error) {
            throw this.describe(error, { verb: 'list DNS zones', resourceGroup });
        }
        return zones;
    }
    resourceGroupOf(zone) {
        const group = zone.resourceGroup ?? this.settings.resourceGroup;
        if (group === undefined)
            throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`Azure DNS: zone ${zone.name} has no resource group`);
        return group;
    }
    /** One sentence naming subscription, resource group and zone, and what to change. */
    describe(error, op) {
        const sub = this.settings.subscriptionId;
        const scope = `subscription ${sub}${op.resourceGroup ? `, resource group ${op.resourceGroup}` : ''}${op.zone ? `, zone ${op.zone}` : ''}`;
        const zoneScope = op.zone && op.resourceGroup
            ? `/subscriptions/${sub}/resourceGroups/${op.resourceGroup}/providers/Microsoft.Network/dnszones/${op.zone}`
            : undefined;
        const signIn = describeSignInError(error, this.credential);
        if (signIn !== undefined)
            return new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`${signIn} (while trying to ${op.verb} in ${scope})`, { cause: error });
        const e = error;
        const said = `${e.statusCode ?? 'no status'} ${e.code ?? ''}: ${(e.message ?? String(error)).trim()}`.replace(/\s+/g, ' ');
        const prefix = `Azure DNS: could not ${op.verb} in ${scope}`;
        switch (e.statusCode) {
            case 401:
                return new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`${prefix}: Azure Resource Manager (${this.endpoint}) rejected the sign-in (${said}); the token must come from the subscription's tenant for the audience ${this.endpoint} (check azure-tenant-id and azure-environment)`, { cause: error });
            case 403:
                return new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(zoneScope !== undefined
                    ? `${prefix}: the identity lacks permission (${said}); assign it the ${DNS_ROLE} role on the zone (scope ${zoneScope})`
                    : `${prefix}: the identity lacks permission (${said}); to find the zone it must be able to list zones (Reader on the subscription or resource group), or give zone and azure-resource-group; to change records it needs ${DNS_ROLE} on the zone`, { cause: error });
            case 404:
                return new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`${prefix}: ${describeNotFound(e.code, sub, op)} (${said})`, { cause: error });
            case 429:
                return new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`${prefix}: Azure Resource Manager kept throttling the requests (429) through ${AZURE_RETRY.maxRetries} retries (${said}); run again later`, { cause: error });
        }
        if (e.statusCode !== undefined && e.statusCode >= 500) {
            return new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`${prefix}: Azure answered ${said} through ${AZURE_RETRY.maxRetries} retries; run again later`, {
                cause: error
            });
        }
        if (e.statusCode === undefined && !(error instanceof Error && error.name === 'AbortError')) {
            return new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`${prefix}: Azure Resource Manager at ${this.endpoint} could not be reached (${error instanceof Error ? error.message : String(error)}); check azure-resource-manager-endpoint, azure-environment and the runner's network or proxy`, { cause: error });
        }
        if (error instanceof Error && error.name === 'AbortError') {
            return new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`${prefix}: no answer within ${AZURE_RETRY.operationBudgetMs / 1000} s (throttled or unreachable: ${this.endpoint})`, { cause: error });
        }
        return new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`${prefix}: ${said}`, { cause: error });
    }
}
function describeNotFound(code, subscription, op) {
    switch (code) {
        case 'SubscriptionNotFound':
            return `subscription ${subscription} does not exist in this cloud or the identity cannot see it; check azure-subscription-id and azure-environment`;
        case 'ResourceGroupNotFound':
            return `resource group ${op.resourceGroup} does not exist in subscription ${subscription}; check azure-resource-group (or leave it empty to find the zone by listing)`;
        case 'ParentResourceNotFound':
        case 'ResourceNotFound':
            return `zone ${op.zone} is not in resource group ${op.resourceGroup} of subscription ${subscription}; check zone and azure-resource-group (leave azure-resource-group empty to find the zone by listing)`;
        default:
            return `something on the way does not exist; check azure-subscription-id, azure-resource-group and zone`;
    }
}
// Errors that sign-in raises: @azure/identity's own classes, or MSAL's ServerError inside them.
const SIGN_IN_ERRORS = new Set([
    'AuthenticationError',
    'AuthenticationRequiredError',
    'CredentialUnavailableError',
    'AggregateAuthenticationError',
    'ServerError',
    'ClientAuthError',
    'ClientConfigurationError'
]);
/** Errors of Microsoft Entra sign-in, turned into what to fix for the credential in use. */
function describeSignInError(error, choice) {
    const chain = causes(error);
    // The ID-token failure may come back wrapped by @azure/identity; its sentence is ours either way.
    for (const e of chain) {
        const at = e.message.indexOf(ID_TOKEN_FAILURE);
        if (e instanceof IdTokenError || at >= 0)
            return e.message.slice(Math.max(0, at));
        if (e.message.includes('ACTIONS_ID_TOKEN_REQUEST'))
            return new IdTokenError(e).message;
    }
    if (!chain.some(e => SIGN_IN_ERRORS.has(e.name) || e instanceof _azure_identity__WEBPACK_IMPORTED_MODULE_2__/* .AuthenticationError */ .v3 || e instanceof _azure_identity__WEBPACK_IMPORTED_MODULE_2__/* .CredentialUnavailableError */ .oT)) {
        return undefined;
    }
    // Entra's reason is its AADSTS sentence; keep that, not the trace and correlation ids around it.
    const text = chain.map(e => e.message).join(' ');
    const aadsts = /AADSTS(\d+): (.*?\.)(?= |$)/.exec(text);
    const code = aadsts?.[1];
    const detail = aadsts ? `AADSTS${aadsts[1]}: ${aadsts[2]}` : (chain.at(-1)?.message ?? '').split('\n')[0].trim();
    let fix;
    if (choice.kind === 'oidc') {
        fix =
            code === '70021' || code === '700211' || code === '700212' || code === '700213'
                ? 'add a federated credential to the application with issuer https://token.actions.githubusercontent.com, audience api://AzureADTokenExchange and the subject this workflow presents (e.g. repo:OWNER/REPO:ref:refs/heads/main or repo:OWNER/REPO:environment:NAME)'
                : 'check azure-client-id, azure-tenant-id and the federated credential of the application';
    }
    else if (choice.kind === 'secret') {
        fix =
            code === '7000215' || code === '7000222'
                ? 'azure-client-secret is wrong or expired: create a new client secret and update the repository secret'
                : 'check azure-client-id, azure-tenant-id and azure-client-secret';
    }
    else {
        fix =
            'give azure-client-id and azure-tenant-id (OIDC, with `permissions: id-token: write`) or run azure/login before this step';
    }
    return `Azure DNS: signing in with ${choice.description} failed (${detail || 'no detail'}); ${fix}`;
}
function causes(error) {
    const out = [];
    let current = error;
    for (let depth = 0; current instanceof Error && depth < 8; depth++) {
        out.push(current);
        const aggregate = current.errors;
        if (Array.isArray(aggregate))
            out.push(...aggregate.filter((e) => e instanceof Error));
        current = current.cause;
    }
    return out;
}
function requireVersion(set, name) {
    // Never write over an existing set without its ETag as the precondition.
    if (set.version === undefined || set.version === '') {
        throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`Azure DNS: ${name} ${set.type} was read without an ETag, so it cannot be replaced safely`);
    }
    return set.version;
}
function stringMetadata(metadata) {
    return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)]));
}
/** The record set name relative to the zone, `@` for the apex. */
function relativeName(name, zone) {
    if (name === zone)
        return '@';
    if (!name.endsWith(`.${zone}`))
        throw new _provider_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .m(`Azure DNS: ${name} is not in zone ${zone}`);
    return name.slice(0, -(zone.length + 1));
}
function setKey(zone, name, type) {
    return `${zone.resourceGroup ?? ''}/${zone.name}/${type}/${name}`;
}
function resourceGroupOf(id) {
    return id === undefined ? undefined : /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1];
}
function normalizeZoneName(name) {
    return stripDot(name).toLowerCase();
}
function stripDot(name) {
    return name.replace(/\.$/, '').toLowerCase();
}


/***/ })

};
