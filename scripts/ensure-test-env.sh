#!/usr/bin/env bash
# Makes sure what the tests talk to is there: PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379
# (started when installed but down), and Debian's Chromium with CJK fonts for the browser test
# (installed with apt-get when run as root). Quiet and quick when everything is already in place.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
as_root() { [ "$(id -u)" = 0 ]; }

if have pg_isready && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if have pg_ctlcluster && ls /etc/postgresql >/dev/null 2>&1; then
    echo "ensure-test-env: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi

if have redis-server && have redis-cli && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "ensure-test-env: starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
if [ "${#missing[@]}" -gt 0 ]; then
  if as_root && have apt-get; then
    echo "ensure-test-env: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "ensure-test-env: missing ${missing[*]} — install with: sudo apt-get install -y ${missing[*]}" >&2
  fi
fi
