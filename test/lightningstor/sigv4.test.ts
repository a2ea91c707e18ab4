// SigV4 against the worked examples AWS publishes for S3 (access key AKIAIOSFODNN7EXAMPLE,
// 24 May 2013): header auth, presigned URLs and the chunk signatures of a streaming upload.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { S3Error } from "../../src/lightningstor/s3-error.ts";
import {
  canonicalQuery,
  chunkSignature,
  emptySha256,
  parseAuth,
  parseQuery,
  type SignableRequest,
  sha256Hex,
  signRequest,
  uriEncode,
  verify,
} from "../../src/lightningstor/sigv4.ts";

const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const akid = "AKIAIOSFODNN7EXAMPLE";
const scope = "20130524/us-east-1/s3/aws4_request";
const at = Date.UTC(2013, 4, 24, 0, 5, 0);

function headerAuth(
  method: string,
  path: string,
  query: string,
  headers: Record<string, string>,
  signedHeaders: string,
  signature: string,
): SignableRequest {
  return {
    method,
    rawPath: path,
    query: parseQuery(query),
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${akid}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
  };
}

const verifies = (req: SignableRequest, nowMs = at) => {
  const parsed = parseAuth(req);
  assert.ok(parsed);
  return verify(req, parsed, secret, nowMs);
};

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof S3Error) return e.code;
    throw e;
  }
  return "no error";
};

describe("SigV4 (AWS's published S3 examples)", () => {
  const base = { host: "examplebucket.s3.amazonaws.com", "x-amz-date": "20130524T000000Z" };

  it("GET object with a Range header verifies", () => {
    const req = headerAuth(
      "GET",
      "/test.txt",
      "",
      { ...base, range: "bytes=0-9", "x-amz-content-sha256": emptySha256 },
      "host;range;x-amz-content-sha256;x-amz-date",
      "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
    verifies(req);
  });

  it("PUT object with a $ in the key and a signed payload verifies", () => {
    const body = "Welcome to Amazon S3.";
    const req = headerAuth(
      "PUT",
      "/test%24file.text",
      "",
      {
        ...base,
        date: "Fri, 24 May 2013 00:00:00 GMT",
        "x-amz-storage-class": "REDUCED_REDUNDANCY",
        "x-amz-content-sha256": sha256Hex(body),
      },
      "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
      "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
    );
    verifies(req);
  });

  it("GET ?lifecycle (an empty sub-resource) verifies", () => {
    const req = headerAuth(
      "GET",
      "/",
      "lifecycle",
      { ...base, "x-amz-content-sha256": emptySha256 },
      "host;x-amz-content-sha256;x-amz-date",
      "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
    );
    verifies(req);
  });

  it("GET ?max-keys=2&prefix=J (sorted query) verifies", () => {
    const req = headerAuth(
      "GET",
      "/",
      "max-keys=2&prefix=J",
      { ...base, "x-amz-content-sha256": emptySha256 },
      "host;x-amz-content-sha256;x-amz-date",
      "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
    );
    verifies(req);
  });

  it("a presigned GET verifies until it expires, then is AccessDenied", () => {
    const req: SignableRequest = {
      method: "GET",
      rawPath: "/test.txt",
      query: parseQuery(
        `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${akid}%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404`,
      ),
      headers: { host: "examplebucket.s3.amazonaws.com" },
    };
    verifies(req);
    assert.equal(
      codeOf(() => verifies(req, at + 86_400_000)),
      "AccessDenied",
    );
  });

  it("the chunk signatures of a streaming PUT chain from the seed signature", () => {
    const req = headerAuth(
      "PUT",
      "/examplebucket/chunkObject.txt",
      "",
      {
        ...base,
        host: "s3.amazonaws.com",
        "x-amz-storage-class": "REDUCED_REDUNDANCY",
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": "66560",
        "content-length": "66824",
      },
      "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
      "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
    );
    const { key, seedSignature } = verifies(req);
    const s = { date: "20130524", region: "us-east-1", service: "s3" };
    const c1 = chunkSignature(key, "20130524T000000Z", s, seedSignature, sha256Hex(Buffer.alloc(65536, "a")));
    assert.equal(c1, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
    const c2 = chunkSignature(key, "20130524T000000Z", s, c1, sha256Hex(Buffer.alloc(1024, "a")));
    assert.equal(c2, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
    const c3 = chunkSignature(key, "20130524T000000Z", s, c2, emptySha256);
    assert.equal(c3, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
  });
});

describe("SigV4 rejections", () => {
  const make = (nowMs: number, secretUsed = secret) => {
    const req: SignableRequest = {
      method: "GET",
      rawPath: "/b/k%20x",
      query: parseQuery("list-type=2&prefix=a%2Fb"),
      headers: { host: "127.0.0.1:9000" },
    };
    signRequest(
      req,
      { accessKeyId: akid, secret: secretUsed },
      { region: "us-east-1", nowMs, payloadHash: emptySha256 },
    );
    return req;
  };

  it("a request signed by signRequest verifies", () => {
    verifies(make(at), at);
  });

  it("a wrong secret is SignatureDoesNotMatch", () => {
    assert.equal(
      codeOf(() => verifies(make(at, "nope"), at)),
      "SignatureDoesNotMatch",
    );
  });

  it("a tampered path is SignatureDoesNotMatch", () => {
    const req = make(at);
    req.rawPath = "/b/other";
    assert.equal(
      codeOf(() => verifies(req, at)),
      "SignatureDoesNotMatch",
    );
  });

  it("clock skew beyond 15 minutes is RequestTimeTooSkewed, within it passes", () => {
    assert.equal(
      codeOf(() => verifies(make(at - 16 * 60_000), at)),
      "RequestTimeTooSkewed",
    );
    assert.equal(
      codeOf(() => verifies(make(at + 16 * 60_000), at)),
      "RequestTimeTooSkewed",
    );
    verifies(make(at - 14 * 60_000), at);
  });

  it("a malformed credential is AuthorizationHeaderMalformed", () => {
    const req = make(at);
    req.headers.authorization =
      "AWS4-HMAC-SHA256 Credential=AK/2013/us-east-1/s3, SignedHeaders=host, Signature=00";
    assert.equal(
      codeOf(() => parseAuth(req)),
      "AuthorizationHeaderMalformed",
    );
  });

  it("uriEncode follows RFC 3986 with upper-case hex and UTF-8", () => {
    assert.equal(uriEncode("a b/ü~*"), "a%20b%2F%C3%BC~%2A");
    assert.equal(uriEncode("a b/c", true), "a%20b/c");
    assert.equal(
      canonicalQuery([
        ["b", "2"],
        ["a", ""],
        ["a", "1"],
      ]),
      "a=&a=1&b=2",
    );
  });
});
