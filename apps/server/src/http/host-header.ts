/** An entry of ALLOWED_HOSTS: a host name or address, with a port when only that port is meant. */
export interface AllowedHost {
  host: string;
  port?: string;
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`, lower-cased; undefined when the text is none of these. */
export function parseHostHeader(value: string): AllowedHost | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match) return undefined;
  return { host: match[1].toLowerCase(), ...(match[2] ? { port: match[2] } : {}) };
}
