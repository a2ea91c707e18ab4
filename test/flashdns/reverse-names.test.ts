import assert from "node:assert/strict";
import { test } from "node:test";
import { reverseName, reverseZonesFor } from "../../src/flashdns/reverse-names.ts";

test("reverse names of IPv4 and IPv6 addresses", () => {
  assert.equal(reverseName("10.0.0.5"), "5.0.0.10.in-addr.arpa.");
  assert.equal(
    reverseName("2001:db8::567:89ab"),
    "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
  );
  assert.throws(() => reverseName("10.0.0"), /not an IP address/);
});

test("the reverse zones covering a subnet follow label boundaries", () => {
  assert.deepEqual(reverseZonesFor("10.1.0.0/16"), ["1.10.in-addr.arpa."]);
  assert.deepEqual(reverseZonesFor("192.168.4.0/22"), [
    "4.168.192.in-addr.arpa.",
    "5.168.192.in-addr.arpa.",
    "6.168.192.in-addr.arpa.",
    "7.168.192.in-addr.arpa.",
  ]);
  assert.deepEqual(reverseZonesFor("10.2.3.128/25"), ["3.2.10.in-addr.arpa."]);
  assert.deepEqual(reverseZonesFor("2001:db8::/32"), ["8.b.d.0.1.0.0.2.ip6.arpa."]);
  assert.equal(reverseZonesFor("2001:db8::/30").length, 4);
  assert.equal(reverseZonesFor("16.0.0.0/4").length, 16);
  assert.throws(() => reverseZonesFor("10.0.0.0/33"), /not a CIDR/);
});
