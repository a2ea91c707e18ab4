// Upload and version ids are typed on command lines (aws s3api --upload-id ID): one that starts
// with '-' is read as an option there (a CI run failed on one), so ids are hex.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newUploadId } from "../../src/lightningstor/s3-multipart-ops.ts";
import { newVersionId } from "../../src/lightningstor/s3-object-ops.ts";

test("upload and version ids are hex, never starting with '-'", () => {
  for (let i = 0; i < 2000; i++) {
    assert.match(newUploadId(), /^[0-9a-f]{48}$/);
    assert.match(newVersionId(), /^[0-9a-f]{32}$/);
  }
});
