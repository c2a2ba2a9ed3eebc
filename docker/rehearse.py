#!/usr/bin/env python3
"""rehearse.py — the container image's runtime stage, rehearsed without a
Docker engine (none runs on the project's machines): what docker/Dockerfile
and docker/compose.yaml say is checked against the build, so that an image
built from them starts and serves as the README says.

  python3 docker/rehearse.py BUILD_DIR     # meson test docker_layout runs it

It reads the files themselves, not a copy of what they say:
  1. every shared library the binary needs (readelf's NEEDED) is in a
     Debian package the runtime stage installs, or in the base image's libc;
  2. the runtime stage's COPY --from=build lines are laid out under a
     temporary root (the binary, schema/, fixtures/, Swagger UI's files);
  3. the binary is started with the image's CMD (its paths under that root)
     and compose.yaml's environment (VSPC_ADMIN_BIND=any, VSPC_CLOCK, an
     admin secret, an appsettings.json by VSPC_APPSETTINGS as its comment
     shows), on a free port instead of 1280;
  4. a token is issued over HTTPS (the self-signed pair made in /data),
     /api/v3/about answers, the admin API answers its secret, /api/swagger/
     serves the page, and the HEALTHCHECK command succeeds.
Exit 0: all hold; 1: a finding, printed; 77 (skip): no readelf, ldd or dpkg.
"""
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SECRET = "rehearsal-admin-secret"


def fail(msg):
    print(f"rehearse: {msg}")
    sys.exit(1)


def stages(dockerfile):
    """The Dockerfile's instructions per stage (continuation lines joined)."""
    text = open(dockerfile).read()
    text = re.sub(r"\\\n", " ", text)
    out, cur = [], None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            cur = []
            out.append(cur)
        if cur is not None:
            cur.append((word.upper(), rest.strip()))
    return out


def apt_packages(stage):
    pkgs = set()
    for word, rest in stage:
        if word == "RUN" and "apt-get install" in rest:
            after = rest.split("apt-get install", 1)[1].split("&&")[0]
            pkgs.update(t for t in after.split() if not t.startswith("-"))
    return pkgs


def needed_libraries(binary):
    out = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True)
    return re.findall(r"\(NEEDED\).*\[(.+?)\]", out.stdout)


def resolved_paths(binary):
    """soname -> the file the loader takes it from (ldd), for dpkg -S."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True)
    paths = {}
    for line in out.stdout.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(\S+)", line) or re.match(r"\s*((/\S+))\s+\(", line)
        if m:
            paths[os.path.basename(m.group(1))] = m.group(2)
    return paths


def package_of(path):
    """The Debian package (without :arch) that ships path, or None."""
    for candidate in (path, os.path.realpath(path)):
        for p in {candidate, re.sub(r"^/usr/lib/", "/lib/", candidate),
                  re.sub(r"^/lib/", "/usr/lib/", candidate)}:
            out = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
            if out.returncode == 0:
                return out.stdout.split(":")[0].strip()
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def compose_environment(compose):
    """NAME -> value of compose.yaml's active environment lines (${X:-d}: d)."""
    env = {}
    for line in open(compose):
        m = re.match(r"\s*-\s*(VSPC_[A-Z_]+)=(\S*)", line)
        if m and not line.lstrip().startswith("#"):
            value = m.group(2)
            d = re.fullmatch(r"\$\{[A-Z_]+:-(.*)\}", value)
            env[m.group(1)] = d.group(1) if d else value
    return env


def main():
    if len(sys.argv) != 2:
        fail("usage: rehearse.py BUILD_DIR")
    build = os.path.abspath(sys.argv[1])
    if not all(shutil.which(t) for t in ("readelf", "ldd", "dpkg")):
        print("rehearse: no readelf, ldd or dpkg here: skipped")
        sys.exit(77)
    all_stages = stages(os.path.join(HERE, "Dockerfile"))
    if len(all_stages) < 2:
        fail("the Dockerfile has no build and runtime stages")
    runtime = all_stages[-1]

    # 1. the binary's libraries are installed by the runtime stage
    binary = os.path.join(build, "vspc-emulator")
    installed = apt_packages(runtime)
    base = {"libc6", "libgcc-s1"}  # in debian:bookworm-slim itself
    paths = resolved_paths(binary)
    for lib in needed_libraries(binary):
        if re.match(r"lib(a|ub|t)san", lib):
            continue  # a sanitizer build's runtime: the image's build is a release one
        pkg = package_of(paths.get(lib, lib))
        if pkg is None:
            fail(f"{lib}: no Debian package ships it here")
        if pkg not in installed and pkg not in base:
            fail(f"{lib} is in {pkg}, which the runtime stage does not install "
                 f"(it installs {' '.join(sorted(installed))})")

    # 2. the runtime stage's files, under a temporary root
    top = tempfile.mkdtemp(prefix="vspc-image-")
    try:
        web = os.path.join(ROOT, "web", "node_modules", "swagger-ui-dist")
        for word, rest in runtime:
            if word != "COPY" or "--from=build" not in rest:
                continue
            src, dst = rest.split()[-2:]
            if not src.startswith("/src/"):
                fail(f"COPY {src}: not from the build's /src")
            rel = src[len("/src/"):].rstrip("/")
            # /src/build/... is the build dir; the rest is the checkout
            local = os.path.join(build, rel[len("build/"):]) if rel.startswith("build/") \
                else os.path.join(ROOT, rel)
            if rel.startswith("web/node_modules") and not os.path.isdir(web):
                print("rehearse: web/node_modules absent (./dev.sh web): Swagger UI not checked")
                continue
            if not os.path.exists(local):
                fail(f"COPY {src}: {local} does not exist after a build")
            target = os.path.join(top, dst.lstrip("/"))
            if os.path.isdir(local):
                shutil.copytree(local, target)
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(local, target)
        cmd = next((json.loads(rest) for word, rest in runtime if word == "CMD"), None)
        entry = next((json.loads(rest) for word, rest in runtime if word == "ENTRYPOINT"), None)
        if not cmd or not entry:
            fail("the runtime stage has no ENTRYPOINT and CMD in exec form")
        exe = shutil.which(entry[0], path=os.path.join(top, "usr/local/bin"))
        if not exe:
            fail(f"ENTRYPOINT {entry[0]} is not in /usr/local/bin of the image")
        os.makedirs(os.path.join(top, "data"), mode=0o700)
        args = [exe] + entry[1:] + [os.path.join(top, a.lstrip("/")) if a.startswith("/") else a
                                    for a in cmd]

        # 3. started as the image starts it, with compose's environment
        env = {k: v for k, v in os.environ.items() if not k.startswith("VSPC_")}
        env.update(compose_environment(os.path.join(HERE, "compose.yaml")))
        port = free_port()
        env.update({"VSPC_ADMIN_SECRET": SECRET, "VSPC_PORT": str(port)})
        # compose's commented VSPC_APPSETTINGS: a mounted appsettings.json
        settings = os.path.join(top, "config", "appsettings.json")
        os.makedirs(os.path.dirname(settings))
        with open(settings, "w") as f:
            json.dump({"Throttling": {"IsDisabled": True}}, f)
        env["VSPC_APPSETTINGS"] = settings
        if env.get("VSPC_ADMIN_BIND") != "any" or "VSPC_CLOCK" not in env:
            fail("compose.yaml does not open the admin API (VSPC_ADMIN_BIND=any) or set VSPC_CLOCK")
        log = open(os.path.join(top, "log"), "w+")
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            check_serving(top, port, log, proc, runtime, os.path.isdir(web))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    print("rehearse: the image's runtime stage starts and serves")


def check_serving(top, port, log, proc, runtime, swagger):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        log.seek(0)
        text = log.read()
        if "ready in" in text:
            break
        if proc.poll() is not None:
            fail(f"the server stopped at start:\n{text}")
        time.sleep(0.1)
    else:
        fail("the server was not ready in 60 s")
    if "throttling: off" not in text:
        fail("VSPC_APPSETTINGS (Throttling.IsDisabled) was not taken up")
    if not os.path.exists(os.path.join(top, "data", "vspc.db")):
        fail("nothing was written to /data (the VOLUME)")
    base = f"https://127.0.0.1:{port}"
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE  # the pair made at first start in /data

    def call(path, data=None, headers=None):
        req = urllib.request.Request(base + path, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(req, context=tls, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    form = urllib.parse.urlencode({"grant_type": "password", "username": "administrator",
                                   "password": "Password1"}).encode()
    status, body = call("/api/v3/token", form)
    if status != 200:
        fail(f"POST /api/v3/token: {status} {body[:200]!r}")
    token = json.loads(body)["access_token"]
    status, body = call("/api/v3/about", headers={"Authorization": f"Bearer {token}"})
    if status != 200 or b"serverVersion" not in body:
        fail(f"GET /api/v3/about: {status} {body[:200]!r}")
    status, body = call("/_emulator/status", headers={"Authorization": f"Bearer {SECRET}"})
    if status != 200:
        fail(f"GET /_emulator/status with the secret of VSPC_ADMIN_SECRET: {status}")
    if swagger:
        status, body = call("/api/swagger/")
        if status != 200 or b"swagger" not in body.lower():
            fail(f"GET /api/swagger/: {status}")
    health = next((rest for word, rest in runtime if word == "HEALTHCHECK"), "")
    m = re.search(r"CMD\s+(\[.*\])", health)
    if not m:
        fail("the runtime stage has no HEALTHCHECK CMD in exec form")
    probe = json.loads(m.group(1))
    if subprocess.run(probe, env={**os.environ, "VSPC_PORT": str(port)}).returncode != 0:
        fail(f"HEALTHCHECK {probe} failed against the running server")


if __name__ == "__main__":
    main()
