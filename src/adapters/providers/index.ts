// The provider registry: every DNS provider module, in the order messages list them (the first is
// the default of the provider input). Input parsing, masking, redaction, the "ignored with
// provider X" warnings and the README input tables all loop over this list; adding a provider is
// one module and one line here (docs/providers.md).

import {
  parseInputs as parseInputsWith,
  type GetInput,
  type InputRegistry,
  type ParsedInputs,
  type ReadFile
} from '../../core/inputs.ts'
import { millisecondsFromEnv } from '../../core/environment.ts'
import { SECRET_INPUTS, type ProviderSettings } from '../../core/settings.ts'
import { azureDns, azureEntraSignIn } from './azure-dns.ts'
import { cloudflare } from './cloudflare.ts'
import { rfc2136 } from './rfc2136.ts'
import { route53 } from './route53.ts'
import { ProviderError, type DnsProvider, type ProviderModule, type ProviderOptions } from './provider.ts'

export const PROVIDERS: readonly ProviderModule[] = [azureDns, rfc2136, cloudflare, route53]

export const INPUT_REGISTRY: InputRegistry = { providers: PROVIDERS, entraSignIn: azureEntraSignIn }

/**
 * Every action input, as parseInputs of core reads it, with the providers of this registry.
 * `environmentNames`: the action's environment variable names, whose INPUT_* must all be inputs.
 */
export function parseInputs(get: GetInput, readFile?: ReadFile, environmentNames?: Iterable<string>): ParsedInputs {
  return parseInputsWith(get, INPUT_REGISTRY, readFile, environmentNames)
}

/** Every input whose value is a secret: the provider-neutral ones and each provider's own. */
export function secretInputs(): string[] {
  return [...SECRET_INPUTS, ...PROVIDERS.flatMap(p => p.inputs.filter(i => i.secret).map(i => i.name))]
}

/**
 * Environment variable that bounds each provider API request (milliseconds, default 30 000). A
 * request with no answer by then is abandoned and retried within the provider's retry bounds.
 * It exists for slow proxies and for tests that play a stalled API (see docs/faults.md).
 */
export const REQUEST_TIMEOUT_ENV = 'LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS'
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export function parseRequestTimeout(env: NodeJS.ProcessEnv): number {
  return millisecondsFromEnv(env, REQUEST_TIMEOUT_ENV) ?? DEFAULT_REQUEST_TIMEOUT_MS
}

/** The DnsProvider for the settings, or undefined with provider none. */
export async function createProvider(
  settings: ProviderSettings,
  env: NodeJS.ProcessEnv = process.env
): Promise<DnsProvider | undefined> {
  if (settings.kind === 'none') return undefined
  const module = PROVIDERS.find(p => p.name === settings.kind)
  if (module === undefined) throw new ProviderError(`no provider module named ${settings.kind}`)
  const options: ProviderOptions = { requestTimeoutMs: parseRequestTimeout(env), env }
  return module.create(settings as never, options)
}
