"""Importing straight from an IMAP account (`debrief import imap`), batch by batch.

Each batch the server sends is decided like a mail file's messages and written in one
transaction together with how far its folder has been read, so a run that is interrupted (a
dropped connection, Ctrl-C) keeps what it wrote and the next run starts after it. Folder state is
kept per account (user@host) and folder. A dry run reads everything new and decides it all
together, writing nothing, not even the folder state.

A message the reader cannot make sense of (over 30 MB, no sender) is listed with its reason and
left out, and the run goes on: unlike a file, mail on a server cannot be fixed and retried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from debrief.ingest.decisions import Decision, ImportResult, decided
from debrief.ingest.mail.imap import Account, Batch, FolderState, batches
from debrief.ingest.mail.importer import decisions_of, plan_mail, write_mail
from debrief.journal import Journal

# Told after each batch: the folder, messages read from it so far, messages to read from it.
MailboxProgress = Callable[[str, int, int], None]


def account_key(account: Account) -> str:
    """How the folder state of an account is stored: user@host (one mailbox, whichever port
    or security reaches it)."""
    return f"{account.user}@{account.host.casefold()}"


def known_folders(journal: Journal, account: Account) -> dict[str, FolderState]:
    """How far each folder of this account has been read by earlier imports."""
    return {
        folder: FolderState(folder, uidvalidity, last_uid)
        for folder, (uidvalidity, last_uid) in journal.folder_states(account_key(account)).items()
    }


def import_mailbox(
    journal: Journal,
    account: Account,
    *,
    dry_run: bool = False,
    progress: MailboxProgress | None = None,
    batch_size: int = 200,
) -> ImportResult:
    """Read what is new in the account's folders and import it (a dry run: decide, write
    nothing); `MailboxError` when the server cannot be reached or read."""
    found = batches(account, known_folders(journal, account), size=batch_size)
    source = f"imap {account.login}"
    if dry_run:
        letters = [letter for batch in _told(found, progress) for letter in batch.letters]
        steps = plan_mail(journal, letters)
        return decided(decisions_of(steps), source, written=False, mail=True)
    done: list[Decision] = []
    key = account_key(account)
    for batch in _told(found, progress):
        steps = plan_mail(journal, batch.letters)  # triage runs outside the transaction
        with journal.atomic():
            done += write_mail(journal, steps)
            state = batch.state
            journal.save_folder_state(key, state.folder, state.uidvalidity, state.last_uid)
    return decided(done, source, written=True, mail=True)


def _told(found: Iterator[Batch], progress: MailboxProgress | None) -> Iterator[Batch]:
    for batch in found:
        if progress is not None:
            progress(batch.folder, batch.done, batch.total)
        yield batch
