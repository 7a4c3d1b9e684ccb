#!/usr/bin/env bash
# The interpreter `make install` builds the virtualenv with: Debian's /usr/bin/python3 when it
# is 3.11 or newer and can make virtualenvs (python3-venv), else the first python3 on PATH.
# Debian builds its Python with profile-guided and link-time optimisation; the pyenv build on
# our machines has neither, and renders a case summary PDF about 12% slower (WeasyPrint is
# pure Python). PYTHON=... on make's command line overrides this choice.
set -euo pipefail
system=/usr/bin/python3
if [ -x "$system" ] \
  && "$system" -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
then
  echo "$system"
else
  echo python3
fi
