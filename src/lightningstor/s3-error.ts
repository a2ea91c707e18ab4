// S3's error vocabulary: the code, the HTTP status S3 returns with it, and the message.
// Clients branch on these codes, so they are S3's exactly, not PhotonCloud's ApiError codes.

export const s3ErrorStatus = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IllegalVersioningConfigurationException: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidLocationConstraint: 400,
  InvalidPartNumber: 416,
  BadRequest: 400,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidStorageClass: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  MalformedPolicy: 400,
  MetadataTooLarge: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchBucketPolicy: 404,
  NoSuchCORSConfiguration: 404,
  NoSuchKey: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchUpload: 404,
  NoSuchVersion: 404,
  NotImplemented: 501,
  NotModified: 304,
  PreconditionFailed: 412,
  QuotaExceeded: 403,
  RequestHeaderSectionTooLarge: 400,
  RequestTimeTooSkewed: 403,
  ServiceUnavailable: 503,
  SignatureDoesNotMatch: 403,
  SlowDown: 503,
  TooManyBuckets: 400,
  XAmzContentSHA256Mismatch: 400,
  InvalidChunkSizeError: 403,
} as const;

export type S3ErrorCode = keyof typeof s3ErrorStatus;

export class S3Error extends Error {
  readonly code: S3ErrorCode;
  /** Extra elements S3 puts in the <Error> body (BucketName, Key, RequestTime, …). */
  readonly extra: Record<string, string>;
  /** Extra response headers (e.g. x-amz-delete-marker on a NoSuchKey of a deleted object). */
  readonly headers: Record<string, string>;

  constructor(
    code: S3ErrorCode,
    message: string,
    extra: Record<string, string> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "S3Error";
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }

  get status(): number {
    return s3ErrorStatus[this.code];
  }
}

export const noSuchBucket = (bucket: string) =>
  new S3Error("NoSuchBucket", "The specified bucket does not exist", { BucketName: bucket });
export const noSuchKey = (key: string) =>
  new S3Error("NoSuchKey", "The specified key does not exist.", { Key: key });
export const malformedXml = () =>
  new S3Error(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema",
  );
