/** Deeper than this, a body is not a SCIM resource but a probe. */
export const MAX_JSON_DEPTH = 64;

/**
 * One pass over a JSON text that JSON.parse would accept, looking for what JSON.parse lets through silently: a key
 * given twice in one object (the last would win: `{"userName":"x","userName":"admin"}`) and nesting beyond
 * `maxDepth`. Returns the problem, or undefined. Strings are skipped with their escapes; keys are compared decoded, so
 * `"a"` and `"\u0061"` are the same key.
 */
export function checkJsonStructure(text: string, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: { keys?: Set<string>; expectKey: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(start, i + 1)) as string;
        } catch {
          return undefined; // not valid JSON: the parser's own error says so
        }
        if (top.keys.has(key)) return 'The request body gives the same attribute twice in one object';
        top.keys.add(key);
        top.expectKey = false;
      }
    } else if (c === '{' || c === '[') {
      if (stack.length >= maxDepth) return `The request body is nested deeper than ${maxDepth} levels`;
      stack.push(c === '{' ? { keys: new Set(), expectKey: true } : { expectKey: false });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return undefined;
}
