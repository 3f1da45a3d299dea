// Fields of an ARM answer read with their types checked. The SDKs pass JSON through as it came (a
// number where the model says string, an object where it says string, an invalid Date for a
// non-date text), so code that trusts the model's types fails later with a bare JavaScript error
// far from the cause. Each reader here returns the value when it has the documented type, and
// otherwise records a problem naming the field and what it held.

/** Collects the malformed fields of one ARM resource as it reads them. */
export class ArmFields {
  private readonly found: string[] = []

  /** "ldapsSettings.certificateNotAfter is "soon", not a date", one per malformed field. */
  get problems(): readonly string[] {
    return this.found
  }

  /** A string, or undefined when absent (undefined or null). */
  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null || typeof value === 'string') return value ?? undefined
    return this.wrong(path, value, 'a string')
  }

  /** A finite number, or undefined when absent. */
  number(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined
    if (typeof value === 'number' && Number.isFinite(value)) return value
    return this.wrong(path, value, 'a number')
  }

  /** A valid date (a Date the SDK made, or a text that parses as one), or undefined when absent. */
  date(value: unknown, path: string): Date | undefined {
    if (value === undefined || value === null) return undefined
    if (value instanceof Date) {
      if (!Number.isNaN(value.getTime())) return value
      this.found.push(`${path} is not a date (ARM sent a text no date can be read from)`)
      return undefined
    }
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value)
    return this.wrong(path, value, 'a date')
  }

  /** An array (empty when absent). */
  array(value: unknown, path: string): readonly unknown[] {
    if (value === undefined || value === null) return []
    if (Array.isArray(value)) return value
    this.wrong(path, value, 'a list')
    return []
  }

  /** An array of strings (empty when absent), or undefined when malformed. */
  strings(value: unknown, path: string): string[] | undefined {
    if (value === undefined || value === null) return []
    if (Array.isArray(value) && value.every(v => typeof v === 'string')) return value as string[]
    return this.wrong(path, value, 'a list of strings')
  }

  /** An object (its fields to read further), or undefined when absent or malformed. */
  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
    return this.wrong(path, value, 'an object')
  }

  private wrong(path: string, value: unknown, expected: string): undefined {
    this.found.push(`${path} is ${shown(value)}, not ${expected}`)
    return undefined
  }
}

/** How a malformed value is shown: its kind and a bounded JSON excerpt (outside text: escaped at each sink). */
function shown(value: unknown): string {
  const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`
  let json: string
  try {
    json = JSON.stringify(value) ?? String(value)
  } catch {
    json = String(value)
  }
  const excerpt = json.length > 60 ? `${json.slice(0, 60)}…` : json
  return `${kind} (${excerpt})`
}
