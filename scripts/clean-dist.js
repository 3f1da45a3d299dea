// ncc writes a package.json beside ESM bundles only when asked; keep dist/ to what the action
// loads: index.js, its lazily loaded chunks and the licenses file.
import { readdirSync, rmSync } from 'node:fs'

for (const name of readdirSync('dist')) {
  if (name.endsWith('.d.ts') || name === 'sourcemap-register.cjs') rmSync(`dist/${name}`)
}
