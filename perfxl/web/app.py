"""The routes: a Starlette app over the run store, the worker runner and the
saved results. Every page is server-rendered and works without scripts; the
one script (static/app.js) adds drag-and-drop, folder picking, upload
progress and live run progress.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from perfxl import __version__
from perfxl.pipeline import SUMMARY_NAME
from perfxl.rules.schema import DEFAULT
from perfxl.web import results
from perfxl.web.config import ServeConfig
from perfxl.web.jobs import JobRunner
from perfxl.web.rulesets import rule_sets
from perfxl.web.security import Gate
from perfxl.web.store import Run, RunStore
from perfxl.web.uploads import UploadError, receive

DOWNLOADS = {
    "completed.zip": "完成稿.zip",
    "returns.zip": "退回修改.zip",
    "reports.zip": "自评报告初稿.zip",
}
STATE_ZH = {"queued": "排队中", "running": "处理中", "done": "已完成", "failed": "失败"}


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("perfxl.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v, d=2: "" if v is None else f"{v:,.{d}f}"
    env.filters["pct"] = lambda v: "" if v is None else f"{v * 100:.2f}%"
    env.globals.update(version=__version__, state_zh=STATE_ZH, severity_zh=results.SEVERITY_ZH)
    return env


class Web:
    """The app's state (config, store, runner, templates) and its handlers."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.store = RunStore(config.runs_dir)
        self.runner = JobRunner(self.store, config.jobs, config.max_parallel_runs)
        self.env = _env()

    @property
    def server_rules(self) -> str:
        """The server's own rules (``perfxl serve --rules``): '' for the defaults."""
        return "" if self.config.rules is DEFAULT else self.config.rules.source

    def rule_sets(self) -> list[tuple[str, str]]:
        """The choices of the form; the first ('') is the server's own rules."""
        sets = rule_sets()
        if self.server_rules:
            sets[0] = ("", f"本服务器的规则：{self.config.rules.title}")
        return sets

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})

    def find(self, request: Request) -> Run:
        run = self.store.get(request.path_params["run_id"])
        if run is None:
            raise NotFound()
        return run

    # -- pages --
    async def home(self, request: Request) -> Response:
        runs = self.store.list()
        done = [r for r in runs if r.state == "done"]
        return self.page(
            "home.html",
            runs=runs,
            previous_runs=done,
            rule_sets=self.rule_sets(),
            limits=(self.config.max_upload_bytes // 1048576, self.config.max_upload_files),
            features=_loop_features(),
        )

    async def upload(self, request: Request) -> Response:
        wants_json = request.headers.get("x-requested-with") == "perfxl"
        run = self.store.create()
        try:
            upload = await receive(
                request, run.path, self.config.max_upload_bytes, self.config.max_upload_files
            )
            if not upload.files.get("inbox"):
                raise UploadError("没有选择任何文件：请选择自评表文件、文件夹或 .zip")
        except UploadError as exc:
            self.store.delete(run)
            if wants_json:
                return JSONResponse({"error": str(exc)}, status_code=exc.status)
            return self.page("error.html", status=exc.status, message=str(exc))
        fields = upload.fields
        options: dict[str, Any] = {
            "rules_name": fields.get("rules_name", "")
            if fields.get("rules_name") in dict(self.rule_sets())
            else "",
            "server_rules": self.server_rules,
            "rules_file": upload.files["rules"][0].name if upload.files.get("rules") else "",
            "roster": upload.files["roster"][0].name if upload.files.get("roster") else "",
            "reports": fields.get("reports") == "1",
        }
        previous = self.store.get(fields.get("previous", "")) if fields.get("previous") else None
        if previous is not None and previous.state == "done":
            options["previous"] = previous.id
            options["previous_created"] = previous.created
            options["previous_out"] = str(previous.out)
        meta = {
            **run.meta,
            "options": options,
            "uploaded": {"files": len(upload.files["inbox"]), "bytes": upload.total_bytes},
        }
        self.store.save_meta(run, meta)
        self.runner.submit(run)
        url = f"/runs/{run.id}"
        if wants_json:
            return JSONResponse({"url": url})
        return RedirectResponse(url, status_code=303)

    async def run_page(self, request: Request) -> Response:
        run = self.find(request)
        self.runner.tick()
        run = self.store.get(run.id) or run
        if run.state != "done":
            return self.page("progress.html", run=run)
        data = results.load(run.path)
        if data is None:
            return self.page("error.html", status=500, message="结果文件缺失或已损坏")
        query = {
            k: request.query_params.get(k, "")
            for k in ("department", "implementer", "grade", "errors", "sort", "order")
        }
        rows = results.filter_projects(data["projects"], query)
        pages = max(1, -(-len(rows) // self.config.page_rows))
        try:
            page = min(max(1, int(request.query_params.get("page", "1"))), pages)
        except ValueError:
            page = 1
        grades = results.grade_rows(data)
        return self.page(
            "results.html",
            run=run,
            data=data,
            rows=rows[(page - 1) * self.config.page_rows : page * self.config.page_rows],
            matched=len(rows),
            page=page,
            pages=pages,
            page_rows=self.config.page_rows,
            query=query,
            columns=results.COLUMNS,
            departments=results.choices(data["projects"], "department"),
            implementers=results.choices(data["projects"], "implementer"),
            grades=grades,
            chart=results.grade_chart(grades),
            downloads=DOWNLOADS,
        )

    async def status(self, request: Request) -> Response:
        run = self.find(request)
        self.runner.tick()
        run = self.store.get(run.id) or run
        return JSONResponse({**run.status, "state_zh": STATE_ZH.get(run.state, run.state)})

    async def project(self, request: Request) -> Response:
        run, data = self.done_run(request)
        try:
            index = int(request.path_params["index"])
        except ValueError:
            raise NotFound() from None
        detail = results.project_detail(run.path, data, index)
        if detail is None:
            raise NotFound()
        return self.page(
            "project.html",
            run=run,
            explain=results.explanation_field(detail["indicators"]),
            **detail,
        )

    async def units(self, request: Request) -> Response:
        run, data = self.done_run(request)
        return self.page("units.html", run=run, data=data, units=results.units(data))

    async def submissions(self, request: Request) -> Response:
        run, data = self.done_run(request)
        return self.page("sheets.html", run=run, data=data, sheets=data.get("sheets", {}))

    def done_run(self, request: Request) -> tuple[Run, dict]:
        run = self.find(request)
        data = results.load(run.path) if run.state == "done" else None
        if data is None:
            raise NotFound()
        return run, data

    # -- downloads --
    async def download(self, request: Request) -> Response:
        run, _ = self.done_run(request)
        name = request.path_params["name"]
        if name == "summary":
            return _file(run.out / SUMMARY_NAME, SUMMARY_NAME)
        if name in DOWNLOADS:
            return _file(run.downloads / name, DOWNLOADS[name])
        raise NotFound()

    async def return_file(self, request: Request) -> Response:
        run, data = self.done_run(request)
        name = request.path_params["name"]
        if name not in data.get("returns", []):  # only names the pipeline wrote
            raise NotFound()
        return _file(run.out / "退回" / name, name)

    async def delete(self, request: Request) -> Response:
        run = self.find(request)
        self.runner.cancel(run.id)
        self.store.delete(run)
        return RedirectResponse("/", status_code=303)


class NotFound(Exception):
    """No run (or page of a run) with that id: the same answer for all."""


def _file(path: Path, filename: str) -> Response:
    if not path.is_file():
        raise NotFound()
    return FileResponse(path, filename=filename, headers={"cache-control": "no-store"})


def _loop_features() -> dict[str, bool]:
    """Which of the pipeline's optional inputs this version takes."""
    from perfxl.web.job import loop_supported

    on = loop_supported()
    return {"roster": on, "previous": on}


def create_app(config: ServeConfig, extra_hosts: tuple[str, ...] = ()) -> Gate:
    """The ASGI app, behind the token/host/origin gate."""
    web = Web(config)

    async def not_found(request: Request, exc: Exception) -> Response:
        return web.page(
            "error.html", status=404, message="没有找到该页面或该次运行（可能已被删除）"
        )

    @contextlib.asynccontextmanager
    async def lifespan(app):
        web.store.mark_interrupted()

        async def ticker() -> None:
            while True:
                await asyncio.sleep(0.5)
                web.runner.tick()

        task = asyncio.create_task(ticker())
        try:
            yield
        finally:
            task.cancel()
            web.runner.stop_all()

    rid = "{run_id}"
    routes = [
        Route("/", web.home),
        Route("/runs", web.upload, methods=["POST"]),
        Route(f"/runs/{rid}", web.run_page),
        Route(f"/runs/{rid}/status", web.status),
        Route(f"/runs/{rid}/projects/{{index}}", web.project),
        Route(f"/runs/{rid}/units", web.units),
        Route(f"/runs/{rid}/submissions", web.submissions),
        Route(f"/runs/{rid}/download/{{name}}", web.download),
        Route(f"/runs/{rid}/returns/{{name}}", web.return_file),
        Route(f"/runs/{rid}/delete", web.delete, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("perfxl.web", "static")]), name="static"),
    ]
    app = Starlette(
        routes=routes, lifespan=lifespan, exception_handlers={NotFound: not_found, 404: not_found}
    )
    app.state.web = web
    return Gate(app, config.token, config.loopback, extra_hosts)
