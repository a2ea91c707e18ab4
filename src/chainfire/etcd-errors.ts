// The errors etcd 3.4 returns, with the same gRPC status codes and message texts: clients
// (clientv3, etcdctl, etcd3 on npm) match on the text to turn them back into typed errors.
import { status } from "@grpc/grpc-js";

export class EtcdError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = "EtcdError";
  }
}

const e = (code: status, message: string) => () => new EtcdError(code, message);

export const etcdErrors = {
  emptyKey: e(status.INVALID_ARGUMENT, "etcdserver: key is not provided"),
  keyNotFound: e(status.INVALID_ARGUMENT, "etcdserver: key not found"),
  valueProvided: e(status.INVALID_ARGUMENT, "etcdserver: value is provided"),
  leaseProvided: e(status.INVALID_ARGUMENT, "etcdserver: lease is provided"),
  tooManyOps: e(status.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
  duplicateKey: e(status.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
  compacted: e(status.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
  futureRev: e(status.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
  noSpace: e(status.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
  leaseNotFound: e(status.NOT_FOUND, "etcdserver: requested lease not found"),
  leaseExist: e(status.FAILED_PRECONDITION, "etcdserver: lease already exists"),
  leaseTTLTooLarge: e(status.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
  memberExist: e(status.FAILED_PRECONDITION, "etcdserver: member ID already exist"),
  peerURLExist: e(status.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"),
  memberNotFound: e(status.NOT_FOUND, "etcdserver: member not found"),
  memberNotLearner: e(status.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
  learnerNotReady: e(
    status.FAILED_PRECONDITION,
    "etcdserver: can only promote a learner member which is in sync with leader",
  ),
  memberBadURLs: e(status.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid"),
  requestTooLarge: e(status.INVALID_ARGUMENT, "etcdserver: request is too large"),
  tooManyRequests: e(status.RESOURCE_EXHAUSTED, "etcdserver: too many requests"),
  stopped: e(status.UNAVAILABLE, "etcdserver: server stopped"),
  noLeader: e(status.UNAVAILABLE, "etcdserver: no leader"),
  timeout: e(status.UNAVAILABLE, "etcdserver: request timed out"),
  authNotEnabled: e(status.FAILED_PRECONDITION, "etcdserver: authentication is not enabled"),
  notCapable: e(status.UNAVAILABLE, "etcdserver: not capable"),
  /** Not an etcd message: for requests our decoder cannot make sense of. */
  malformed: (what: string) =>
    new EtcdError(status.INVALID_ARGUMENT, `etcdserver: malformed request: ${what}`),
};

export const isEtcdError = (x: unknown): x is EtcdError => x instanceof EtcdError;
