#!/usr/bin/env bash
# Starts (or stops) a single-node Slurm cluster on this machine, for tests:
# munged, slurmctld and slurmd as root with a generated slurm.conf under DIR.
#   scripts/slurm/local-cluster.sh start DIR   # prints "export SLURM_CONF=..." on success
#   scripts/slurm/local-cluster.sh stop DIR
# Exits 77 (the "skip" code of the test suite) when Slurm cannot start here.
set -euo pipefail
action=${1:?start|stop}
dir=$(realpath -m "${2:?DIR}")

stop() {
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munged.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 0.5
}
if [ "$action" = stop ]; then stop; exit 0; fi

skip() { echo "local-cluster: cannot start Slurm here: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root"
for tool in munged slurmctld slurmd sbatch squeue; do
  command -v "$tool" >/dev/null || skip "$tool not installed (scripts/setup.sh installs it)"
done

mkdir -p "$dir"/{state,spool,munge}
chmod 700 "$dir/munge"
host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)

# Our own munge daemon and key, so nothing system-wide is touched.
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/seed" \
  || skip "munged did not start (see $dir/munged.log)"

cat >"$dir/slurm.conf" <<CONF
ClusterName=vnfactstest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldPort=${VNFACTS_SLURMCTLD_PORT:-16817}
SlurmdPort=${VNFACTS_SLURMD_PORT:-16818}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -f "$SLURM_CONF" || skip "slurmctld did not start (see $dir/slurmctld.log)"
slurmd -f "$SLURM_CONF" || skip "slurmd did not start (see $dir/slurmd.log)"
for _ in $(seq 1 60); do
  if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.5
done
stop
skip "the node did not become idle (see $dir/slurmctld.log, $dir/slurmd.log)"
