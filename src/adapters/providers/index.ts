// Picks the provider adapter. Each one is loaded with a dynamic import, so ncc puts its SDK in a
// separate chunk and a run pays only for the provider it uses.

import type { ProviderSettings } from '../../core/settings.ts'
import { ProviderError, type DnsProvider } from './provider.ts'

export async function createProvider(settings: ProviderSettings): Promise<DnsProvider | undefined> {
  switch (settings.kind) {
    case 'none':
      return undefined
    case 'cloudflare': {
      const { createCloudflareProvider } = await import('./cloudflare.ts')
      return createCloudflareProvider(settings)
    }
    case 'route53': {
      const { createRoute53Provider } = await import('./route53.ts')
      return createRoute53Provider(settings)
    }
    case 'azure':
      return (await import('./azure-dns.ts')).createAzureDnsProvider(settings)
    case 'rfc2136':
      throw new ProviderError(`provider ${settings.kind} is not available in this build yet`)
  }
}
