// Command-line arguments of the project's tools (npm run sim, npm run bots): `--name value`
// pairs and a few bare flags, checked against what the tool knows, never throwing.

export interface SplitArgs {
  values: Record<string, string>;
  flags: Set<string>;
}

/** Split argv into `--name value` pairs and the bare `flags` given; a problem comes back as its message. */
export function splitArgs(argv: string[], flags: readonly string[], usage: string): SplitArgs | string {
  const values: Record<string, string> = {};
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return usage;
    if (flags.includes(a)) {
      seen.add(a);
      continue;
    }
    if (!a.startsWith('--')) return `unexpected argument '${a}'\n${usage}`;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) return `${a} needs a value\n${usage}`;
    values[a.slice(2)] = v;
    i++;
  }
  return { values, flags: seen };
}
