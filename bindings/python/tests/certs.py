"""Throwaway test certificates made with the openssl command: a CA, a server certificate for
127.0.0.1/localhost, one for another name only, and a client certificate (what
tests/fixtures/certs.h makes for the C++ tests)."""

import os
import subprocess


def _run(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, timeout=60,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _cert(name, cn, san, ca, cwd):
    _run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
         "-subj", f"/CN={cn}", cwd=cwd)
    ext = os.path.join(cwd, f"{name}.ext")
    with open(ext, "w") as f:
        f.write(f"subjectAltName={san}\n")
    _run("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
         "-CAcreateserial", "-out", f"{name}.crt", "-days", "2", "-sha256", "-extfile", ext,
         cwd=cwd)


def make(directory):
    """Writes the files into `directory` (made readable for mosquitto); returns their paths."""
    os.makedirs(directory, exist_ok=True)
    for ca in ("ca", "other-ca"):
        _run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{ca}.key", "-out",
             f"{ca}.crt", "-days", "2", "-subj", f"/CN=Ouzel test {ca}", cwd=directory)
    _cert("server", "localhost", "DNS:localhost,IP:127.0.0.1", "ca", directory)
    _cert("wrong-name", "elsewhere.example", "DNS:elsewhere.example", "ca", directory)
    _cert("client", "ouzel-client", "DNS:ouzel-client", "ca", directory)
    for f in os.listdir(directory):
        os.chmod(os.path.join(directory, f), 0o644)
    p = lambda n: os.path.join(directory, n)  # noqa: E731
    return {"ca": p("ca.crt"), "other_ca": p("other-ca.crt"), "server_cert": p("server.crt"),
            "server_key": p("server.key"), "wrong_cert": p("wrong-name.crt"),
            "wrong_key": p("wrong-name.key"), "client_cert": p("client.crt"),
            "client_key": p("client.key")}
