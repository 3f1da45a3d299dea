// Edits of process.env that a test suite undoes: the SDKs read their configuration from there.

export interface ProcessEnvEdits {
  /** Sets each variable (undefined deletes it), remembering the value it had before the first edit. */
  set(vars: Record<string, string | undefined>): void
  /** Puts every edited variable back as it was before its first edit. */
  restore(): void
}

export function processEnvEdits(): ProcessEnvEdits {
  const saved: Record<string, string | undefined> = {}
  const set = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (!(k in saved)) saved[k] = process.env[k]
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
  return { set, restore: () => set(saved) }
}
