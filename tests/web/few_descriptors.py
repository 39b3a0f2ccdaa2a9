#!/usr/bin/env python3
"""estate serve with few file descriptors (ulimit -n 64, as a tight service might have it)
and 300 idle connections held open by others: the server neither dies nor spins (its
processor time while they sit there), and an officer is let in and answered within a
second.

    few_descriptors.py ESTATE MANIFEST WORK
"""
import os, shutil, socket, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import beside_serve  # noqa: E402  (its officer and browser)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    estate, manifest, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    reg = os.path.join(work, "reg.sqlite")
    subprocess.run([estate, "load", reg, manifest, "--no-progress"], check=True, capture_output=True)
    subprocess.run([estate, "officers", "add", reg, beside_serve.OFFICER, "--agency", "Trafford Council",
                    "--partnership-wide", "--password-stdin"], input=beside_serve.PASSWORD + "\n", text=True,
                   check=True, capture_output=True)
    server, base = beside_serve.start_server(estate, reg, before=("prlimit", "--nofile=64:64"))
    port = int(base.rsplit(":", 1)[1])
    # Logged in first: what is timed is the officer's request, not the password check
    # (a tenth of a second alone, more on a busy machine).
    officer = beside_serve.Officer(f"http://127.0.0.1:{port}")
    officer.log_in()
    held = []
    for _ in range(300):
        s = socket.socket()
        s.connect(("127.0.0.1", port))
        held.append(s)
    time.sleep(0.5)
    before = cpu_seconds(server.pid)
    time.sleep(2)
    spent = cpu_seconds(server.pid) - before
    started = time.monotonic()
    status, _ = officer.call("GET", "/api/properties/1")
    waited = time.monotonic() - started
    alive = server.poll() is None
    server.terminate()
    server.wait(timeout=30)
    print(f"300 idle connections under 64 descriptors: server alive {alive}, {spent:.2f} s of processor in 2 s "
          f"idle, officer answered {status} in {waited:.2f} s")
    ok = alive and status == 200 and waited < 1.0 and spent < 0.3
    print("ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
