# workerd configuration for the redcache example. `build.mjs` writes `worker.js` next to a copy
# of this file; serve it with:
#
#   REDIS_URL=redis://127.0.0.1:6379 npx workerd serve DIR/config.capnp -s http=127.0.0.1:8787
#
# `-s http=ADDRESS` overrides the socket address below; REDIS_URL (and REDIS_TLS_URL, optional)
# come from the environment.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The network the Worker's sockets use. workerd's default reaches public addresses only; a
    # Redis on this machine or a private network needs "private" (which includes 127.0.0.0/8).
    # TLS: the CAs trusted for `rediss://` go here, not into redcache's `tls.caCerts`:
    #   tlsOptions = (trustBrowserCas = true, trustedCertificates = [embed "ca.pem"])
    (name = "internet", network = (allow = ["public", "private"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "REDIS_URL", fromEnvironment = "REDIS_URL"),
    (name = "REDIS_TLS_URL", fromEnvironment = "REDIS_TLS_URL"),
  ],
);
