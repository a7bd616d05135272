/* Ouzel C API: TLS certificate verification by the application.
 *
 * TLS itself is configured with options (OUZEL_OPT_TLS_* in ouzel/options.h) and chosen by the
 * server URI's scheme (mqtts://, ssl://, wss://). This header adds the one TLS setting that is a
 * function: a callback that sees the server's certificate chain and the library's verdict and
 * decides, e.g. to pin a certificate or a public key, or to accept a self-signed broker in a lab.
 *
 *   static int32_t pin(int32_t preverified, const char *error, const char *host,
 *                      const uint8_t *const *chain, const size_t *chain_lens, size_t count,
 *                      void *user_data) {
 *     const struct der *expected = user_data;
 *     return count > 0 && chain_lens[0] == expected->len &&
 *            memcmp(chain[0], expected->bytes, expected->len) == 0;
 *   }
 *   ouzel_options_set_tls_verify_callback(opts, pin, &my_cert, NULL);
 */
#ifndef OUZEL_TLS_H
#define OUZEL_TLS_H

#include "ouzel/client.h"
#include "ouzel/common.h"
#include "ouzel/options.h"

OUZEL_BEGIN_DECLS

/* Called once per TLS handshake, after the library's own verification (chain, then host name),
 * with its verdict:
 *   preverified  1 when the library accepted the chain and the name, else 0;
 *   error        why not, e.g. "certificate has expired" ("" when preverified is 1);
 *   host         the name checked (OUZEL_OPT_TLS_SERVER_NAME, else the URI's host);
 *   chain        the peer's chain as DER, leaf first: chain[i] is chain_lens[i] bytes; `count`
 *                entries (chain and chain_lens may be NULL when count is 0).
 * Return 1 to accept the server (even one the library rejected) or 0 to reject it (even one the
 * library accepted): the handshake then fails with OUZEL_ETLS, and the connection failure
 * (on_connect_fail, or the error of ouzel_client_connect_blocking) says the callback refused it
 * and, when the library had refused too, why. Any other value rejects as 0 does.
 * Every pointer is borrowed for the duration of the call only; copy what you keep.
 * Runs on the thread driving the client (the loop thread, or ouzel_client_connect_blocking's
 * caller) during the handshake, possibly for several clients at once when they were created from
 * the same options. It must not block for long, and must not call this client's functions: the
 * handshake is in progress. */
typedef int32_t (*ouzel_tls_verify_fn)(int32_t preverified, const char* error, const char* host,
                                       const uint8_t* const* chain, const size_t* chain_lens,
                                       size_t count, void* user_data);

/* Sets (or with cb NULL removes) the verification callback. `user_data` is passed to every call;
 * `release` (may be NULL) runs exactly once with it when no call can happen any more: after the
 * callback is replaced or removed on these options and every client created from them has been
 * freed (clients keep their own copy of the options). With cb NULL, `release` (if any) runs at
 * once. OUZEL_EINVAL for NULL opts (nothing is kept and release does not run). Thread-compatible.
 */
OUZEL_EXTERN int ouzel_options_set_tls_verify_callback(ouzel_options* opts, ouzel_tls_verify_fn cb,
                                                       void* user_data, ouzel_release_fn release);

OUZEL_END_DECLS

#endif /* OUZEL_TLS_H */
