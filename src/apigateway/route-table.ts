// Which component serves a request: built from each backend's own OpenAPI document, so the
// gateway never keeps a hand-written route list. Pure: documents in, a matcher out.
// Literal path segments win over parameters, as in every router operators know.

export interface OpenApiDoc {
  paths?: Record<string, Record<string, unknown>>;
}

interface Node {
  literal: Map<string, Node>;
  param: Node | undefined;
  /** method → the operation served there */
  methods: Map<string, Operation>;
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
    else node.methods.set(method, { component, isPublic });
    node.template = template;
  }

  /** The component for a request path (no query string), or undefined. */
  match(method: string, path: string): RouteMatch | undefined {
    const segs = segments(path);
    const found = walk(this.root, segs, 0, method === "HEAD" ? "GET" : method);
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
    const op = node.methods.get(method);
    return op && node.template ? { ...op, template: node.template } : undefined;
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
