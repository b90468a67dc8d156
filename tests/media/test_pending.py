"""Upload journals: what a killed app process leaves is swept, what others do is left alone."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
from pathlib import Path

from werkzeug.datastructures import FileStorage

from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.media import pending
from intranet_social.media.storage import media_file, store_image, sweep_abandoned_uploads
from tests.media.pictures import jpeg

#: stands in for an app process: journals the keys, writes their files (complete ones and
#: one still under its temporary name), says so, and waits to be killed mid-transaction
DYING_WRITER = """
import json, sys, time
from pathlib import Path
from intranet_social.media.pending import Journal
folder, files = Path(sys.argv[1]), json.loads(sys.argv[2])
journal = Journal(folder)
for key, paths in files.items():
    journal.add(key)
    for path in paths:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(b"half a picture")
print("written", flush=True)
time.sleep(60)
"""


def journals() -> list[Path]:
    return sorted(current_config().media_path.glob(f"{pending.JOURNAL_PREFIX}*"))


def upload() -> FileStorage:
    return FileStorage(stream=io.BytesIO(jpeg()), filename="photo.jpg")


def killed_writer(files: dict[str, list[Path]]) -> None:
    """Run :data:`DYING_WRITER` and SIGKILL it once its files are written."""
    listing = {key: [str(path) for path in paths] for key, paths in files.items()}
    child = subprocess.Popen(
        [sys.executable, "-c", DYING_WRITER, str(current_config().media_path), json.dumps(listing)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "written"
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    child.stdout.close()


def test_a_transaction_storing_files_keeps_a_locked_journal_until_it_commits(app):
    stored = store_image(upload(), purpose="post")
    [journal] = journals()
    assert journal.read_text() == f"{stored.key}\n"
    assert sweep_abandoned_uploads().journals == 0
    assert journals() == [journal]
    db.session.commit()
    assert journals() == []
    assert media_file(stored.key, "full").is_file()


def test_a_rolled_back_transaction_leaves_neither_files_nor_journal(app):
    stored = store_image(upload(), purpose="post")
    db.session.rollback()
    assert journals() == []
    assert not media_file(stored.key, "full").exists()


def test_sweep_removes_what_a_killed_process_left_and_keeps_committed_files(app, member):
    orphan, half, committed = "a1" * 16, "b2" * 16, "c3" * 16
    half_path = media_file(half, "full").parent / pending.temporary_name(half, "full")
    killed_writer(
        {
            orphan: [media_file(orphan, "full"), media_file(orphan, "thumb")],
            half: [half_path],
            committed: [media_file(committed, "160"), media_file(committed, "48")],
        }
    )
    # the killed process's transaction that set the avatar had committed
    member.avatar_key = committed
    db.session.commit()
    assert len(journals()) == 1

    report = sweep_abandoned_uploads()

    assert (report.journals, report.removed_keys, report.kept_keys) == (1, 2, 1)
    assert journals() == []
    assert not media_file(orphan, "full").exists()
    assert not media_file(orphan, "thumb").exists()
    assert not half_path.exists()
    assert media_file(committed, "160").read_bytes() == b"half a picture"
    assert media_file(committed, "48").is_file()


def test_sweep_leaves_uploads_of_a_running_transaction_alone(app):
    killed_writer({"d4" * 16: [media_file("d4" * 16, "full")]})
    running = store_image(upload(), purpose="post")

    report = sweep_abandoned_uploads()

    assert (report.journals, report.removed_keys) == (1, 1)
    assert media_file(running.key, "full").is_file()
    assert media_file(running.key, "thumb").is_file()
    assert len(journals()) == 1
    db.session.commit()
    assert journals() == []
    assert media_file(running.key, "full").is_file()


def test_a_journal_line_cut_short_by_the_crash_is_ignored(app):
    folder = current_config().media_path
    folder.mkdir(parents=True, exist_ok=True)
    kept = media_file("e5" * 16, "full")
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"someone else's picture")
    (folder / f"{pending.JOURNAL_PREFIX}1-abc{pending.SUFFIX}").write_text("e5e5e5")

    report = sweep_abandoned_uploads()

    assert (report.journals, report.removed_keys, report.kept_keys) == (1, 0, 0)
    assert kept.is_file()
    assert journals() == []
