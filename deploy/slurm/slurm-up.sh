#!/usr/bin/env bash
# Starts a real one-node Slurm on this machine (Debian's slurm-wlm: munged, slurmctld, slurmd) for the
# integration tests and for trying the sbatch scripts of deploy/slurm/. Everything lives in one state folder
# (default /tmp/rfcnperf-slurm); nothing in /etc is changed, no systemd is needed.
#
#   deploy/slurm/slurm-up.sh [--install]     start (--install: apt-get install slurmctld slurmd slurm-client munge first)
#   export SLURM_CONF=/tmp/rfcnperf-slurm/slurm.conf    then sinfo, sbatch, squeue, scontrol work as usual
#   deploy/slurm/slurm-down.sh               stop the daemons (state folder kept for their logs)
#
# The node is this machine as `slurmd -C` sees it (CPUs, sockets, cores, memory), partition `debug`, cons_tres
# selection by CPU, no cgroup plugins (proctrack/linuxproc, task/affinity), so it runs in a container as root.
# Environment: RFCNPERF_SLURM_DIR (state folder), RFCNPERF_SLURM_PORT (slurmctld port, slurmd uses the next one;
# default 6817), RFCNPERF_SLURM_FEATURES (node features for --constraint, default: the CPU's ISA level, e.g. avx512),
# RFCNPERF_SLURM_CRED_EXPIRE (seconds a requeued job waits before it starts again, default 10; Slurm's own is 120).
# Must run as root (slurmd starts jobs as their user). Prints `export SLURM_CONF=...` on success.
set -euo pipefail

dir="${RFCNPERF_SLURM_DIR:-/tmp/rfcnperf-slurm}"
port="${RFCNPERF_SLURM_PORT:-6817}"

if [ "${1:-}" = "--install" ]; then
  if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    echo "slurm-up: installing slurmctld slurmd slurm-client munge (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null; }
  fi
fi

for tool in munged slurmctld slurmd sinfo scontrol; do
  command -v "$tool" >/dev/null || { echo "slurm-up: $tool not found; install Debian's slurmctld slurmd slurm-client munge (or pass --install)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "slurm-up: must run as root (slurmd launches jobs as their owner), running as uid $(id -u)" >&2; exit 2; }

if [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
  echo "slurm-up: already running (state folder $dir); run deploy/slurm/slurm-down.sh first to restart" >&2
  echo "export SLURM_CONF=$dir/slurm.conf"
  exit 0
fi

mkdir -p "$dir"/{munge,state,spool,log}
chmod 700 "$dir/munge"
host="$(hostname -s)"

# munge: a private key and socket in the state folder (the system's munged, if any, is left alone).
if [ ! -f "$dir/munge/munge.key" ]; then
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 status=none
  chmod 400 "$dir/munge/munge.key"
fi
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"

# The node line as slurmd detects it (CPUs, boards, sockets, cores, threads, RealMemory), minus its uptime.
node="$(slurmd -C | head -n 1)"
features="${RFCNPERF_SLURM_FEATURES:-$(grep -qw avx512f /proc/cpuinfo && echo avx512 || echo x86-64)}"

cat >"$dir/slurm.conf" <<CONF
# Written by deploy/slurm/slurm-up.sh: a one-node cluster for tests. Do not use as a production template.
ClusterName=rfcnperf
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire also sets how long a requeued batch job waits before it may start again (default 120 s).
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=${RFCNPERF_SLURM_CRED_EXPIRE:-10}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups: process tracking by parent pid, CPU binding by sched_setaffinity (task/affinity: a job asking
# for -c 1 runs on one CPU); works in a container without systemd.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# Look at pending jobs every 2 s (default 60 s), so a requeued job starts soon after cred_expire has passed.
SchedulerParameters=sched_interval=2
MinJobAge=600
KillWait=10
$node Features=$features State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

# Wait until the node is idle (both daemons up and talking).
for _ in $(seq 1 60); do
  state="$(sinfo -h -N -n "$host" -o '%t' 2>/dev/null || true)"
  if [ "$state" = "idle" ]; then
    echo "slurm-up: node $host idle ($(sinfo -V), $(sinfo -h -N -n "$host" -o '%c CPUs, %m MB, features %f'))"
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 1
done
echo "slurm-up: node $host did not become idle within 60 s (state '${state:-none}'); logs in $dir/log" >&2
tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
exit 1
