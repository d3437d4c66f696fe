"""``lawsup-central``: run the service, and the bureau's admin commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lawsup-central", description="县局法制大队同步服务 / the bureau's sync service")
    parser.add_argument("--db", help="database URL (postgresql+psycopg://… in production; "
                        "default: a SQLite file in the user's data folder, or $LAWSUP_CENTRAL_DB)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--ssl-certfile")
    serve.add_argument("--ssl-keyfile")

    sub.add_parser("migrate", help="create or upgrade the database schema")

    station = sub.add_parser("station", help="stations and enrolment codes")
    ssub = station.add_subparsers(dest="action", required=True)
    add = ssub.add_parser("add", help="add a station; prints its one-time enrolment code")
    add.add_argument("code")
    add.add_argument("name")
    code = ssub.add_parser("code", help="a new one-time enrolment code for a station")
    code.add_argument("code")
    revoke = ssub.add_parser("revoke", help="revoke a station and all its devices")
    revoke.add_argument("code")
    ssub.add_parser("list", help="list the stations")

    assign = sub.add_parser("assign", help="assign a 挂牌督办 rectification item to a station")
    assign.add_argument("station")
    assign.add_argument("--number", required=True)
    assign.add_argument("--description", required=True)
    assign.add_argument("--due", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    assign.add_argument("--risk", default="medium", choices=("high", "medium", "low"))
    assign.add_argument("--authority", default="县局法制大队")
    assign.add_argument("--problem-type", help="code of the negative-list entry")

    guidance = sub.add_parser("guidance", help="enforcement guidance (执法指引)")
    gsub = guidance.add_subparsers(dest="action", required=True)
    publish = gsub.add_parser("publish", help="publish a document to every station")
    publish.add_argument("file", type=Path)
    publish.add_argument("--title", required=True)
    publish.add_argument("--summary", default="")

    reference = sub.add_parser("reference", help="problem types, deadline rules, holidays")
    rsub = reference.add_subparsers(dest="action", required=True)
    load = rsub.add_parser("load", help="load a JSON file of reference data")
    load.add_argument("file", type=Path)
    show = rsub.add_parser("list", help="list reference data")
    show.add_argument("--kind", choices=("problem_type", "deadline_rule", "holiday_period"))
    return parser


def _serve(args: argparse.Namespace, url: str) -> int:
    import uvicorn

    from lawsup_central.db import DB_ENV, make_engine, upgrade

    # Upgrade once here, before the workers start, so they never race on it.
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    os.environ[DB_ENV] = url
    uvicorn.run("lawsup_central.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="warning", ssl_certfile=args.ssl_certfile,
                ssl_keyfile=args.ssl_keyfile)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from lawsup_central.db import database_url, make_engine, sessions, upgrade

    url = database_url(args.db)
    if args.command == "serve":
        return _serve(args, url)
    from lawsup_central import admin

    engine = make_engine(url)
    upgrade(engine)
    if args.command == "migrate":
        print("database is up to date")
        return 0
    try:
        with sessions(engine).begin() as session:
            return _admin(args, session)
    except admin.AdminError as exc:
        print(f"lawsup-central: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _admin(args: argparse.Namespace, session: object) -> int:
    from sqlalchemy.orm import Session

    from lawsup_central import admin

    assert isinstance(session, Session)
    if args.command == "station":
        if args.action == "add":
            code = admin.add_station(session, args.code, args.name)
            print(f"station {args.code} added; one-time enrolment code: {code}")
        elif args.action == "code":
            print(f"one-time enrolment code for {args.code}: "
                  f"{admin.new_enrollment_code(session, args.code)}")
        elif args.action == "revoke":
            count = admin.revoke_station(session, args.code)
            print(f"station {args.code} revoked ({count} device(s))")
        else:
            for code, name, revoked, devices in admin.list_stations(session):
                print(f"{code}\t{name}\t{'revoked' if revoked else 'active'}\t{devices} device(s)")
    elif args.command == "assign":
        rid = admin.assign_rectification(
            session, args.station, args.number, args.description, args.due, risk=args.risk,
            authority=args.authority, problem_type=args.problem_type)
        print(f"assigned {args.number} to {args.station} (record {rid})")
    elif args.command == "guidance":
        rid = admin.publish_guidance(session, args.file, args.title, args.summary)
        print(f"published {args.title!r} (record {rid})")
    elif args.action == "load":
        counts = admin.load_reference(session, args.file)
        print("loaded " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    else:
        for row in admin.list_reference(session, args.kind):
            print(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
