// Everything the Azure provider talks to, on loopback addresses (127.0.6.1-3 unless given) over HTTPS with a
// per-run CA: the ARM DNS stand-in, the Microsoft Entra token endpoint and GitHub's ID-token
// service, with one subscription, two applications (secret, federated) and a fake `az` CLI.

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startArmServer, type ArmExtension, type ArmServer, type Role, type TokenRegistry } from './arm-server.ts'
import { createTestPki, type TestPki } from './azure-tls.ts'
import {
  GITHUB_ISSUER,
  startEntraServer,
  startGithubOidcServer,
  type EntraServer,
  type GithubOidcServer
} from './entra-server.ts'

export const SUBSCRIPTION = '6f1c2a9e-0b7d-4c55-9a31-2d8e4f0c7b11'
export const TENANT = '3b0d5c7e-8a14-4f2b-b6e9-1c7a9d2e5f40'
export const OIDC_CLIENT = 'a4e1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b'
export const SECRET_CLIENT = 'b5f2c3d4-e5f6-4a71-9b8c-0d1e2f3a4b5c'
export const READER_CLIENT = 'c6a3d4e5-f6a7-4b82-8c9d-1e2f3a4b5c6d'
export const CLIENT_SECRET = 'Zq8~test-secret-not-real.0123456789abcd'
export const WORKFLOW_SUBJECT = 'repo:octo-org/ldaps-infra:ref:refs/heads/main'

export interface AzureWorld {
  readonly pki: TestPki
  readonly tokens: TokenRegistry
  readonly arm: ArmServer
  readonly entra: EntraServer
  readonly github: GithubOidcServer
  /** Directory holding a fake `az` (put it first on PATH for the Azure CLI credential). */
  readonly cliDir: string
  /** Where the fake `az` appends the arguments it was called with. */
  readonly cliLog: string
  /** Makes the fake `az` hand out a token for `role` on the ARM stand-in. */
  setCliRole(role: Role): void
  /** Empties the ARM stand-in (see ArmServer.reset) and the Entra request log. */
  reset(): void
  close(): Promise<void>
}

/** Loopback addresses of the three servers; tests of another range pass their own. */
export interface AzureWorldHosts {
  readonly arm: string
  readonly entra: string
  readonly github: string
}

export async function startAzureWorld(
  hosts: AzureWorldHosts = { arm: '127.0.6.1', entra: '127.0.6.2', github: '127.0.6.3' },
  /** Other resource providers on the same ARM host (e.g. entra-ds-arm.ts). */
  options: { extensions?: ArmExtension[] } = {}
): Promise<AzureWorld> {
  const pki = createTestPki()
  const { key, cert } = pki.issue([hosts.arm, hosts.entra, hosts.github])
  const tokens: TokenRegistry = new Map()
  const arm = await startArmServer({ host: hosts.arm, key, cert, tokens, extensions: options.extensions ?? [] })
  const github = await startGithubOidcServer({ host: hosts.github, key, cert })
  const entra = await startEntraServer({
    host: hosts.entra,
    key,
    cert,
    tokens,
    githubPublicKeyPem: github.publicKeyPem
  })
  entra.addApplication({
    tenantId: TENANT,
    clientId: OIDC_CLIENT,
    objectId: '11111111-2222-4333-8444-555555555555',
    role: 'contributor',
    federated: { issuer: GITHUB_ISSUER, subject: WORKFLOW_SUBJECT, audience: 'api://AzureADTokenExchange' }
  })
  entra.addApplication({
    tenantId: TENANT,
    clientId: SECRET_CLIENT,
    objectId: '22222222-3333-4444-8555-666666666666',
    role: 'contributor',
    secret: CLIENT_SECRET
  })
  entra.addApplication({
    tenantId: TENANT,
    clientId: READER_CLIENT,
    objectId: '33333333-4444-4555-8666-777777777777',
    role: 'reader',
    secret: CLIENT_SECRET
  })

  // The Azure CLI stand-in: `az account get-access-token --output json --resource R` prints what
  // the real CLI prints after `azure/login`. The token it hands out is registered with the ARM
  // stand-in for the audience it was asked for.
  const cliDir = join(pki.dir, 'bin')
  const cliLog = join(pki.dir, 'az.log')
  mkdirSync(cliDir, { recursive: true })
  const setCliRole = (role: Role): void => {
    const token = `cli-token-${role}-${Date.now()}`
    tokens.set(token, {
      appId: 'az-cli-user',
      objectId: '44444444-5555-4666-8777-888888888888',
      audience: arm.url,
      role
    })
    const expiresOn = Math.floor(Date.now() / 1000) + 3600
    writeFileSync(
      join(cliDir, 'az'),
      `#!/bin/sh
echo "$@" >> '${cliLog}'
cat <<'JSON'
{"accessToken":"${token}","expiresOn":"${new Date(expiresOn * 1000).toISOString().replace('T', ' ').slice(0, 19)}.000000","expires_on":${expiresOn},"subscription":"${SUBSCRIPTION}","tenant":"${TENANT}","tokenType":"Bearer"}
JSON
`
    )
    chmodSync(join(cliDir, 'az'), 0o755)
  }
  setCliRole('contributor')

  return {
    pki,
    tokens,
    arm,
    entra,
    github,
    cliDir,
    cliLog,
    setCliRole,
    reset() {
      arm.reset()
      entra.requests.length = 0
    },
    async close() {
      await Promise.all([arm.close(), entra.close(), github.close()])
      pki.dispose()
    }
  }
}

/** The action inputs for provider azure: the secret application, signing in to this world's ARM stand-in. */
export function azureInputs(world: AzureWorld, resourceGroup = 'rg-dns'): Record<string, string> {
  return {
    provider: 'azure',
    'azure-subscription-id': SUBSCRIPTION,
    'azure-resource-group': resourceGroup,
    'azure-client-id': SECRET_CLIENT,
    'azure-tenant-id': TENANT,
    'azure-client-secret': CLIENT_SECRET,
    'azure-resource-manager-endpoint': world.arm.url
  }
}
