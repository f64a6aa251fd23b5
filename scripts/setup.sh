#!/usr/bin/env bash
# Set up everything Kokousarkisto needs on a fresh Debian/Ubuntu machine:
# Debian packages (when missing), a virtual environment at .venv, and the project
# installed into it in editable mode with its test dependencies. Safe to re-run:
# it only reinstalls when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the project uses. python3-venv only when the interpreter lacks it.
# libvoikko1 + voikko-fi: Finnish base forms for search (without them: Snowball stems).
APT_PACKAGES=(poppler-utils libvoikko1 voikko-fi chromium chromium-driver)
python3 -c 'import ensurepip, venv' 2>/dev/null || APT_PACKAGES+=(python3-venv python3-pip)
# Node.js and npm run s3rver (below); a machine may have its own newer npm, so ask for
# the Debian packages only when either command is missing.
{ command -v node && command -v npm; } >/dev/null || APT_PACKAGES+=(nodejs npm)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ]; then
    echo "setup: please install with apt: ${missing[*]} (no root or sudo here)" >&2
  else
    echo "setup: installing Debian packages: ${missing[*]}"
    # Not fatal: every Debian package here has a fallback outside CI (Snowball stems
    # without Voikko, benchmarks skip pdftotext, the browser test skips without
    # Chromium), and a mirror hiccup must not stop the set-up; in CI the tests that
    # need them fail loudly instead.
    if ! { $SUDO apt-get update -qq &&
           DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null; }
    then
      echo "setup: WARNING: could not install ${missing[*]}; continuing without them" >&2
    fi
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.kokousarkisto-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi

# s3rver: the S3-compatible server the object-store tests start on 127.0.0.1. It keeps
# its objects on disk, so a restarted server still has them. Pinned, into .venv/node.
S3RVER_VERSION=3.7.1
if command -v npm >/dev/null &&
   ! grep -qs "\"version\": \"$S3RVER_VERSION\"" .venv/node/node_modules/s3rver/package.json
then
  echo "setup: installing s3rver $S3RVER_VERSION (npm) into .venv/node"
  npm install --silent --no-audit --no-fund --prefix .venv/node "s3rver@$S3RVER_VERSION" \
    >/dev/null || echo "setup: WARNING: could not install s3rver (object-store tests)" >&2
fi
