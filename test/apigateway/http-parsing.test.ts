// The gateway's own HTTP/1.1 parsing: request heads (strict about framing, where request
// smuggling lives), backend response heads, and where a chunked body ends.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ChunkedFraming } from "../../src/apigateway/chunked-framing.ts";
import { parseRequestHead, parseResponseHead } from "../../src/apigateway/http-head.ts";

const head = (lines: string[]) => `${lines.join("\r\n")}\r\n`;

describe("request heads", () => {
  test("keeps ordinary headers as text and pulls out the ones the gateway acts on", () => {
    const h = parseRequestHead(
      head([
        "PUT /v1/projects/p/things/x?dryRun=1 HTTP/1.1",
        "Host: gw",
        "Authorization: Bearer t",
        "Content-Length: 5",
        "X-Photon-Subject: user:root",
        "X-Request-Id: abc",
        "Connection: keep-alive",
        "Accept: */*",
      ]),
    );
    assert.equal(h.method, "PUT");
    assert.equal(h.path, "/v1/projects/p/things/x");
    assert.equal(h.target, "/v1/projects/p/things/x?dryRun=1");
    assert.equal(h.contentLength, 5);
    assert.equal(h.authorization, "Bearer t");
    assert.equal(h.requestId, "abc");
    assert.equal(h.keepAlive, true);
    assert.equal(h.forwarded, "Authorization: Bearer t\r\nAccept: */*\r\n");
  });

  test("refuses what could smuggle a second request past the gateway", () => {
    const refused = [
      ["POST / HTTP/1.1", "Content-Length: 5", "Transfer-Encoding: chunked"],
      ["POST / HTTP/1.1", "Content-Length: 5", "Content-Length: 6"],
      ["POST / HTTP/1.1", "Transfer-Encoding: gzip, chunked"],
      ["POST / HTTP/1.1", "Content-Length: -1"],
      ["POST / HTTP/1.1", "Bad Name: x"],
      ["GET http://evil/ HTTP/1.1"],
      ["GET / HTTP/2.0"],
      ["get / HTTP/1.1"],
    ];
    for (const lines of refused)
      assert.throws(() => parseRequestHead(head(lines)), /malformed HTTP request/, lines.join(" | "));
  });

  test("HTTP/1.0 closes unless asked to keep alive", () => {
    assert.equal(parseRequestHead(head(["GET / HTTP/1.0"])).keepAlive, false);
    assert.equal(parseRequestHead(head(["GET / HTTP/1.0", "Connection: keep-alive"])).keepAlive, true);
    assert.equal(parseRequestHead(head(["GET / HTTP/1.1", "Connection: close"])).keepAlive, false);
  });
  test("passes kept lines on in their order whatever is dropped around them, and refuses a bare LF", () => {
    const h = parseRequestHead(
      "GET / HTTP/1.1\r\nConnection: keep-alive\r\nA: 1\r\nB: 2\r\nX-PHOTON-Subject: x\r\nC: 3\r\nHost: h",
    );
    assert.equal(h.forwarded, "A: 1\r\nB: 2\r\nC: 3\r\n");
    assert.equal(h.host, "h");
    assert.equal(parseRequestHead("GET / HTTP/1.1\r\nA: 1").forwarded, "A: 1\r\n");
    assert.equal(
      parseRequestHead(head(["OPTIONS / HTTP/1.1", "Access-Control-Request-Method: PUT"])).corsRequestMethod,
      "PUT",
    );
    assert.throws(() => parseRequestHead(head(["GET / HTTP/1.1", "A: 1\nContent-Length: 5"])), /bare LF/);
    const r = parseResponseHead(
      head(["HTTP/1.1 200 OK", "Keep-Alive: x", "A: 1", "Connection: close", "B: 2"]),
    );
    assert.equal(r.forwarded, "A: 1\r\nB: 2\r\n");
    assert.equal(r.close, true);
  });
});

describe("response heads", () => {
  test("drops hop-by-hop headers and works out the framing", () => {
    const r = parseResponseHead(
      head([
        "HTTP/1.1 200 OK",
        "Content-Length: 3",
        "Connection: keep-alive",
        "Keep-Alive: timeout=5",
        "ETag: x",
      ]),
    );
    assert.equal(r.status, 200);
    assert.equal(r.statusText, "200 OK");
    assert.equal(r.contentLength, 3);
    assert.equal(r.close, false);
    assert.equal(r.forwarded, "Content-Length: 3\r\nETag: x\r\n");
    const chunked = parseResponseHead(
      head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Content-Length: 9"]),
    );
    assert.equal(chunked.chunked, true);
    assert.equal(chunked.contentLength, -1);
    const untilClose = parseResponseHead(head(["HTTP/1.0 200 OK"]));
    assert.equal(untilClose.untilClose, true);
    assert.equal(untilClose.close, true);
  });
});

describe("chunked framing", () => {
  const body = Buffer.from("5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT");

  test("finds the end of the body, whichever way the bytes are split", () => {
    const end = body.length - 4;
    for (let split = 1; split < body.length; split++) {
      const f = new ChunkedFraming();
      const a = f.feed(body, 0, split);
      const at = a >= 0 ? a : f.feed(body, split, body.length);
      assert.equal(at, end, `split at ${split}`);
      assert.equal(f.dataBytes, 11);
    }
  });

  test("rejects malformed framing", () => {
    for (const bad of ["x\r\n", "5\r\nhelloXX", "5\n", `${"f".repeat(11)}\r\n`]) {
      const f = new ChunkedFraming();
      assert.throws(() => f.feed(Buffer.from(bad), 0, bad.length), bad);
    }
  });
});
