"""``perfxl serve``: the whole job in a local web page, for staff who never
open a terminal.

A thin front end like the CLI: it takes an upload, runs the one pipeline
(:func:`perfxl.pipeline.run_inbox`) in a separate process and renders what that
pipeline wrote. Nothing is computed here that the CLI would compute
differently. The server needs the optional ``web`` extra
(``pip install -e ".[web]"``); the plain install does not import this package.

Modules: ``config`` (where runs live, limits, token), ``store`` (one folder per
run), ``uploads`` (streaming multipart parse with bounds and safe names),
``jobs`` (worker processes) and ``job`` (what a worker runs), ``results``
(tables and chart for the pages), ``security`` (token, host and origin
checks), ``app`` (the routes).
"""
