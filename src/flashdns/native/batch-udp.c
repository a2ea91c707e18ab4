// Batched UDP I/O for flashdns (Linux): recvmmsg into a preallocated ring of slots and one
// sendmmsg of the answers, driven by a uv_poll on the socket, so Node's per-datagram costs
// (a recvmsg, a sendmsg, a callback, a Buffer and an address string each) become per-batch.
// This file only moves datagrams: parsing, the answer cache and answering stay in TypeScript
// (batch-udp.ts). One JS call per batch: JS reads queries from the ring, writes answers into
// a transmit buffer and returns how many it wrote (slot, offset, length triples).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

/** Datagrams per recvmmsg; the JS side's typed arrays must match (checked at open). */
#define MAX_BATCH 256
/** Per received datagram: length, flags, family, port, then 16 address bytes. */
#define META_FIELDS 8
/** Per answer: receive slot (whose source address it goes to), offset and length in tx. */
#define OUT_FIELDS 3
/** Batches per wake-up before yielding to the event loop (TCP, IPC, timers keep running). */
#define MAX_BATCHES_PER_WAKE 16
#define FLAG_TRUNCATED 1

/** Counters written into the caller's Float64Array (see batch-udp.ts for the names). */
enum {
  C_BATCHES,
  C_DATAGRAMS,
  C_TRUNCATED,
  C_SENT,
  C_SEND_DROPPED,
  C_SEND_ERRORS,
  C_RECV_ERRORS,
  C_POLL_ERRORS,
  C_COUNT
};

typedef struct channel {
  uv_poll_t poll;
  napi_env env;
  int fd;
  int owns_fd;
  int closing;
  uint8_t *rx;
  size_t slot_bytes;
  uint32_t batch;
  int32_t *meta;
  uint8_t *tx;
  size_t tx_len;
  int32_t *out;
  double *counters;
  napi_ref refs[5];
  napi_ref cb_ref;
  napi_async_context async;
  struct mmsghdr rmsgs[MAX_BATCH];
  struct iovec riov[MAX_BATCH];
  struct sockaddr_storage raddr[MAX_BATCH];
  struct mmsghdr smsgs[MAX_BATCH];
  struct iovec siov[MAX_BATCH];
} channel_t;

/** What JS holds: survives the channel, so a second close() or a late GC is harmless. */
typedef struct {
  channel_t *ch;
} box_t;

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  const char *code = err == EADDRINUSE      ? "EADDRINUSE"
                     : err == EACCES        ? "EACCES"
                     : err == EADDRNOTAVAIL ? "EADDRNOTAVAIL"
                                            : "ESYSCALL";
  napi_throw_error(env, code, msg);
  return NULL;
}

#define CHECK(env, call)                                                                 \
  do {                                                                                   \
    if ((call) != napi_ok) {                                                             \
      const napi_extended_error_info *info = NULL;                                       \
      napi_get_last_error_info((env), &info);                                            \
      napi_throw_error((env), NULL, info && info->error_message ? info->error_message    \
                                                                : "napi call failed");   \
      return NULL;                                                                       \
    }                                                                                    \
  } while (0)

// bindSocket(address: string, port: number, bufferBytes: number): [fd, port]
static napi_value js_bind(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char host[INET6_ADDRSTRLEN + 1];
  size_t host_len = 0;
  uint32_t port = 0, buf_bytes = 0;
  if (argc < 3 || napi_get_value_string_utf8(env, argv[0], host, sizeof host, &host_len) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &port) != napi_ok ||
      napi_get_value_uint32(env, argv[2], &buf_bytes) != napi_ok || port > 65535) {
    napi_throw_type_error(env, NULL, "bindSocket(address, port, bufferBytes)");
    return NULL;
  }
  struct sockaddr_storage ss;
  socklen_t ss_len;
  memset(&ss, 0, sizeof ss);
  struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
  struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
  if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    ss_len = sizeof *s4;
  } else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons((uint16_t)port);
    ss_len = sizeof *s6;
  } else {
    napi_throw_type_error(env, NULL, "bindSocket: the address must be an IPv4 or IPv6 literal");
    return NULL;
  }
  int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket", errno);
  int size = (int)buf_bytes;
  // Best effort: the kernel caps these at net.core.[rw]mem_max.
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  if (bind(fd, (struct sockaddr *)&ss, ss_len) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "bind", err);
  }
  socklen_t got_len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &got_len) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "getsockname", err);
  }
  uint16_t bound = ntohs(ss.ss_family == AF_INET ? s4->sin_port : s6->sin6_port);
  napi_value result, v;
  CHECK(env, napi_create_array_with_length(env, 2, &result));
  CHECK(env, napi_create_int32(env, fd, &v));
  CHECK(env, napi_set_element(env, result, 0, v));
  CHECK(env, napi_create_uint32(env, bound, &v));
  CHECK(env, napi_set_element(env, result, 1, v));
  return result;
}

// closeFd(fd): for a socket that was bound but never handed to open() (or handed on, to
// worker processes, by one that does not poll it itself).
static napi_value js_close_fd(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "closeFd(fd)");
    return NULL;
  }
  close(fd);
  return NULL;
}

static int recv_batch(channel_t *c) {
  for (uint32_t i = 0; i < c->batch; i++) {
    c->rmsgs[i].msg_hdr.msg_namelen = sizeof c->raddr[i];
    c->rmsgs[i].msg_hdr.msg_flags = 0;
  }
  int n;
  do n = recvmmsg(c->fd, c->rmsgs, c->batch, MSG_DONTWAIT, NULL);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) c->counters[C_RECV_ERRORS]++;
    return 0;
  }
  for (int i = 0; i < n; i++) {
    int32_t *m = c->meta + (size_t)i * META_FIELDS;
    struct msghdr *h = &c->rmsgs[i].msg_hdr;
    unsigned len = c->rmsgs[i].msg_len;
    int truncated = (h->msg_flags & MSG_TRUNC) != 0 || len > c->slot_bytes;
    m[0] = (int32_t)(len > c->slot_bytes ? c->slot_bytes : len);
    m[1] = truncated ? FLAG_TRUNCATED : 0;
    if (truncated) c->counters[C_TRUNCATED]++;
    const struct sockaddr_storage *a = &c->raddr[i];
    memset(&m[4], 0, 16);
    if (a->ss_family == AF_INET && h->msg_namelen >= sizeof(struct sockaddr_in)) {
      const struct sockaddr_in *s = (const struct sockaddr_in *)a;
      m[2] = 4;
      m[3] = ntohs(s->sin_port);
      memcpy(&m[4], &s->sin_addr, 4);
    } else if (a->ss_family == AF_INET6 && h->msg_namelen >= sizeof(struct sockaddr_in6)) {
      const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)a;
      m[2] = 6;
      m[3] = ntohs(s->sin6_port);
      memcpy(&m[4], &s->sin6_addr, 16);
    } else {
      m[2] = 0;  // no usable source address: JS must not answer it (send_batch refuses too)
      m[3] = 0;
    }
  }
  c->counters[C_BATCHES]++;
  c->counters[C_DATAGRAMS] += n;
  return n;
}

static void send_batch(channel_t *c, int received, int answers) {
  if (answers <= 0) return;
  if (answers > received) answers = received;  // at most one answer per query
  int k = 0;
  for (int j = 0; j < answers; j++) {
    const int32_t *o = c->out + (size_t)j * OUT_FIELDS;
    int32_t slot = o[0], off = o[1], len = o[2];
    // The JS side is trusted but checked: nothing outside the buffers ever reaches the kernel.
    if (slot < 0 || slot >= received || off < 0 || len <= 0 || (size_t)off + (size_t)len > c->tx_len ||
        c->meta[(size_t)slot * META_FIELDS + 2] == 0) {
      c->counters[C_SEND_ERRORS]++;
      continue;
    }
    struct msghdr *h = &c->smsgs[k].msg_hdr;
    c->siov[k].iov_base = c->tx + off;
    c->siov[k].iov_len = (size_t)len;
    h->msg_name = &c->raddr[slot];
    h->msg_namelen = c->rmsgs[slot].msg_hdr.msg_namelen;
    h->msg_iov = &c->siov[k];
    h->msg_iovlen = 1;
    h->msg_control = NULL;
    h->msg_controllen = 0;
    h->msg_flags = 0;
    k++;
  }
  int sent = 0;
  while (sent < k) {
    int r = sendmmsg(c->fd, c->smsgs + sent, (unsigned)(k - sent), MSG_DONTWAIT);
    if (r > 0) {
      sent += r;
      c->counters[C_SENT] += r;
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
      // The send buffer is full: UDP may lose datagrams, so the rest of this batch is dropped
      // (and counted) rather than queued without bound.
      c->counters[C_SEND_DROPPED] += k - sent;
      return;
    }
    // An error for this one datagram (an unreachable or refused destination): skip it.
    c->counters[C_SEND_ERRORS]++;
    sent++;
  }
}

static void on_poll(uv_poll_t *handle, int status, int events) {
  (void)events;
  channel_t *c = (channel_t *)handle->data;
  if (c->closing) return;
  if (status < 0) {
    // A broken socket would report this on every loop turn: stop polling, JS sees the counter.
    c->counters[C_POLL_ERRORS]++;
    uv_poll_stop(&c->poll);
    return;
  }
  napi_env env = c->env;
  for (int round = 0; round < MAX_BATCHES_PER_WAKE && !c->closing; round++) {
    int n = recv_batch(c);
    if (n <= 0) break;
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) break;
    napi_value cb, recv, arg, result;
    int32_t answers = 0;
    napi_status st = napi_get_reference_value(env, c->cb_ref, &cb);
    if (st == napi_ok) st = napi_get_global(env, &recv);  // MakeCallback needs an object receiver
    if (st == napi_ok) st = napi_create_int32(env, n, &arg);
    if (st == napi_ok) st = napi_make_callback(env, c->async, recv, cb, 1, &arg, &result);
    if (st == napi_ok) {
      if (napi_get_value_int32(env, result, &answers) != napi_ok) answers = 0;
    } else {
      bool pending = false;
      napi_is_exception_pending(env, &pending);
      if (pending) {
        napi_value err;
        napi_get_and_clear_last_exception(env, &err);
        napi_fatal_exception(env, err);
      }
      napi_close_handle_scope(env, scope);
      break;
    }
    napi_close_handle_scope(env, scope);
    if (c->closing) break;  // closed from inside the callback: the fd may be gone soon
    send_batch(c, n, answers);
    if ((uint32_t)n < c->batch) break;  // drained; level-triggered polling wakes us for more
  }
}

static void on_closed(uv_handle_t *handle) {
  channel_t *c = (channel_t *)handle->data;
  if (c->owns_fd) close(c->fd);
  free(c);
}

static void close_channel(channel_t *c) {
  if (c->closing) return;
  c->closing = 1;
  napi_env env = c->env;
  for (int i = 0; i < 5; i++)
    if (c->refs[i]) napi_delete_reference(env, c->refs[i]);
  if (c->cb_ref) napi_delete_reference(env, c->cb_ref);
  if (c->async) napi_async_destroy(env, c->async);
  // uv_close takes the fd out of epoll now; the fd itself is closed once libuv is done.
  uv_close((uv_handle_t *)&c->poll, on_closed);
}

static void finalize_box(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  box_t *b = (box_t *)data;
  if (b->ch) close_channel(b->ch);
  free(b);
}

static int typed_array(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len) {
  bool is = false;
  napi_typedarray_type type;
  napi_value ab;
  size_t off;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  if (napi_get_typedarray_info(env, v, &type, len, data, &ab, &off) != napi_ok) return 0;
  return type == want && *data != NULL;
}

// open(fd, ownsFd, rx: Uint8Array, slotBytes, meta: Int32Array, tx: Uint8Array,
//      out: Int32Array, counters: Float64Array, onBatch(count) => answers): handle
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd = -1;
  bool owns = false;
  uint32_t slot_bytes = 0;
  void *rx, *meta, *tx, *out, *counters;
  size_t rx_n, meta_n, tx_n, out_n, counters_n;
  napi_valuetype cb_type = napi_undefined;
  if (argc < 9 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      napi_get_value_bool(env, argv[1], &owns) != napi_ok ||
      !typed_array(env, argv[2], napi_uint8_array, &rx, &rx_n) ||
      napi_get_value_uint32(env, argv[3], &slot_bytes) != napi_ok || slot_bytes < 512 ||
      !typed_array(env, argv[4], napi_int32_array, &meta, &meta_n) ||
      !typed_array(env, argv[5], napi_uint8_array, &tx, &tx_n) ||
      !typed_array(env, argv[6], napi_int32_array, &out, &out_n) ||
      !typed_array(env, argv[7], napi_float64_array, &counters, &counters_n) ||
      napi_typeof(env, argv[8], &cb_type) != napi_ok || cb_type != napi_function) {
    napi_throw_type_error(env, NULL,
                          "open(fd, ownsFd, rx, slotBytes, meta, tx, out, counters, onBatch)");
    return NULL;
  }
  size_t batch = rx_n / slot_bytes;
  if (batch < 1 || batch > MAX_BATCH || meta_n < batch * META_FIELDS || out_n < batch * OUT_FIELDS ||
      counters_n < C_COUNT) {
    napi_throw_range_error(env, NULL, "open: buffer sizes do not fit the batch (1..256 slots)");
    return NULL;
  }
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) return throw_errno(env, "fcntl", errno);
  channel_t *c = (channel_t *)calloc(1, sizeof *c);
  if (!c) return throw_errno(env, "calloc", ENOMEM);
  c->env = env;
  c->fd = fd;
  c->owns_fd = owns;
  c->rx = (uint8_t *)rx;
  c->slot_bytes = slot_bytes;
  c->batch = (uint32_t)batch;
  c->meta = (int32_t *)meta;
  c->tx = (uint8_t *)tx;
  c->tx_len = tx_n;
  c->out = (int32_t *)out;
  c->counters = (double *)counters;
  for (uint32_t i = 0; i < c->batch; i++) {
    c->riov[i].iov_base = c->rx + (size_t)i * slot_bytes;
    c->riov[i].iov_len = slot_bytes;
    c->rmsgs[i].msg_hdr.msg_name = &c->raddr[i];
    c->rmsgs[i].msg_hdr.msg_iov = &c->riov[i];
    c->rmsgs[i].msg_hdr.msg_iovlen = 1;
  }
  uv_loop_t *loop = NULL;
  napi_value name, resource;
  int ok = napi_get_uv_event_loop(env, &loop) == napi_ok && loop != NULL &&
           napi_create_string_utf8(env, "flashdns.BatchUdp", NAPI_AUTO_LENGTH, &name) == napi_ok &&
           napi_create_object(env, &resource) == napi_ok &&
           napi_async_init(env, resource, name, &c->async) == napi_ok;
  // The typed arrays are pinned by references for as long as C writes into them.
  static const int pinned[5] = {2, 4, 5, 6, 7};
  for (int i = 0; ok && i < 5; i++)
    ok = napi_create_reference(env, argv[pinned[i]], 1, &c->refs[i]) == napi_ok;
  ok = ok && napi_create_reference(env, argv[8], 1, &c->cb_ref) == napi_ok;
  if (!ok || uv_poll_init(loop, &c->poll, fd) != 0) {
    for (int i = 0; i < 5; i++)
      if (c->refs[i]) napi_delete_reference(env, c->refs[i]);
    if (c->cb_ref) napi_delete_reference(env, c->cb_ref);
    if (c->async) napi_async_destroy(env, c->async);
    free(c);
    napi_throw_error(env, NULL, "open: could not set up polling of the socket");
    return NULL;
  }
  c->poll.data = c;
  if (uv_poll_start(&c->poll, UV_READABLE, on_poll) != 0) {
    c->owns_fd = 0;  // the caller still owns a socket it could not hand over
    close_channel(c);
    napi_throw_error(env, NULL, "open: uv_poll_start failed");
    return NULL;
  }
  box_t *b = (box_t *)malloc(sizeof *b);
  napi_value handle;
  if (!b) {
    close_channel(c);
    return throw_errno(env, "malloc", ENOMEM);
  }
  b->ch = c;
  if (napi_create_external(env, b, finalize_box, NULL, &handle) != napi_ok) {
    close_channel(c);
    free(b);
    napi_throw_error(env, NULL, "open: napi_create_external failed");
    return NULL;
  }
  return handle;
}

// close(handle): stops polling and closes the socket it owns; a second call does nothing.
static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok || !data) {
    napi_throw_type_error(env, NULL, "close(handle)");
    return NULL;
  }
  box_t *b = (box_t *)data;
  if (b->ch) close_channel(b->ch);
  b->ch = NULL;
  return NULL;
}

// ref(handle, on): whether the socket keeps the event loop alive (like dgram's ref/unref).
static napi_value js_ref(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  void *data = NULL;
  bool on = true;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || napi_get_value_external(env, argv[0], &data) != napi_ok || !data ||
      napi_get_value_bool(env, argv[1], &on) != napi_ok) {
    napi_throw_type_error(env, NULL, "ref(handle, on)");
    return NULL;
  }
  box_t *b = (box_t *)data;
  if (b->ch) {
    if (on) uv_ref((uv_handle_t *)&b->ch->poll);
    else uv_unref((uv_handle_t *)&b->ch->poll);
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"bindSocket", NULL, js_bind, NULL, NULL, NULL, napi_enumerable, NULL},
      {"closeFd", NULL, js_close_fd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"open", NULL, js_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
      {"ref", NULL, js_ref, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_value v;
  napi_create_uint32(env, MAX_BATCH, &v);
  napi_set_named_property(env, exports, "maxBatch", v);
  napi_create_uint32(env, META_FIELDS, &v);
  napi_set_named_property(env, exports, "metaFields", v);
  napi_create_uint32(env, OUT_FIELDS, &v);
  napi_set_named_property(env, exports, "outFields", v);
  napi_create_uint32(env, C_COUNT, &v);
  napi_set_named_property(env, exports, "counterCount", v);
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(flashdns_batch_udp, init)
