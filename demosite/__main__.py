"""``python -m demosite --port 8080 [--as-of 2025-02-01]``: serve the demo site."""

from __future__ import annotations

import argparse
import datetime as dt

from .server import serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="demosite", description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        help="show only documents published on or before this date (YYYY-MM-DD)",
    )
    args = parser.parse_args(argv)
    serve_forever(args.port, as_of=args.as_of, host=args.host)


if __name__ == "__main__":
    main()
