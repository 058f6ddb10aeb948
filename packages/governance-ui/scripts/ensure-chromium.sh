#!/usr/bin/env bash
# Debian's Chromium for the end-to-end tests (playwright-core drives it; no browser download).
source "$(dirname "$0")/../../../scripts/lib.sh"
if [ ! -x /usr/bin/chromium ]; then apt_install chromium; fi
