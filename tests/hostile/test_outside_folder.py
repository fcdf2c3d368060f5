"""Promise: no command writes, appends to or replaces anything outside its output folder,
whatever links or special files stand inside it."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.hostile.common import MEMBER_WITH_MAIL, meeting, refused, som_run, tree
from tests.test_mail import Mailbox, Server


@pytest.fixture
def server():
    """A real SMTP server: without the link check the run would send, then append to the log."""
    running = Server(Mailbox())
    yield running
    running.stop()


@pytest.fixture
def issued(tmp_path):
    """A folder issued once, and a victim folder next to it that must stay as it is."""
    source = meeting(tmp_path / "in")
    out = tmp_path / "out"
    assert som_run("invite", source, "-o", out).exit_code == 0
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    return source, out, victim


def changed_meeting(tmp_path):
    return meeting(tmp_path / "in", start="11:00", end="12:00")


@pytest.mark.parametrize("force", [False, True])
def test_a_member_folder_replaced_by_a_link_is_refused(issued, tmp_path, force):
    source, out, victim = issued
    for name in os.listdir(out / "members" / MEMBER_WITH_MAIL):
        shutil.copy(out / "members" / MEMBER_WITH_MAIL / name, victim / name)
    before = tree(victim)
    shutil.rmtree(out / "members" / MEMBER_WITH_MAIL)
    os.symlink("../../victim", out / "members" / MEMBER_WITH_MAIL)
    result = som_run("invite", changed_meeting(tmp_path), "-o", out, *(["--force"] if force else []))
    refused(result, "symbolic link", MEMBER_WITH_MAIL)
    assert tree(victim) == before


def test_the_members_folder_itself_as_a_link_is_refused(issued, tmp_path):
    source, out, victim = issued
    shutil.rmtree(out / "members")
    os.symlink("../victim", out / "members")
    refused(som_run("invite", source, "-o", out), "symbolic link")
    assert tree(victim) == {"keep.txt": b"mine"}


@pytest.mark.parametrize("force", [False, True])
def test_a_file_replaced_by_a_link_is_refused_even_with_force(issued, tmp_path, force):
    source, out, victim = issued
    feed = next(p for p in out.glob("*.ics") if "-" not in p.name[len("divergence"):])
    feed.unlink()
    os.symlink(victim / "keep.txt", feed)
    result = som_run("invite", changed_meeting(tmp_path), "-o", out, *(["--force"] if force else []))
    refused(result, "symbolic link")
    assert (victim / "keep.txt").read_text() == "mine"


def test_a_send_log_linked_elsewhere_is_never_appended_to(issued, tmp_path, server):
    source, out, victim = issued
    os.symlink(victim / "keep.txt", out / "send-log.jsonl")
    result = som_run("invite", source, "-o", out, "--send", "--smtp-host", "127.0.0.1", "--smtp-port", server.port,
                     "--smtp-security", "none")
    refused(result, "symbolic link")
    assert (victim / "keep.txt").read_text() == "mine"
    assert not server.handler.messages


def test_a_send_log_hard_linked_to_another_file_is_never_appended_to(issued, tmp_path, server):
    source, out, victim = issued
    os.link(victim / "keep.txt", out / "send-log.jsonl")
    result = som_run("invite", source, "-o", out, "--send", "--smtp-host", "127.0.0.1", "--smtp-port", server.port,
                     "--smtp-security", "none")
    refused(result, "hard link")
    assert (victim / "keep.txt").read_text() == "mine"
    assert not server.handler.messages


def test_a_special_file_in_the_folder_is_refused_not_read(issued, tmp_path):
    source, out, victim = issued
    record = out / "som-issued.toml"
    feed = sorted(out.glob("*.ics"))[0]
    feed.unlink()
    os.mkfifo(feed)  # reading it would wait forever
    refused(som_run("invite", changed_meeting(tmp_path), "-o", out, "--force"), "not a regular file")
    assert record.exists()


@pytest.mark.parametrize("part", ["invitations", "agenda"])
def test_build_refuses_a_linked_folder_inside_the_pack(tmp_path, part):
    source = meeting(tmp_path / "in")
    pack = tmp_path / "pack"
    assert som_run("build", source, "-o", pack).exit_code == 0
    victim = tmp_path / "victim"
    shutil.move(pack / part, victim)
    before = tree(victim)
    os.symlink("../victim", pack / part)
    refused(som_run("build", meeting(tmp_path / "in", start="11:00", end="12:00"), "-o", pack), "symbolic link")
    assert tree(victim) == before


def test_a_manifest_linked_to_a_device_is_not_read_whole(issued, tmp_path):
    source, out, victim = issued
    (out / ".som-files.json").unlink()
    os.symlink("/dev/zero", out / ".som-files.json")
    refused(som_run("invite", source, "-o", out), ".som-files.json")


def test_an_empty_output_name_is_refused(tmp_path, monkeypatch):
    source = meeting(tmp_path / "in")
    monkeypatch.chdir(tmp_path / "in")
    before = tree(tmp_path / "in")
    refused(som_run("invite", source, "-o", ""), "empty")
    refused(som_run("build", source, "-o", ""), "empty")
    assert tree(tmp_path / "in") == before
