// Where a new volume's copies go: distinct healthy servers, fewest volumes first. Pure.

export interface ServerLoad {
  id: string;
  healthy: boolean;
  volumes: number;
}

export type PlacementResult = { servers: string[] } | { error: string };

export function placeCopies(servers: ServerLoad[], copies: number, allowed?: string[]): PlacementResult {
  const rejected: string[] = [];
  const fit = servers.filter((s) => {
    if (allowed && !allowed.includes(s.id)) {
      rejected.push(`${s.id}: does not hold the source snapshot`);
      return false;
    }
    if (!s.healthy) {
      rejected.push(`${s.id}: not reachable`);
      return false;
    }
    return true;
  });
  if (fit.length < copies) {
    const why = servers.length === 0 ? "no volume servers are registered" : rejected.join("; ");
    return {
      error: `${copies} cop${copies === 1 ? "y needs" : "ies need"} ${copies} distinct healthy volume servers; ${fit.length} fit (${why || "none rejected"})`,
    };
  }
  const chosen = [...fit].sort((a, b) => a.volumes - b.volumes || a.id.localeCompare(b.id)).slice(0, copies);
  return { servers: chosen.map((s) => s.id) };
}
