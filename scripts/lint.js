// Runs ESLint from its own toolchain folder (tools/eslint), installing it on first use.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (!existsSync('tools/eslint/node_modules/.bin/eslint')) {
  execFileSync('npm', ['ci', '--prefix', 'tools/eslint', '--no-audit', '--no-fund'], { stdio: 'inherit' })
}
const eslint = spawnSync(
  'tools/eslint/node_modules/.bin/eslint',
  ['--config', 'tools/eslint/eslint.config.js', '--max-warnings', '0', ...process.argv.slice(2)],
  { stdio: 'inherit' }
)
process.exit(eslint.status ?? 1)
