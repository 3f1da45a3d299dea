// Azure sign-in in one place, for every component that calls Azure Resource Manager (the Azure
// DNS provider, the Entra Domain Services reader, a later writer): which cloud's endpoints, which
// credential the azure-* inputs select, and what a failed sign-in means for that credential. Every
// message starts with the name of the component that signed in, so a failure while reading the
// managed domain never reads as one of Azure DNS.
//
// @azure/identity is imported only as a type here: each caller hands in the module it loaded, so
// it stays in the chunks that only Azure runs load.

import * as core from '@actions/core'
import type { TokenCredential } from '@azure/identity'
import type { AzureEnvironment, AzureSettings } from '../../core/settings.ts'

type AzureIdentity = typeof import('@azure/identity')

/** The audience GitHub's OIDC token must carry for a Microsoft Entra federated credential. */
export const AZURE_ID_TOKEN_AUDIENCE = 'api://AzureADTokenExchange'

interface CloudEndpoints {
  readonly resourceManager: string
  readonly authorityHost: string
}

// Per cloud, as `az cloud show` lists them (resourceManager, activeDirectory).
const CLOUDS: Record<AzureEnvironment, CloudEndpoints> = {
  AzureCloud: { resourceManager: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com' },
  AzureUSGovernment: {
    resourceManager: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us'
  },
  AzureChinaCloud: {
    resourceManager: 'https://management.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn'
  }
}

// MSAL knows these hosts; for any other authority (AZURE_AUTHORITY_HOST pointing at a private
// cloud or a local stand-in) it would ask login.microsoftonline.com's instance-discovery endpoint
// about it, which @azure/identity documents turning off with disableInstanceDiscovery.
const MICROSOFT_AUTHORITY_HOSTS = new Set(Object.values(CLOUDS).map(c => new URL(c.authorityHost).host))

/** Where the requests of one run go: ARM (azure-resource-manager-endpoint or the cloud's), Entra, and the token scope. */
export interface AzureEndpoints {
  readonly resourceManager: string
  readonly authorityHost: string
  /** `${resourceManager}/.default`: tokens are asked for the ARM endpoint actually called. */
  readonly scope: string
}

export function resolveAzureEndpoints(
  settings: Pick<AzureSettings, 'environment' | 'resourceManagerEndpoint'>,
  env: NodeJS.ProcessEnv
): AzureEndpoints {
  const cloud = CLOUDS[settings.environment]
  const resourceManager = (settings.resourceManagerEndpoint ?? cloud.resourceManager).replace(/\/+$/, '')
  const authorityHost = (env['AZURE_AUTHORITY_HOST'] || cloud.authorityHost).replace(/\/+$/, '')
  return { resourceManager, authorityHost, scope: `${resourceManager}/.default` }
}

/** How a component signs in and reaches ARM; every field optional, with the runner's defaults. */
export interface AzureSignInOptions {
  /** Environment the credentials read (AZURE_AUTHORITY_HOST); process.env by default. */
  readonly env?: NodeJS.ProcessEnv
  /** GitHub's OIDC token for an audience; core.getIDToken by default. */
  readonly getIdToken?: (audience: string) => Promise<string>
  /** Time each ARM request may wait for its whole answer before it is retried. */
  readonly requestTimeoutMs?: number | undefined
}

type CredentialKind = 'oidc' | 'secret' | 'default'

/** Which sign-in a run uses, for whom, and how to describe it in messages. */
export interface AzureCredentialChoice {
  readonly kind: CredentialKind
  readonly credential: TokenCredential
  readonly description: string
  /** The component signing in, the first words of every message about it ("Azure DNS"). */
  readonly component: string
}

/** A sign-in that cannot start (a malformed AZURE_AUTHORITY_HOST), named for the component. */
export class AzureSignInError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AzureSignInError'
  }
}

/**
 * OIDC when client and tenant ids come without a secret (the runner's ID token is the client
 * assertion, fetched afresh on every token refresh); a client secret when one is given; otherwise
 * the default chain, so an `azure/login` step before this one just works.
 */
export function createAzureCredential(
  identity: AzureIdentity,
  settings: AzureSettings,
  component: string,
  options: AzureSignInOptions = {}
): AzureCredentialChoice {
  const env = options.env ?? process.env
  const { authorityHost } = resolveAzureEndpoints(settings, env)
  let host: string
  try {
    host = new URL(authorityHost).host
  } catch {
    throw new AzureSignInError(
      `${component}: AZURE_AUTHORITY_HOST must be an https URL, got ${JSON.stringify(authorityHost)}`
    )
  }
  const disableInstanceDiscovery = !MICROSOFT_AUTHORITY_HOSTS.has(host)
  const common = { authorityHost, disableInstanceDiscovery }
  const { clientId, tenantId, clientSecret } = settings
  if (clientId !== undefined && tenantId !== undefined && clientSecret !== undefined) {
    return {
      kind: 'secret',
      credential: new identity.ClientSecretCredential(tenantId, clientId, clientSecret, common),
      description: `client secret of application ${clientId} in tenant ${tenantId}`,
      component
    }
  }
  if (clientId !== undefined && tenantId !== undefined) {
    const getIdToken = options.getIdToken ?? ((audience: string) => core.getIDToken(audience))
    const getAssertion = async (): Promise<string> => {
      try {
        return await getIdToken(AZURE_ID_TOKEN_AUDIENCE)
      } catch (error) {
        throw new IdTokenError(error)
      }
    }
    return {
      kind: 'oidc',
      credential: new identity.ClientAssertionCredential(tenantId, clientId, getAssertion, common),
      description: `GitHub OIDC (federated credential) of application ${clientId} in tenant ${tenantId}`,
      component
    }
  }
  return {
    kind: 'default',
    credential: new identity.DefaultAzureCredential(common),
    description: 'the default Azure credential chain (environment, workload identity, managed identity, Azure CLI)',
    component
  }
}

const ID_TOKEN_FAILURE = 'the runner gave no OIDC ID token'

/** The runner would not hand out an ID token (usually: the job lacks `id-token: write`). */
class IdTokenError extends Error {
  constructor(cause: unknown) {
    super(idTokenSentence(cause instanceof Error ? cause.message : String(cause)), { cause })
    this.name = 'IdTokenError'
  }
}

function idTokenSentence(detail: string): string {
  return `${ID_TOKEN_FAILURE} (${detail}); give the job \`permissions: id-token: write\` (and contents: read), or pass azure-client-secret`
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
])

/**
 * A failed Microsoft Entra sign-in, as a sentence naming the component, the credential and what
 * to fix for it; undefined when `error` is not a sign-in failure.
 */
export function describeSignInError(error: unknown, choice: AzureCredentialChoice): string | undefined {
  const chain = causes(error)
  // The ID-token failure may come back wrapped by @azure/identity; its sentence is ours either way.
  for (const e of chain) {
    const at = e.message.indexOf(ID_TOKEN_FAILURE)
    if (e instanceof IdTokenError || at >= 0) return `${choice.component}: ${e.message.slice(Math.max(0, at))}`
    if (e.message.includes('ACTIONS_ID_TOKEN_REQUEST')) return `${choice.component}: ${idTokenSentence(e.message)}`
  }
  // By name: every @azure/identity error class sets its own, and the SDK is not loaded here.
  if (!chain.some(e => SIGN_IN_ERRORS.has(e.name))) {
    return undefined
  }
  // Entra's reason is its AADSTS sentence; keep that, not the trace and correlation ids around it.
  const text = chain.map(e => e.message).join(' ')
  const aadsts = /AADSTS(\d+): (.*?\.)(?= |$)/.exec(text)
  const code = aadsts?.[1]
  const detail = aadsts ? `AADSTS${aadsts[1]}: ${aadsts[2]}` : (chain.at(-1)?.message ?? '').split('\n')[0]!.trim()
  let fix: string
  if (choice.kind === 'oidc') {
    fix =
      code === '70021' || code === '700211' || code === '700212' || code === '700213'
        ? 'add a federated credential to the application with issuer https://token.actions.githubusercontent.com, audience api://AzureADTokenExchange and the subject this workflow presents (e.g. repo:OWNER/REPO:ref:refs/heads/main or repo:OWNER/REPO:environment:NAME)'
        : 'check azure-client-id, azure-tenant-id and the federated credential of the application'
  } else if (choice.kind === 'secret') {
    fix =
      code === '7000215' || code === '7000222'
        ? 'azure-client-secret is wrong or expired: create a new client secret and update the repository secret'
        : 'check azure-client-id, azure-tenant-id and azure-client-secret'
  } else {
    fix =
      'give azure-client-id and azure-tenant-id (OIDC, with `permissions: id-token: write`) or run azure/login before this step'
  }
  return `${choice.component}: signing in with ${choice.description} failed (${detail || 'no detail'}); ${fix}`
}

/** The error, its causes and the members of aggregate errors, outermost first (bounded depth). */
function causes(error: unknown): Error[] {
  const out: Error[] = []
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    out.push(current)
    const aggregate = (current as { errors?: unknown[] }).errors
    if (Array.isArray(aggregate)) out.push(...aggregate.filter((e): e is Error => e instanceof Error))
    current = (current as { cause?: unknown }).cause
  }
  return out
}
