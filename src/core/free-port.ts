// A port no one listens on right now, for programs that must be told a port up front (QEMU's
// host forwards). Another process could take it before it is used; tests accept that race.
import net from "node:net";

export async function freePort(host = "127.0.0.1"): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(0, host, () => resolve());
  });
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
