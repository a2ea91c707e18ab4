// `host:port` as the components print and parse it: an IPv6 host in brackets.

export function formatHostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** `host:port` or `[v6]:port`; undefined when it is neither. */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  return m ? { host: m[1]!, port: Number(m[2]) } : undefined;
}
