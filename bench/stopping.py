"""How the benchmarks stop the servers they started: one function for all of them."""

import subprocess


def stop_processes(processes, seconds=30):
    """Ask every process still running to stop (SIGTERM: gunicorn's master then stops its
    workers and helpers), wait up to `seconds` for each, and kill what is left."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
