#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine:
#   - Debian packages: LibreOffice Impress (renders decks for the overflow test), poppler-utils
#     (PDF to PNG), the Carlito and Caladea fonts (metric-compatible with Calibri and Cambria,
#     the themes' fonts), DejaVu Sans (draws and joins Arabic and Hebrew: the right-to-left tests),
#     Noto CJK (the handout test that draws Japanese through a script font),
#     and Noto Color Emoji (most desktops have it: the suite must pass with it, and the emoji tests need it),
#     and chromium (the live preview's browser test drives it with Playwright; Playwright's own browser
#     download is not used);
#   - npm: markdownlint-cli2 (lints the generated article), into ./node_modules;
#   - PyPI: requirements-dev.txt.
# Run as root or with sudo available. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends \
    libreoffice-impress poppler-utils fonts-crosextra-carlito fonts-crosextra-caladea fonts-dejavu-core \
    fonts-noto-cjk fonts-noto-color-emoji chromium >/dev/null
fi
if command -v npm >/dev/null; then
  npm install --no-audit --no-fund --silent
fi
python -m pip install -q -r requirements-dev.txt
