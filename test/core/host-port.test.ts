import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { formatHostPort, parseHostPort } from "../../src/core/host-port.ts";

test("host:port round-trips for names, IPv4 and bracketed IPv6; anything else is refused", () => {
  assert.equal(formatHostPort("::1", 10809), "[::1]:10809");
  assert.deepEqual(parseHostPort("[::1]:10809"), { host: "::1", port: 10809 });
  assert.deepEqual(parseHostPort("127.0.0.1:80"), { host: "127.0.0.1", port: 80 });
  for (const bad of ["127.0.0.1", "host:", ":80", "host:8o"])
    assert.equal(parseHostPort(bad), undefined, bad);
  fc.assert(
    fc.property(
      fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6()),
      fc.integer({ min: 0, max: 65535 }),
      (host, port) => {
        assert.deepEqual(parseHostPort(formatHostPort(host, port)), { host, port });
      },
    ),
  );
});
