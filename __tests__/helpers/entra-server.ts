// Local stand-ins for the two identity services the Azure provider talks to:
// - Microsoft Entra's v2.0 endpoints as MSAL (inside @azure/identity) uses them for the client
//   credentials grant: the tenant's OpenID metadata and /oauth2/v2.0/token, with a client secret
//   or a client assertion (a federated credential: issuer, subject, audience of a signed JWT),
//   answering AADSTS errors the way Entra does. Access tokens it issues are registered in the
//   TokenRegistry the ARM stand-in checks, for the audience of the requested scope.
// - GitHub's runner ID-token service (ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN): an RS256 JWT for
//   the requested audience, signed by a key made per run, which the Entra stand-in verifies.

import { createPublicKey, createSign, createVerify, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Role, TokenRegistry } from './arm-server.ts'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

export interface EntraApplication {
  readonly tenantId: string
  readonly clientId: string
  readonly objectId: string
  readonly role: Role
  readonly secret?: string
  /** The federated credential: which GitHub ID tokens may stand in for a secret. */
  readonly federated?: { readonly issuer: string; readonly subject: string; readonly audience: string }
}

export interface EntraRequest {
  readonly method: string
  readonly path: string
  readonly form: Record<string, string>
  status?: number
}

export interface EntraServer {
  /** The authority host, for AZURE_AUTHORITY_HOST. */
  readonly url: string
  readonly requests: EntraRequest[]
  addApplication(app: EntraApplication): void
  close(): Promise<void>
}

export interface GithubOidcServer {
  /** ACTIONS_ID_TOKEN_REQUEST_URL (with its query, as the runner gives it). */
  readonly requestUrl: string
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly requestToken: string
  readonly publicKeyPem: string
  readonly issued: { audience: string; subject: string }[]
  /** The `sub` claim of tokens it issues (the workflow's ref or environment). */
  subject: string
  close(): Promise<void>
}

export async function startGithubOidcServer(options: {
  host: string
  key: string
  cert: string
}): Promise<GithubOidcServer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const requestToken = randomBytes(24).toString('hex')
  const issued: { audience: string; subject: string }[] = []
  const state = { subject: 'repo:octo-org/ldaps-infra:ref:refs/heads/main' }
  const server: Server = createServer({ key: options.key, cert: options.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x')
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'GET' || url.pathname !== '/_apis/distributedtask/idtoken')
      return json(404, { message: 'Not Found' })
    if (req.headers.authorization !== `Bearer ${requestToken}`) return json(401, { message: 'Unauthorized' })
    const audience = url.searchParams.get('audience') ?? 'https://github.com/octo-org'
    const now = Math.floor(Date.now() / 1000)
    const claims = {
      jti: randomUUID(),
      sub: state.subject,
      aud: audience,
      ref: 'refs/heads/main',
      repository: 'octo-org/ldaps-infra',
      iss: GITHUB_ISSUER,
      nbf: now - 5,
      iat: now,
      exp: now + 300
    }
    issued.push({ audience, subject: state.subject })
    json(200, { count: 1, value: signJwt(claims, privateKey) })
  })
  await new Promise<void>(resolve => server.listen(0, options.host, () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    requestUrl: `https://${options.host}:${port}/_apis/distributedtask/idtoken?api-version=2.0`,
    requestToken,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    issued,
    get subject() {
      return state.subject
    },
    set subject(value: string) {
      state.subject = value
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve()))
  }
}

export async function startEntraServer(options: {
  host: string
  key: string
  cert: string
  tokens: TokenRegistry
  /** Public key that signs the GitHub ID tokens presented as client assertions. */
  githubPublicKeyPem?: string
}): Promise<EntraServer> {
  const apps = new Map<string, EntraApplication>()
  const requests: EntraRequest[] = []
  let base = ''
  const server: Server = createServer({ key: options.key, cert: options.cert }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base)
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
      const request: EntraRequest = { method: req.method ?? 'GET', path: url.pathname, form }
      requests.push(request)
      const json = (status: number, body: unknown): void => {
        request.status = status
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
        res.end(JSON.stringify(body))
      }
      const segments = url.pathname.split('/').filter(Boolean)
      const tenant = segments[0] ?? ''
      if (req.method === 'GET' && url.pathname === `/${tenant}/v2.0/.well-known/openid-configuration`) {
        return json(200, {
          token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          issuer: `${base}/${tenant}/v2.0`,
          authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
          device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
          end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
          tenant_region_scope: 'EU',
          cloud_instance_name: 'microsoftonline.com'
        })
      }
      if (req.method === 'POST' && url.pathname === `/${tenant}/oauth2/v2.0/token`) {
        return token(tenant, form, json)
      }
      json(404, { error: 'not_found', error_description: `No endpoint at ${url.pathname}` })
    })
  })

  function aadError(status: number, error: string, code: number, description: string): [number, unknown] {
    return [
      status,
      {
        error,
        error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
        error_codes: [code],
        timestamp: new Date().toISOString(),
        trace_id: randomUUID(),
        correlation_id: randomUUID()
      }
    ]
  }

  function token(tenant: string, form: Record<string, string>, json: (status: number, body: unknown) => void): void {
    const fail = (status: number, error: string, code: number, description: string): void => {
      const [s, body] = aadError(status, error, code, description)
      json(s, body)
    }
    if (form['grant_type'] !== 'client_credentials') {
      return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.')
    }
    const app = apps.get(`${tenant}/${form['client_id']}`)
    if (![...apps.values()].some(a => a.tenantId === tenant)) {
      return fail(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`)
    }
    if (app === undefined) {
      return fail(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form['client_id']}' was not found in the directory '${tenant}'.`
      )
    }
    const scope = form['scope'] ?? ''
    const resource = scope.split(' ').find(s => s.endsWith('/.default'))
    if (resource === undefined)
      return fail(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid.`)
    if (form['client_assertion'] !== undefined) {
      if (form['client_assertion_type'] !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
        return fail(400, 'invalid_request', 50027, 'Invalid client assertion type.')
      }
      const claims = verifyJwt(form['client_assertion'], options.githubPublicKeyPem)
      const fed = app.federated
      if (
        claims === undefined ||
        fed === undefined ||
        claims['iss'] !== fed.issuer ||
        claims['sub'] !== fed.subject ||
        claims['aud'] !== fed.audience ||
        typeof claims['exp'] !== 'number' ||
        claims['exp'] * 1000 < Date.now()
      ) {
        return fail(
          400,
          'invalid_request',
          70021,
          `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(claims?.['iss'])}'. Assertion Subject: '${String(claims?.['sub'])}'. Assertion Audience: '${String(claims?.['aud'])}'.`
        )
      }
    } else if (form['client_secret'] !== undefined) {
      if (app.secret === undefined || form['client_secret'] !== app.secret) {
        return fail(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`
        )
      }
    } else {
      return fail(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
      )
    }
    const accessToken = randomBytes(32).toString('base64url')
    options.tokens.set(accessToken, {
      appId: app.clientId,
      objectId: app.objectId,
      audience: resource.slice(0, -'/.default'.length),
      role: app.role
    })
    json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken })
  }

  await new Promise<void>(resolve => server.listen(0, options.host, () => resolve()))
  const { port } = server.address() as AddressInfo
  base = `https://${options.host}:${port}`
  return {
    url: base,
    requests,
    addApplication: app => void apps.set(`${app.tenantId}/${app.clientId}`, app),
    close: () => new Promise<void>(resolve => server.close(() => resolve()))
  }
}

function signJwt(claims: Record<string, unknown>, key: Parameters<ReturnType<typeof createSign>['sign']>[0]): string {
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
  const input = `${enc({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${enc(claims)}`
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url')
  return `${input}.${signature}`
}

function verifyJwt(jwt: string, publicKeyPem: string | undefined): Record<string, unknown> | undefined {
  const [header, payload, signature] = jwt.split('.')
  if (header === undefined || payload === undefined || signature === undefined || publicKeyPem === undefined)
    return undefined
  const ok = createVerify('RSA-SHA256')
    .update(`${header}.${payload}`)
    .verify(createPublicKey(publicKeyPem), Buffer.from(signature, 'base64url'))
  if (!ok) return undefined
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}
