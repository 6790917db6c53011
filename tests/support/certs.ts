/**
 * Throwaway TLS material for tests, generated with the `openssl` CLI once per process.
 *
 * The PEMs are read into memory and the temporary directory is removed right away, so nothing
 * is left on disk. Keys are EC P-256 (fast to generate); every certificate is X.509 v3 with the
 * extensions strict verifiers (rustls in Deno, BoringSSL in Bun) insist on.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** PEM-encoded certificates and keys for TLS tests. */
export interface TestCerts {
  /** CA that signed `serverCert` and `clientCert`. */
  ca: string;
  /** Server certificate: CN=localhost, SAN IP:127.0.0.1 and DNS:localhost. */
  serverCert: string;
  serverKey: string;
  /** Client certificate for mutual TLS (signed by `ca`). */
  clientCert: string;
  clientKey: string;
  /** An unrelated CA: verification against it must fail. */
  wrongCa: string;
}

let cached: Promise<TestCerts> | undefined;

/** Returns the process-wide test certificates, generating them on first use. */
export function getTestCerts(): Promise<TestCerts> {
  cached ??= generate().catch((error) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Fresh EC P-256 key, no passphrase. */
const EC_KEY = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
const CA_EXT =
  "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign";

async function generate(): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), "redcache-certs-"));
  // All file names are relative to `dir`; no argument contains spaces.
  const openssl = (args: string) => run("openssl", args.split(" "), { cwd: dir });
  try {
    const makeCa = (name: string, cn: string) =>
      openssl(
        `req -x509 ${EC_KEY} ${CA_EXT} -days 3 -subj /CN=${cn} -keyout ${name}.key -out ${name}.crt`,
      );
    const makeLeaf = async (name: string, cn: string, extensions: string) => {
      await openssl(`req -new ${EC_KEY} -subj /CN=${cn} -keyout ${name}.key -out ${name}.csr`);
      await writeFile(join(dir, `${name}.ext`), extensions);
      await openssl(
        `x509 -req -in ${name}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3 -extfile ${name}.ext -out ${name}.crt`,
      );
    };
    const leafBase = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n";
    await makeCa("ca", "redcache-test-ca");
    await makeCa("wrong-ca", "redcache-unrelated-ca");
    await makeLeaf(
      "server",
      "localhost",
      `${leafBase}extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n`,
    );
    await makeLeaf("client", "redcache-test-client", `${leafBase}extendedKeyUsage=clientAuth\n`);
    const read = (name: string) => readFile(join(dir, name), "utf8");
    return {
      ca: await read("ca.crt"),
      serverCert: await read("server.crt"),
      serverKey: await read("server.key"),
      clientCert: await read("client.crt"),
      clientKey: await read("client.key"),
      wrongCa: await read("wrong-ca.crt"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
