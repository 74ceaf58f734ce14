/**
 * Reads the config file: `${VAR}` is replaced from the environment, the YAML is validated, and
 * every problem is reported at once with its file, line and key, so a DBA fixes them in one go.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isScalar, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { DbchangeError, ErrorCode } from '../errors.js';
import { configSchema } from './schema.js';
import { buildConfig, referenceProblems, type Config } from './model.js';

type Env = Record<string, string | undefined>;

interface Problem {
  path: (string | number)[];
  message: string;
}

/** Load and validate the config file at `path`. Throws DbchangeError with every problem listed. */
export async function loadConfigFile(path: string, env: Env = process.env): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new DbchangeError(
      ErrorCode.ConfigMissing,
      `cannot read the config file ${path}: copy dbchange.config.example.yaml to ${path} and edit it, or set DBCHANGE_CONFIG to its path`,
      { cause },
    );
  }
  return parseConfig(text, path, env);
}

/** Parse and validate config text; `source` names the file in messages. */
export function parseConfig(text: string, source: string, env: Env = process.env): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const lineOf = (path: (string | number)[]) => nodeLine(doc, lineCounter, path);
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const line = e.linePos?.[0]?.line;
      return `${source}${line ? `:${line}` : ''}: ${e.message.split('\n')[0]}`;
    });
    throw invalid(source, lines);
  }

  const problems: Problem[] = [];
  interpolate(doc, env, problems);
  const data: unknown = doc.toJS();
  const parsed = configSchema.safeParse(data);
  if (parsed.success) {
    const { config, problems: semantic } = buildConfig(parsed.data);
    if (problems.length === 0 && semantic.length === 0) return config;
    problems.push(...semantic);
  } else {
    // Shape errors do not hide reference errors elsewhere: the DBA fixes everything in one go.
    problems.push(...parsed.error.issues.map(toProblem), ...referenceProblems(data));
  }
  const located = problems.map((p) => ({ line: lineOf(p.path) ?? 0, p }));
  located.sort((a, b) => a.line - b.line);
  throw invalid(
    source,
    located.map(
      ({ line, p }) => `${source}${line ? `:${line}` : ''} ${formatPath(p.path) || '(top level)'}: ${p.message}`,
    ),
  );
}

function invalid(source: string, lines: string[]): DbchangeError {
  return new DbchangeError(ErrorCode.ConfigInvalid, `the config file ${source} is not valid:\n  ${lines.join('\n  ')}`);
}

/** Replace ${VAR} in every scalar string; an unset variable is a problem naming the key. */
function interpolate(doc: Document, env: Env, problems: Problem[]): void {
  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      node.value = node.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
        const value = env[name];
        if (value === undefined) {
          problems.push({
            path: pathOf(path, node),
            message: `environment variable ${name} is not set (the value uses \${${name}}); export it before starting dbchange`,
          });
          return '';
        }
        return value;
      });
    },
  });
}

function pathOf(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  // Walk the ancestors of a visited scalar to rebuild its key path for the message.
  const out: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length - 1; i++) {
    const parent = chain[i] as { items?: unknown[] };
    const child = chain[i + 1];
    if (parent && Array.isArray(parent.items)) {
      const idx = parent.items.indexOf(child);
      const isPairList =
        parent.items.length > 0 &&
        typeof parent.items[0] === 'object' &&
        parent.items[0] !== null &&
        'key' in (parent.items[0] as object);
      if (!isPairList && idx >= 0) out.push(idx);
    } else if (parent && typeof parent === 'object' && 'key' in parent) {
      const key = (parent as { key: unknown }).key;
      if (isScalar(key)) out.push(String(key.value));
    }
  }
  return out;
}

function toProblem(issue: z.core.$ZodIssue): Problem {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys')
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_value') message = `must be one of ${issue.values.map(String).join(', ')}`;
  return { path, message };
}

function nodeLine(doc: Document, lc: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
