#!/usr/bin/env python3
"""Where a command's wall time goes: CPU (its own and its children's), waiting for a CPU, and blocked.

Usage: wall_cpu.py RUNS PREPARE -- COMMAND...   (PREPARE is a shell command run untimed before each run)
Runs COMMAND RUNS times idle and RUNS times beside two busy processes (as on a loaded two-core machine) and prints
the medians of: wall time; CPU time (user + system of the command and every child it waited for, from wait4);
the time its main thread sat runnable without a CPU (kernel schedstat, read before the process is reaped); the
rest (wall - CPU - runnable wait: time blocked on the disk, fsync, a child starting, a lock); and its voluntary and
involuntary context switches.
"""
import os, signal, statistics, subprocess, sys, time

def one(command, prepare):
    subprocess.run(prepare, shell=True, check=True)
    os.sync()  # the previous run's writeback must not land in this one
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    with open(f"/proc/{child.pid}/schedstat") as f:
        _, runnable_ns, _ = (int(x) for x in f.read().split())
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, runnable_ns / 1e9, usage.ru_nvcsw, usage.ru_nivcsw

def measure(label, runs, command, prepare):
    samples = [one(command, prepare) for _ in range(runs + 1)][1:]  # one warm-up
    wall, cpu, runnable, vol, invol = (statistics.median(s[i] for s in samples) for i in range(5))
    rest = statistics.median(max(0.0, s[0] - s[1] - s[2]) for s in samples)
    print(f"  {label:<10} wall {wall * 1000:7.1f} ms  cpu {cpu * 1000:6.1f} ms  waiting for a cpu {runnable * 1000:6.1f} ms"
          f"  blocked {rest * 1000:6.1f} ms  switches {vol:.0f} voluntary, {invol:.0f} involuntary")

def main():
    runs, prepare = int(sys.argv[1]), sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1:]
    measure("idle", runs, command, prepare)
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        time.sleep(0.5)
        measure("loaded", runs, command, prepare)
    finally:
        for process in busy:
            process.send_signal(signal.SIGKILL)
            process.wait()

main()
