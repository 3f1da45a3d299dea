// Settings the runner's environment gives (not action inputs): read by main from process.env once
// and handed to the adapters. Pure: the environment is a parameter.

/**
 * A whole number of milliseconds from 1 to 600 000 in the environment variable `name`, or
 * undefined when it is unset or empty. Used for the request and probe timeouts (docs/faults.md).
 */
export function millisecondsFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < 1 || value > 600_000) {
    throw new Error(`${name} must be a whole number of milliseconds from 1 to 600000, got "${raw}"`)
  }
  return value
}
