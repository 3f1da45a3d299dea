// Build: TypeScript 7 compiles src/ to lib/, then ncc bundles lib/index.js into dist/ (ESM, with
// one chunk per dynamically imported provider or client). ncc cannot compile TypeScript 7 sources
// itself, hence the two stages. dist/ is emptied first so no stale chunk survives a rebuild.
import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'

rmSync('lib', { recursive: true, force: true })
rmSync('dist', { recursive: true, force: true })
execFileSync('tsc', ['-p', 'tsconfig.build.json'], { stdio: 'inherit' })
execFileSync('ncc', ['build', 'lib/index.js', '-o', 'dist', '--license', 'licenses.txt', '--quiet'], {
  stdio: 'inherit'
})
for (const name of readdirSync('dist')) {
  if (name.endsWith('.d.ts') || name === 'sourcemap-register.cjs') rmSync(`dist/${name}`)
}
