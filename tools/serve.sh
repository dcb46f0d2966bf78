#!/bin/sh
# Build Byline, index the sample corpus and serve it (tools/quickstart.sh
# --serve): open http://127.0.0.1:8080/ (Ctrl-C stops the server).
#
# Usage: tools/serve.sh [ADDR:PORT]     (default 127.0.0.1:8080)
exec "$(dirname "$0")/quickstart.sh" --serve "$@"
