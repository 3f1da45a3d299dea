// Picks the provider adapter. Each one is loaded with a dynamic import, so ncc puts its SDK in a
// separate chunk and a run pays only for the provider it uses.

import type { ProviderSettings } from '../../core/settings.ts'
import type { DnsProvider } from './provider.ts'

export async function createProvider(settings: ProviderSettings): Promise<DnsProvider | undefined> {
  switch (settings.kind) {
    case 'none':
      return undefined
    case 'azure':
      return (await import('./azure-dns.ts')).createAzureDnsProvider(settings)
    case 'rfc2136':
      return new (await import('./rfc2136.ts')).Rfc2136Provider(settings)
    case 'cloudflare':
      return (await import('./cloudflare.ts')).createCloudflareProvider(settings)
    case 'route53':
      return (await import('./route53.ts')).createRoute53Provider(settings)
  }
}
