#!/usr/bin/env bash
# Stops the one-node Slurm that deploy/slurm/slurm-up.sh started (slurmd, slurmctld, munged), by their pid
# files in the state folder (RFCNPERF_SLURM_DIR, default /tmp/rfcnperf-slurm). Running jobs are killed with slurmd.
# The state folder stays (logs in log/); --purge removes it.
set -euo pipefail
dir="${RFCNPERF_SLURM_DIR:-/tmp/rfcnperf-slurm}"

stop() { # name pidfile
  local pid
  [ -f "$2" ] || return 0
  pid="$(cat "$2")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "slurm-down: $1 (pid $pid) ignored SIGTERM for 10 s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$2"
}

stop slurmd "$dir/slurmd.pid"
stop slurmctld "$dir/slurmctld.pid"
stop munged "$dir/munge/munged.pid"
echo "slurm-down: stopped (logs in $dir/log)"
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$dir"
fi
