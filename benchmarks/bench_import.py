"""Imports (issue 6's targets): a 10,000-row tracker CSV into an empty journal (≤ 10 s), an
mbox of 10,000 messages made from the labelled corpus with variations (≤ 20 s) and the first
2,000 of them read over IMAP from a Dovecot on 127.0.0.1 (≤ 30 s; the tests' throwaway server,
skipped and said so without Dovecot), each as a whole `debrief import` process, median of 3 (a
fresh copy of an empty journal for every run), beside `debrief summary` in the same run; and the
reader's accuracy and what it writes on the labelled e-mail sets.
"""

from __future__ import annotations

import csv
import email
import email.policy
import json
import mailbox
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from debrief.journal import Journal
from timing import print_table, time_process, tool

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data"
ROWS = 10_000
MESSAGES = 10_000
OVER_IMAP = 2_000
REPEAT = 3
SETS = (
    ("corpus (rules written against it)", "mail"),
    ("held-out set 1 (seen after its first run)", "mail-heldout"),
    ("hiring-system set (thresholds chosen on it)", "mail-ats"),
    ("development set 2 (scored once, then used for fixes)", "mail-dev2"),
    ("held-out set 2 (never looked at)", "mail-final"),
    ("held-out set 3 (scored once, at the end)", "mail-heldout3"),
)
TARGETS = {"csv": 10.0, "mbox": 20.0, "imap": 30.0}
STATUSES = [
    "Applied",
    "Rejected",
    "No response",
    "Phone screen",
    "Technical",
    "Onsite",
    "Offer",
    "",
]
SOURCES = ["LinkedIn", "Referral", "Company website", "Recruiter", "Indeed", ""]


def write_csv(path: Path) -> None:
    """A year of a busy search in a tracker's own words and date format."""
    rng = random.Random(11)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Company", "Job Title", "Date Applied", "Status", "Source", "Link", "Notes"]
        )
        for n in range(ROWS):
            day = date(2025, 12, 1) + timedelta(days=rng.randint(0, 360))
            writer.writerow(
                [
                    f"Company {n % 4000}",
                    rng.choice(["Data Scientist", "Senior Data Scientist", "Product Analyst"]),
                    day.strftime("%m/%d/%Y"),
                    rng.choice(STATUSES),
                    rng.choice(SOURCES),
                    f"https://jobs.example.com/{n}",
                    rng.choice(
                        ["", "", "Applied through the careers page", "Referred by a friend"]
                    ),
                ]
            )


def write_mbox(path: Path) -> None:
    """10,000 messages: the corpus again and again, each copy with its own Message-ID, a date
    shifted by whole weeks, and its company renamed, so they are new mail to new companies."""
    labels = [
        json.loads(line)
        for line in (DATA / "mail/labels.jsonl").read_text("utf-8").splitlines()
        if line
    ]
    originals = [(DATA / "mail" / label["file"]).read_bytes() for label in labels]
    box = mailbox.mbox(path)
    box.lock()
    try:
        for n in range(MESSAGES):
            index, copy = n % len(originals), n // len(originals)
            raw = originals[index]
            company = labels[index]["company"]
            if company and copy:
                raw = raw.replace(company.encode(), f"{company} {copy}".encode())
            message = email.message_from_bytes(raw, policy=email.policy.compat32)
            del message["Message-ID"]
            message["Message-ID"] = f"<bench-{n}@example.com>"
            if message["Date"]:
                try:
                    sent = parsedate_to_datetime(str(message["Date"])) + timedelta(weeks=copy % 30)
                    del message["Date"]
                    message["Date"] = format_datetime(sent)
                except (TypeError, ValueError):
                    pass
            box.add(message)
        box.flush()
    finally:
        box.unlock()
        box.close()


def fresh_runs(
    argv: list[str], empty: Path, db: Path, env: dict[str, str] | None = None
) -> list[float]:
    """Time `argv` REPEAT times, each on a fresh copy of an empty journal."""
    runs = []
    for _ in range(REPEAT):
        shutil.copy(empty, db)
        start = time.perf_counter()
        subprocess.run(
            argv,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        runs.append(time.perf_counter() - start)
    return runs


def imap_runs(debrief: str, inbox: Path, empty: Path, db: Path, folder: Path) -> list[float] | str:
    """The first OVER_IMAP messages of the mbox, put in a throwaway Dovecot's INBOX, imported
    with `debrief import imap`; the reason instead when Dovecot or openssl is missing."""
    sys.path.insert(0, str(ROOT))
    from tests.imap_server import DOVECOT, HOST, start

    if not Path(DOVECOT).exists() or not shutil.which("openssl"):
        return "skipped: no Dovecot (apt-get install dovecot-imapd) or openssl"
    (folder / "dovecot").mkdir()
    server = start(folder / "dovecot", DOVECOT)
    try:
        box = mailbox.mbox(inbox)
        server.append("INBOX", (box.get_bytes(key) for key in list(box.keys())[:OVER_IMAP]))
        box.close()
        argv = [debrief, "--db", str(db), "import", "imap", HOST, "--user", server.user]
        argv += ["--port", str(server.ssl_port), "--cafile", str(server.cafile)]
        return fresh_runs(argv, empty, db, {"DEBRIEF_IMAP_PASSWORD": server.password})
    finally:
        server.stop()


def accuracy(debrief: str, labels: Path, db: Path) -> dict[str, str]:
    completed = subprocess.run(
        [debrief, "--db", str(db), "import", "email", "--eval", str(labels), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(completed.stdout)
    return {s["field"]: f"{s['correct'] / s['total']:.3f}" for s in found["scores"]}


def main() -> bool:
    debrief = tool("debrief")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty = folder / "empty.db"
        Journal.open(str(empty)).close()
        tracker, inbox, db = folder / "tracker.csv", folder / "inbox.mbox", folder / "run.db"
        write_csv(tracker)
        write_mbox(inbox)
        shutil.copy(empty, db)
        baseline = time_process(
            "summary (empty journal)", [debrief, "--db", str(db), "summary"], repeat=REPEAT
        )
        rows.append(
            [baseline.label, f"{baseline.median:.2f}", "—", "(baseline: start + open)", "—"]
        )
        for kind, source, name in (
            ("csv", tracker, f"import csv ({ROWS:,} rows)"),
            ("mbox", inbox, f"import email ({MESSAGES:,}-message mbox)"),
        ):
            argv = [
                debrief,
                "--db",
                str(db),
                "import",
                "email" if kind == "mbox" else "csv",
                str(source),
            ]
            if kind == "mbox":
                argv.append("--skip-bad")
            rows.append(timed(name, fresh_runs(argv, empty, db), baseline.median, kind))
        name = f"import imap ({OVER_IMAP:,} messages, local Dovecot)"
        over_imap = imap_runs(debrief, inbox, empty, db, folder)
        if isinstance(over_imap, str):
            rows.append([name, "—", "—", f"≤ {TARGETS['imap']:.0f} s", over_imap])
        else:
            rows.append(timed(name, over_imap, baseline.median, "imap"))
        shutil.copy(empty, db)
        scored = {
            name: accuracy(debrief, DATA / folder_name / "labels.jsonl", db)
            for name, folder_name in SETS
            if (DATA / folder_name / "labels.jsonl").exists()
        }
    print_table(
        f"Imports: whole processes, seconds, median of {REPEAT} (each into an empty journal)",
        ["command", "median", "× summary", "target", "verdict"],
        rows,
    )
    fields = ["job", "event", "company", "role", "stage", "feedback"]
    print_table(
        "E-mail reading accuracy per field (targets: job ≥ 0.97, event ≥ 0.95, company ≥ 0.90)",
        ["labelled set", *fields],
        [[name, *(found.get(f, "—") for f in fields)] for name, found in scored.items()],
    )
    print_table(
        "What an import writes without review (targets: 0 wrong facts; company and stage right "
        "≥ 0.95 among written; ≤ 15 % to review; rejections recorded ≥ 0.97)",
        [
            "labelled set",
            "job mail",
            "written",
            "to review",
            "wrong facts",
            "company",
            "stage",
            "rejections recorded",
        ],
        [
            written(name, DATA / folder_name / "labels.jsonl")
            for name, folder_name in SETS
            if (DATA / folder_name / "labels.jsonl").exists()
        ],
    )
    return all(r[-1] != "MISSED" for r in rows)


def timed(name: str, runs: list[float], baseline: float, kind: str) -> list[str]:
    """A row of the timing table: the median against its target."""
    median = statistics.median(runs)
    verdict = "met" if median <= TARGETS[kind] else "MISSED"
    return [name, f"{median:.2f}", f"{median / baseline:.1f}", f"≤ {TARGETS[kind]:.0f} s", verdict]


def written(name: str, labels: Path) -> list[str]:
    """One set's row of the written / queued / wrong table (wrong facts named by field)."""
    from debrief.ingest.mail.evaluate import outcomes

    found = outcomes(labels)
    kinds = sorted({miss.field for miss in found.wrong})
    wrong = f"{len(found.wrong)}" + (f" ({', '.join(kinds)})" if kinds else "")
    share = found.written or 1
    return [
        name,
        str(found.read_as_job),
        str(found.written),
        f"{found.queued} ({found.queued_share:.0%})",
        wrong,
        f"{found.company_right / share:.3f}",
        f"{found.stage_right / share:.3f}",
        f"{found.rejections_recorded}/{found.rejections}",
    ]


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
