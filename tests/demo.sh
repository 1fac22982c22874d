#!/bin/sh
# make demo: watch a tip travel the whole path on a gammu dummy modem.
exec python3 "$(dirname "$0")/demo.py" --build "${1:-build}"
