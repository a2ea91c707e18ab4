// Which component serves a request: built from each backend's own OpenAPI document, so the
// gateway never keeps a hand-written route list. Pure: documents in, a matcher out.
// Literal path segments win over parameters, as in every router operators know.

/** Distinct "METHOD path" lookups remembered per table. */
export const matchCacheSize = 10_000;
/** Longer paths are looked up every time, so the cache holds at most ~2.5 MB of keys. */
const matchCacheKeyBytes = 256;

export interface OpenApiDoc {
  paths?: Record<string, Record<string, unknown>>;
}

interface Node {
  literal: Map<string, Node>;
  param: Node | undefined;
  /** method → the operation served there (one shared object per route: lookups allocate nothing) */
  methods: Map<string, RouteMatch>;
  /** the template that ends here, for metrics labels and timeouts */
  template: string | undefined;
}

const newNode = (): Node => ({
  literal: new Map(),
  param: undefined,
  methods: new Map(),
  template: undefined,
});

interface Operation {
  component: string;
  /** Declared with `security: []`: no token needed (health, discovery, token endpoints). */
  isPublic: boolean;
}

export interface RouteMatch extends Operation {
  template: string;
}

export interface RouteConflict {
  method: string;
  template: string;
  components: [string, string];
}

export class RouteTable {
  private readonly root = newNode();
  /** Lookups remembered by method, then path; the table never changes after it is built, only replaced. */
  private readonly cache = new Map<string, Map<string, RouteMatch | null>>();
  private cached = 0;
  readonly conflicts: RouteConflict[] = [];

  /** Adds every operation of a component's OpenAPI document. */
  addDocument(component: string, doc: OpenApiDoc): void {
    for (const [template, ops] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(ops)) {
        const security = (op as { security?: unknown[] } | undefined)?.security;
        this.add(component, method.toUpperCase(), template, Array.isArray(security) && security.length === 0);
      }
    }
  }

  add(component: string, method: string, template: string, isPublic = false): void {
    this.cache.clear();
    this.cached = 0;
    let node = this.root;
    for (const seg of segments(template)) {
      if (/^\{[^}]+\}$/.test(seg)) node = node.param ??= newNode();
      else {
        const next = node.literal.get(seg) ?? newNode();
        node.literal.set(seg, next);
        node = next;
      }
    }
    const owner = node.methods.get(method)?.component;
    if (owner && owner !== component)
      this.conflicts.push({ method, template, components: [owner, component] });
    else node.methods.set(method, { component, isPublic, template });
    node.template = template;
  }

  /** The component for a request path (no query string), or undefined. */
  match(method: string, path: string): RouteMatch | undefined {
    // Two levels rather than a "METHOD path" key: no string is built per lookup.
    let byPath = this.cache.get(method);
    const hit = byPath?.get(path);
    if (hit !== undefined) return hit ?? undefined;
    const found = walk(this.root, segments(path), 0, method === "HEAD" ? "GET" : method);
    // Busy paths repeat; a full cache starts over rather than tracking recency per lookup.
    if (path.length <= matchCacheKeyBytes) {
      if (this.cached >= matchCacheSize) {
        this.cache.clear();
        this.cached = 0;
        byPath = undefined;
      }
      if (byPath === undefined) {
        byPath = new Map();
        this.cache.set(method, byPath);
      }
      byPath.set(path, found ?? null);
      this.cached++;
    }
    return found;
  }

  /** Methods served at a path, for 405 answers and CORS preflight. */
  methodsAt(path: string): string[] {
    const out = new Set<string>();
    const visit = (node: Node, i: number, segs: string[]) => {
      if (i === segs.length) {
        for (const m of node.methods.keys()) out.add(m);
        return;
      }
      const lit = node.literal.get(segs[i]!);
      if (lit) visit(lit, i + 1, segs);
      if (node.param) visit(node.param, i + 1, segs);
    };
    visit(this.root, 0, segments(path));
    return [...out].sort();
  }
}

function walk(node: Node, segs: string[], i: number, method: string): RouteMatch | undefined {
  if (i === segs.length) {
    return node.methods.get(method);
  }
  const lit = node.literal.get(segs[i]!);
  if (lit) {
    const m = walk(lit, segs, i + 1, method);
    if (m) return m;
  }
  return node.param && segs[i] !== "" ? walk(node.param, segs, i + 1, method) : undefined;
}

function segments(path: string): string[] {
  return path.split("/").filter((s, i) => i > 0 || s !== "");
}
