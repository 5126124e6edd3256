export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A YAML writer for JSON data, just big enough for the AsyncAPI file (no YAML library is a dependency
 * of the workspace). Block style throughout; a string is written plain only when YAML cannot read it as
 * anything else, otherwise double-quoted with JSON escapes (which YAML's double-quoted style accepts),
 * and multi-line text as a literal block.
 */
const PLAIN = /^[A-Za-z_$][A-Za-z0-9_ .,/$()'+-]*$/;
const YAML_KEYWORDS = /^(true|false|null|yes|no|on|off|y|n)$/i;

function scalar(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return PLAIN.test(value) && !value.endsWith(' ') && !YAML_KEYWORDS.test(value)
    ? value
    : JSON.stringify(value);
}

// A literal block keeps text verbatim only when no line starts with whitespace (that would be read as
// indentation) and nothing needs escaping; anything else stays a quoted string.
function isBlockText(value: JsonValue): value is string {
  return (
    typeof value === 'string' &&
    value.includes('\n') &&
    !value.endsWith('\n') &&
    value.split('\n').every((line) => !/^\s/.test(line) && !/\s$/.test(line)) &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029]/.test(value)
  );
}

const isObject = (value: JsonValue): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNested = (value: JsonValue): boolean =>
  (Array.isArray(value) && value.length > 0) || (isObject(value) && Object.keys(value).length > 0);

function inline(value: JsonValue): string {
  if (Array.isArray(value)) return '[]';
  if (isObject(value)) return '{}';
  return scalar(value);
}

function writeBlockText(text: string, indent: number, out: string[]): void {
  for (const line of text.split('\n')) out.push(line === '' ? '' : `${' '.repeat(indent)}${line}`);
}

function writeObject(object: JsonObject, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [key, value] of Object.entries(object)) {
    if (isNested(value)) {
      out.push(`${pad}${scalar(key)}:`);
      writeNode(value, indent + 2, out);
    } else if (isBlockText(value)) {
      out.push(`${pad}${scalar(key)}: |-`);
      writeBlockText(value, indent + 2, out);
    } else {
      out.push(`${pad}${scalar(key)}: ${inline(value)}`);
    }
  }
}

function writeArray(items: JsonValue[], indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of items) {
    if (isObject(item) && isNested(item)) {
      const start = out.length;
      writeObject(item, indent + 2, out);
      out[start] = `${pad}- ${(out[start] as string).slice(indent + 2)}`;
    } else if (isNested(item)) {
      out.push(`${pad}-`);
      writeNode(item, indent + 2, out);
    } else if (isBlockText(item)) {
      out.push(`${pad}- |-`);
      writeBlockText(item, indent + 2, out);
    } else {
      out.push(`${pad}- ${inline(item)}`);
    }
  }
}

function writeNode(value: JsonValue, indent: number, out: string[]): void {
  if (Array.isArray(value)) writeArray(value, indent, out);
  else if (isObject(value)) writeObject(value, indent, out);
  else out.push(`${' '.repeat(indent)}${inline(value)}`);
}

export function toYaml(value: JsonValue): string {
  const out: string[] = [];
  writeNode(value, 0, out);
  return `${out.join('\n')}\n`;
}
