// Settings for in-process tests, built the way a run builds them: action inputs (action.yml's
// defaults overlaid with the test's own) through parseInputs. A test that needs a value the input
// contract refuses (to reach a provider's own validation) overrides the parsed result instead.

import { parseInputs } from '../../src/adapters/providers/index.ts'
import type { Settings } from '../../src/core/settings.ts'
import { runnerInputEnv } from './run-action.ts'

export function settingsFrom(inputs: Record<string, string>): Settings {
  const env = runnerInputEnv(inputs)
  return parseInputs(name => env[`INPUT_${name.toUpperCase()}`] ?? '').settings
}
