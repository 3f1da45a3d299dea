// Picks the provider adapter. Each one is loaded with a dynamic import, so ncc puts its SDK in a
// separate chunk and a run pays only for the provider it uses.

import type { ProviderSettings } from '../../core/settings.ts'
import { ProviderError, type DnsProvider } from './provider.ts'

/**
 * Environment variable that bounds each provider API request (milliseconds, default 30 000). A
 * request with no answer by then is abandoned and retried within the provider's retry bounds.
 * It exists for slow proxies and for tests that play a stalled API (see docs/faults.md).
 */
export const REQUEST_TIMEOUT_ENV = 'LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS'
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export function parseRequestTimeout(env: NodeJS.ProcessEnv): number {
  const raw = env[REQUEST_TIMEOUT_ENV]?.trim()
  if (raw === undefined || raw === '') return DEFAULT_REQUEST_TIMEOUT_MS
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < 1 || value > 600_000) {
    throw new ProviderError(
      `${REQUEST_TIMEOUT_ENV} must be a whole number of milliseconds from 1 to 600000, got "${raw}"`
    )
  }
  return value
}

export async function createProvider(settings: ProviderSettings): Promise<DnsProvider | undefined> {
  if (settings.kind === 'none') return undefined
  // RFC 2136 speaks DNS, not HTTP; its own timeouts apply.
  if (settings.kind === 'rfc2136') return new (await import('./rfc2136.ts')).Rfc2136Provider(settings)
  const requestTimeoutMs = parseRequestTimeout(process.env)
  switch (settings.kind) {
    case 'azure':
      return (await import('./azure-dns.ts')).createAzureDnsProvider(settings, { requestTimeoutMs })
    case 'cloudflare':
      return (await import('./cloudflare.ts')).createCloudflareProvider(settings, { requestTimeoutMs })
    case 'route53':
      return (await import('./route53.ts')).createRoute53Provider(settings, { requestTimeoutMs })
  }
}
