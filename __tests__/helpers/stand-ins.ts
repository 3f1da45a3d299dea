// One set-up per stand-in, shared by the adapter, e2e and fault files: each registers the file's
// before/after (and, where asked, beforeEach) hooks and hands the started server to `use`, so a
// file keeps its own `let world` / `let server` and only says what differs (addresses, credentials).

import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach } from 'node:test'
import { trustTestCa } from './azure-tls.ts'
import { SUBSCRIPTION, startAzureWorld, type AzureWorld, type AzureWorldHosts } from './azure-world.ts'
import type { ArmExtension } from './arm-server.ts'
import { startCloudflareServer, type CloudflareServer } from './cloudflare-server.ts'
import { startRoute53Server, type Route53Server } from './route53-server.ts'

export const DIST = new URL('../../dist/index.js', import.meta.url).pathname

/** Fails the file's first hook when the bundle is missing (CI builds it; locally `npm run build`). */
export function requireBundle(): void {
  assert.ok(existsSync(DIST), 'dist/index.js is missing: run `npm run build` first')
}

/**
 * The Route 53 SDK's configuration as a runner has it after configure-aws-credentials, pointed at
 * the stand-in. The shared config files point nowhere and IMDS is off, so the credential chain
 * never leaves loopback.
 */
export function awsEnvironment(endpoint: string, accessKeyId: string, secretAccessKey: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_ROUTE_53: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(tmpdir(), 'ldaps-dns-action-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'ldaps-dns-action-no-aws-credentials')
  }
}

export interface StandInOptions<T> {
  /** The bundled action runs in this file: fail early without dist/index.js. */
  readonly bundle?: boolean
  /** Runs before every test, after the stand-in's reset(). */
  readonly fresh?: (server: T) => void
}

interface StandIn {
  reset(): void
  close(): Promise<void>
}

/** Starts a stand-in before the file's tests, closes it after them, resets it before each when asked. */
export function useStandIn<T extends StandIn>(
  start: () => Promise<T>,
  use: (server: T) => void,
  options: StandInOptions<T> & { readonly onClose?: (server: T) => void } = {}
): void {
  let server: T | undefined
  before(async () => {
    if (options.bundle === true) requireBundle()
    server = await start()
    use(server)
  })
  after(async () => {
    if (server === undefined) return
    try {
      options.onClose?.(server)
    } finally {
      await server.close()
    }
  })
  const fresh = options.fresh
  if (fresh !== undefined) {
    beforeEach(() => {
      server!.reset()
      fresh(server!)
    })
  }
}

/** The Azure world (ARM, Entra, GitHub OIDC); asserts at the end that no PUT went out unconditionally. */
export function useAzureWorld(
  use: (world: AzureWorld) => void,
  options: StandInOptions<AzureWorld> & {
    readonly hosts?: AzureWorldHosts
    readonly extensions?: ArmExtension[]
    /** The SDKs run in this process: trust the world's CA here (a child gets NODE_EXTRA_CA_CERTS). */
    readonly inProcess?: boolean
  } = {}
): void {
  let untrust: (() => void) | undefined
  useStandIn(
    async () => {
      const world = await startAzureWorld(options.hosts, { extensions: options.extensions })
      if (options.inProcess === true) untrust = trustTestCa(world.pki.caPem)
      return world
    },
    use,
    {
      ...options,
      onClose(world) {
        untrust?.()
        assert.equal(world.arm.unconditionalWrites(), 0, 'a record set PUT without If-Match / If-None-Match')
      }
    }
  )
}

/** One empty zone in `resourceGroup`: the usual `fresh` for DNS tests. */
export const freshAzureZone =
  (resourceGroup: string, zone: string) =>
  (world: AzureWorld): void => {
    world.arm.addZone(SUBSCRIPTION, resourceGroup, zone)
  }

/** The Route 53 stand-in on `host`. */
export const useRoute53 = (
  host: string,
  use: (server: Route53Server) => void,
  options?: StandInOptions<Route53Server>
) => useStandIn(() => startRoute53Server(host), use, options)

/** The Cloudflare stand-in on `host`. */
export const useCloudflare = (
  host: string,
  use: (server: CloudflareServer) => void,
  options?: StandInOptions<CloudflareServer>
) => useStandIn(() => startCloudflareServer(host), use, options)
