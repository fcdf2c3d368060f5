"""Promise: one writer at a time per folder, nothing sent twice, and nothing left behind by a
run that was killed. Real processes: the lock is the kernel's, so only they can test it."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

from tests.hostile.common import meeting, som_process, tree
from tests.test_mail import Mailbox, Server

HOLD = """
import sys, time
from agenda.effects.files import OutputDir
OutputDir(sys.argv[1]).lock()
print("locked", flush=True)
time.sleep(120)
"""


def holder(folder):
    """A process that holds the folder's lock until it is killed."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def finish(proc, timeout=120):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(), err.decode()


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path):
    source, out = meeting(tmp_path / "in"), tmp_path / "out"
    proc = holder(out)
    try:
        for command in (["invite", source, "-o", out], ["build", source, "-o", out]):
            code, stdout, stderr = finish(som_process(*command))
            assert code == 2, stderr
            assert stderr.startswith("som: error: another som run is writing into") and stderr.count("\n") == 1
        assert tree(out) == {}
    finally:
        proc.kill()
        proc.wait()
    code, _, stderr = finish(som_process("invite", source, "-o", out))
    assert code == 0, stderr  # a killed holder's lock is gone with it: taken over, no --force


def test_replies_wait_for_no_one_while_another_run_holds_the_folder(tmp_path):
    source, out = meeting(tmp_path / "in"), tmp_path / "out"
    code, _, stderr = finish(som_process("invite", source, "-o", out))
    assert code == 0, stderr
    reply = tmp_path / "reply.eml"
    reply.write_bytes(b"From: a@example.org\r\nSubject: Accepted\r\n\r\nyes\r\n")
    before = tree(out)
    proc = holder(out)
    try:
        code, _, stderr = finish(som_process("replies", source, reply, "-o", out))
        assert code == 2 and stderr.startswith("som: error: another som run is writing into"), stderr
        assert tree(out) == before
    finally:
        proc.kill()
        proc.wait()
    code, _, stderr = finish(som_process("replies", source, reply, "-o", out))
    assert code == 0, stderr


def test_two_runs_at_once_never_both_issue_the_same_sequence(tmp_path):
    out = tmp_path / "out"
    first = meeting(tmp_path / "a")
    code, _, stderr = finish(som_process("invite", first, "-o", out))
    assert code == 0, stderr
    lost = 0
    for race in range(6):
        a = meeting(tmp_path / "a", start=f"{10 + race}:00", end=f"{10 + race}:30")
        b = meeting(tmp_path / "b", start=f"{10 + race}:15", end=f"{10 + race}:45")
        runs = [som_process("invite", a, "-o", out), som_process("invite", b, "-o", out)]
        results = [finish(p) for p in runs]
        said = [r[1] for r in results if r[0] == 0]
        for code, stdout, stderr in results:
            assert code == 0 or (code == 2 and "another som run is writing into" in stderr), stderr
        transitions = [line.split("SEQUENCE")[-1].strip() for s in said for line in s.splitlines()
                       if line.startswith("autumn:")]
        assert len(transitions) == len(set(transitions)), said  # never both "0 → 1"
        lost += len(results) - len(said)
    # Whatever happened, the folder needs no --force and agrees with itself.
    code, stdout, stderr = finish(som_process("invite", meeting(tmp_path / "a", start="10:00", end="10:30"),
                                              "-o", out))
    assert code == 0, stderr


class SlowMailbox(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def test_two_sends_at_once_deliver_each_message_once(tmp_path):
    out = tmp_path / "out"
    source = meeting(tmp_path / "in")
    server = Server(SlowMailbox())
    try:
        args = ("invite", source, "-o", out, "--send", "--smtp-host", "127.0.0.1", "--smtp-port", server.port,
                "--smtp-security", "none")
        runs = [som_process(*args) for _ in range(3)]
        results = [finish(p) for p in runs]
        for code, stdout, stderr in results:
            assert code == 0 or (code == 2 and "another som run is writing into" in stderr), stderr
        received = server.handler.received()
        assert received and max(received.values()) == 1, Counter(received.values())
        # A run after them sends nothing more.
        code, stdout, stderr = finish(som_process(*args))
        assert code == 0, stderr
        assert max(server.handler.received().values()) == 1
    finally:
        server.stop()


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    source = meeting(tmp_path / "in")
    code, _, stderr = finish(som_process("invite", source, "-o", out))
    assert code == 0, stderr
    planted = [out / ".divergence.ics.4242.tmp", out / "members" / "geneva" / ".divergence-autumn.ics.k3j_9xQz.tmp"]
    for path in planted:
        path.write_bytes(b"half")
    (out / ".notes.tmp").write_text("not som's")  # a name som never makes stays
    code, _, stderr = finish(som_process("invite", source, "-o", out))
    assert code == 0, stderr
    assert not any(p.exists() for p in planted)
    assert (out / ".notes.tmp").exists()


def test_runs_killed_at_random_leave_a_folder_the_next_run_takes_without_force(tmp_path):
    out = tmp_path / "out"
    rng = random.Random(17)
    kills = 0
    for n in range(12):
        source = meeting(tmp_path / "in", start=f"{9 + n % 6}:00", end=f"{9 + n % 6}:45")
        proc = som_process("invite", source, "-o", out, "--eml")
        time.sleep(rng.uniform(0.05, 0.9))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.communicate()
    code, stdout, stderr = finish(som_process("invite", meeting(tmp_path / "in"), "-o", out, "--eml"))
    assert code == 0, stderr
    assert not [p for p in out.rglob("*.tmp")]
    code, stdout, stderr = finish(som_process("invite", meeting(tmp_path / "in"), "-o", out, "--eml"))
    assert code == 0 and stdout.count(": unchanged,") == 3, stdout + stderr
    assert kills > 0  # the runs were slower than the delays: some were killed midway
