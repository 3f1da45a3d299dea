// ESLint flat config with typescript-eslint. Lives beside its own node_modules (see package.json
// here for why); basePath points it at the repository root.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { basePath: '../..' },
  { ignores: ['dist/**', 'lib/**', 'node_modules/**', 'tools/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: 'error',
      'prefer-const': 'error'
    }
  },
  {
    files: ['__tests__/**', 'bench/**', 'demo/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  }
)
