"""Importing from the browser: a tracker's spreadsheet, mail files, or a JSON backup are uploaded,
shown as the same dry run `debrief import ... --dry-run` prints, and written only when the user
says so. Uploads wait in a private temporary folder until then (or until they are cancelled)."""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from debrief.errors import DebriefError, InvalidImport
from debrief.web.pages import renderer_of, require_token
from debrief.web.security import CSRF_FIELD, MAX_UPLOAD_BYTES

if TYPE_CHECKING:
    from debrief.ingest.decisions import ImportResult
    from debrief.journal import Journal

router = APIRouter(include_in_schema=False)

KINDS: Final = {
    "csv": "a tracker's spreadsheet (.csv or .xlsx)",
    "mail": "e-mail files (.eml, or an .mbox export)",
    "json": "a JSON backup (into an empty journal)",
    "partner": "a mock partner's answers file (from an offline form)",
}
SUFFIXES: Final = {
    "csv": frozenset({".csv", ".tsv", ".txt", ".xlsx"}),
    "mail": frozenset({".eml", ".mbox", ".mbx", ".txt"}),
    "json": frozenset({".json"}),
    "partner": frozenset({".json"}),
}
MAX_FILES: Final = 20
_ID = re.compile(r"[A-Za-z0-9_\-]{22}")


@dataclass(frozen=True, slots=True)
class Upload:
    """Files waiting to be imported."""

    id: str
    kind: str
    paths: tuple[Path, ...]

    @property
    def names(self) -> str:
        return ", ".join(path.name for path in self.paths)


class Uploads:
    """The uploads waiting for the user's word, in a folder only this user can read."""

    def __init__(self) -> None:
        self._root: Path | None = None
        self._lock = threading.Lock()

    def _folder(self) -> Path:
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="debrief-uploads-"))  # mode 0700
            return self._root

    def put(self, kind: str, files: list[tuple[str, bytes]]) -> Upload:
        upload_id = secrets.token_urlsafe(16)
        folder = self._folder() / upload_id
        folder.mkdir(mode=0o700)
        paths = []
        for number, (name, data) in enumerate(files, start=1):
            (folder / str(number)).mkdir(mode=0o700)  # each file keeps its own name
            path = folder / str(number) / _safe_name(name)
            path.write_bytes(data)
            paths.append(path)
        (folder / "kind").write_text(kind, "utf-8")
        return Upload(upload_id, kind, tuple(paths))

    def take(self, upload_id: str) -> Upload:
        """An upload, taken out of the waiting ones: a second confirmation of the same upload
        (a double click) finds nothing. `drop` removes it once it is used."""
        waiting = self._folder() / upload_id
        folder = self._folder() / f"{upload_id}.taken"
        with self._lock:
            if not _ID.fullmatch(upload_id) or not (waiting / "kind").is_file():
                raise HTTPException(404, "This upload is not here any more: upload the file again.")
            waiting.rename(folder)
        kind = (folder / "kind").read_text("utf-8")
        numbered = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: int(p.name))
        paths = tuple(path for place in numbered for path in place.iterdir())
        return Upload(upload_id, kind, paths)

    def drop(self, upload_id: str) -> None:
        if _ID.fullmatch(upload_id):
            for name in (upload_id, f"{upload_id}.taken"):
                shutil.rmtree(self._folder() / name, ignore_errors=True)

    def close(self) -> None:
        """Remove every upload still waiting (the server stops)."""
        with self._lock:
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
                self._root = None


def _safe_name(name: str) -> str:
    """A file name with nothing that could leave the folder, keeping its suffix (which says how
    to read it: a workbook named in Cyrillic stays a workbook)."""
    given = Path(name.replace("\\", "/"))
    suffix = re.sub(r"[^A-Za-z0-9]+", "", given.suffix).lower()[:10]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", given.stem).strip("_-") or "upload"
    return f"{stem[:70]}.{suffix}" if suffix else stem[:80]


def close_uploads(state: Any) -> None:
    """Remove the uploads an app still holds, as it stops."""
    uploads = getattr(state, "uploads", None)
    if isinstance(uploads, Uploads):
        uploads.close()


def _uploads(request: Request) -> Uploads:
    state = request.app.state
    if not hasattr(state, "uploads"):
        state.uploads = Uploads()
    found: Uploads = state.uploads
    return found


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request) -> Response:
    return renderer_of(request).page(request, "import.html", {"kinds": KINDS, "error": None})


@router.post("/import", response_class=HTMLResponse)
async def upload(request: Request) -> Response:
    """Take the files and show what importing them would do; nothing is written yet."""
    from starlette.concurrency import run_in_threadpool
    from starlette.datastructures import UploadFile

    form = await request.form(max_files=MAX_FILES, max_fields=10)
    require_token(request, form.get(CSRF_FIELD))
    kind = form.get("kind")
    renderer = renderer_of(request)
    if not isinstance(kind, str) or kind not in KINDS:
        return renderer.page(request, "import.html", _refused("choose what to import"), 422)
    files: list[tuple[str, bytes]] = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            suffix = Path(item.filename).suffix.lower()
            if suffix not in SUFFIXES[kind]:
                wanted = ", ".join(sorted(SUFFIXES[kind]))
                message = f"{item.filename} is not {KINDS[kind]} (a {wanted} file)"
                return renderer.page(request, "import.html", _refused(message), 422)
            files.append((item.filename, await item.read(MAX_UPLOAD_BYTES + 1)))
    if not files:
        return renderer.page(request, "import.html", _refused("choose a file to import"), 422)
    if kind != "mail" and len(files) > 1:
        return renderer.page(request, "import.html", _refused("import one file at a time"), 422)
    if kind == "partner":  # signed by its invite and taken once: nothing to preview
        return await _partner_answers(request, files[0])
    uploaded = _uploads(request).put(kind, files)
    journal: Journal = request.app.state.journal
    try:
        context = await run_in_threadpool(lambda: _preview(journal, uploaded))
    except DebriefError as error:
        _uploads(request).drop(uploaded.id)
        return renderer.page(request, "import.html", _refused(str(error)), 422)
    except BaseException:
        _uploads(request).drop(uploaded.id)
        raise
    return renderer.page(request, "import_preview.html", context)


async def _partner_answers(request: Request, file: tuple[str, bytes]) -> Response:
    from starlette.concurrency import run_in_threadpool

    from debrief.partner.offline import MAX_FILE_BYTES, import_answers

    name, data = file
    journal: Journal = request.app.state.journal
    try:
        if len(data) > MAX_FILE_BYTES:
            raise InvalidImport(name, None, None, f"is larger than {MAX_FILE_BYTES:,} bytes")
        feedback = await run_in_threadpool(lambda: import_answers(journal, data, file=name))
    except DebriefError as error:
        return renderer_of(request).page(request, "import.html", _refused(str(error)), 422)
    return RedirectResponse(f"/feedback/{feedback.id}", status_code=303)


def _refused(message: str) -> dict[str, Any]:
    return {"kinds": KINDS, "error": message}


def _preview(journal: Journal, uploaded: Upload) -> dict[str, Any]:
    if uploaded.kind == "json":
        counts = _backup_counts(journal, uploaded.paths[0])
        return {"upload": uploaded, "result": None, "counts": counts}
    return {"upload": uploaded, "result": _run(journal, uploaded, dry_run=True), "counts": None}


def _run(journal: Journal, uploaded: Upload, *, dry_run: bool) -> ImportResult:
    if uploaded.kind == "csv":
        from debrief.ingest.tracker import import_sheet

        return import_sheet(journal, uploaded.paths[0], dry_run=dry_run, skip_bad=not dry_run)
    from debrief.ingest.mail.importer import import_mail

    return import_mail(journal, list(uploaded.paths), dry_run=dry_run, skip_bad=not dry_run)


def _backup_counts(journal: Journal, path: Path) -> dict[str, int]:
    """The rows per table a backup holds, once it is known to go into this journal."""
    from debrief.ingest.backup import read_backup

    summary = journal.summary()
    if summary.applications or summary.interviews_real or summary.interviews_mock:
        raise InvalidImport(
            path.name, None, None, "a backup goes into an empty journal; this one holds data"
        )
    tables = read_backup(path, path.name).get("tables")
    if not isinstance(tables, dict):
        raise InvalidImport(path.name, None, "tables", "missing")
    return {name: len(rows) for name, rows in tables.items() if isinstance(rows, list)}


@router.post("/import/{upload_id}", response_class=HTMLResponse)
async def confirm(request: Request, upload_id: str) -> Response:
    """Write what the preview showed (rows or messages with problems are left out)."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form(max_files=0, max_fields=10)
    require_token(request, form.get(CSRF_FIELD))
    uploads = _uploads(request)
    uploaded = uploads.take(upload_id)
    if form.get("cancel") == "on":
        uploads.drop(upload_id)
        return RedirectResponse("/import", status_code=303)
    journal: Journal = request.app.state.journal
    try:
        if uploaded.kind == "json":
            from debrief.ingest.backup import import_json

            counts = await run_in_threadpool(lambda: import_json(journal, uploaded.paths[0]))
            context: dict[str, Any] = {"upload": uploaded, "result": None, "counts": counts}
        else:
            result = await run_in_threadpool(lambda: _run(journal, uploaded, dry_run=False))
            context = {"upload": uploaded, "result": result, "counts": None}
    finally:
        uploads.drop(upload_id)
    return renderer_of(request).page(request, "import_done.html", context)
