"""The standalone verifier's population digest in a second process (speed only).

Where it pays, the verifier computes the digest of a population file in a forked child
while it checks the rows and draws (``_DigestProcess``). These tests hold the two ways to
the same output, byte for byte and exit status for exit status, on good and damaged inputs
(a repeated id found by the child's sort included), check that a child that dies or fails
is reported, never replaced by a quiet second computation, and that no child outlives a
run. Each run is a fresh interpreter loading the verifier file alone (one thread, no
numpy), with ``PARALLEL`` forced one way or the other.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from randsample.records import _standalone_verify as sv

from .test_standalone_blocks import CASES, GOLDEN, HEADER, LINES

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="the verifier forks only here"
)

DATA = Path(__file__).resolve().parents[1] / "data"
DRAW = DATA / "golden_draw"
PUBLICATION = DATA / "golden_publication"
SECRET = json.loads((PUBLICATION / "commitment_vectors.json").read_text("utf-8"))[
    "authority_secret"
]

# Loads the verifier file alone; for each job forces PARALLEL, sets the reading sizes,
# optionally breaks the digest's sort, runs main() on the command line and reports its exit
# status, output, the forks made and whether a child process was left behind.
DRIVER = r"""
import contextlib, importlib.util, io, json, os, signal, sys
path, jobs = sys.argv[1], json.loads(sys.stdin.read())
spec = importlib.util.spec_from_file_location("standalone", path)
sv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sv)
defaults = {name: getattr(sv.PopulationFile, name) for name in ("BLOCK", "BATCH", "KINDS")}
sorted_digest = sv.PopulationFile._sorted_digest

def broken():
    class Unpicklable(Exception):  # a local class: pickle cannot name it
        pass
    def kill(self):
        os.kill(os.getpid(), signal.SIGKILL)
    def fail(self):
        raise ZeroDivisionError("a bug in the sort")
    def unpicklable(self):
        raise Unpicklable("a bug nobody can pickle")
    return {"kill": kill, "fail": fail, "unpicklable": unpicklable}

forks = [0]
fork = os.fork
def counted():
    forks[0] += 1
    return fork()
sv.os.fork = counted
results = []
for job in jobs:
    sv.PARALLEL = job["parallel"]
    for name, value in {**defaults, **job["settings"]}.items():
        setattr(sv.PopulationFile, name, value)
    sv.PopulationFile._sorted_digest = broken()[job["sort"]] if job["sort"] else sorted_digest
    out, err = io.StringIO(), io.StringIO()
    forks[0] = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = sv.main(job["argv"])
    try:
        left = os.waitpid(-1, os.WNOHANG) is not None
    except ChildProcessError:
        left = False
    results.append({"code": code, "out": out.getvalue(), "err": err.getvalue(),
                    "forks": forks[0], "left": left})
sys.stdout.write(json.dumps(results))
"""


def job(
    argv: list[str], parallel: bool, settings: dict[str, int] | None = None, sort: str = ""
) -> dict[str, Any]:
    """One run of the verifier: its command line, PARALLEL, reading sizes, a broken sort."""
    return {"argv": argv, "parallel": parallel, "settings": settings or {}, "sort": sort}


def run(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run the verifier on each job in turn, in one fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, sv.__file__],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def population_cases(tmp_path: Path) -> list[list[str]]:
    """Command lines: the golden draw record on every population file of the block tests
    (good, reordered, damaged), as text and as JSON, and the other draw kinds."""
    runs = []
    for number, case in enumerate(sorted(CASES)):
        path = tmp_path / f"case{number}.csv"
        path.write_bytes(CASES[case].encode("utf-8"))
        runs.append([str(DRAW / "record1.json"), str(path)])
        runs.append([str(DRAW / "record1.json"), str(path), "--json", "--lang", "zh"])
    reversed_path = tmp_path / "reversed.csv"
    reversed_path.write_text("\n".join([HEADER, *LINES[::-1]]) + "\n", encoding="utf-8")
    salted = tmp_path / "salted.csv"
    salted_lines = (PUBLICATION / "population.csv").read_text("utf-8").splitlines()
    salted.write_text("\n".join([salted_lines[0], *salted_lines[:0:-1]]) + "\n", "utf-8")
    for population in (str(DRAW / "population.csv"), str(reversed_path)):
        runs.append([str(DRAW / "record_pips.json"), population])
        runs.append([str(DRAW / "record_sampford.json"), population])
        runs.append([str(DRAW / "replacement1.json"), str(DRAW / "record1.json"), population])
    for population in (str(PUBLICATION / "population.csv"), str(salted)):
        salted_record = str(PUBLICATION / "salted_record.json")
        runs.append([salted_record, population, "--secret", SECRET])
        notice = str(PUBLICATION / "notice.json")
        runs.append([notice, salted_record, population, "--secret", SECRET, "--json"])
    return runs


def test_a_digest_process_gives_the_output_of_one_process(tmp_path: Path) -> None:
    """On good and damaged population files (a repeat out of id order, found only by the
    sort, included), read in big and in small blocks, and every draw kind, the forked run
    prints what the sequential run prints and exits the same; each run forked once, or not
    at all, and left no child."""
    runs = [
        (argv, settings)
        for settings in ({}, {"BLOCK": 64, "BATCH": 7, "KINDS": 2})
        for argv in population_cases(tmp_path)
    ]
    results = run([job(a, parallel, s) for a, s in runs for parallel in (False, True)])
    one, two = results[::2], results[1::2]
    for argv, expected, actual in zip(runs, one, two, strict=True):
        assert (expected["code"], expected["out"], expected["err"]) == (
            actual["code"],
            actual["out"],
            actual["err"],
        ), argv
        assert (0, 1) == (expected["forks"], actual["forks"]), argv
        assert (False, False) == (expected["left"], actual["left"]), argv
    refusals = [result["err"] for result in one if result["code"] == 2]
    assert any("appears twice" in text for text in refusals)  # the sort's own refusal
    assert {0, 1, 2} == {result["code"] for result in one}


def test_a_child_is_stopped_when_an_error_comes_first(tmp_path: Path) -> None:
    """A run refused before the digest is asked for (a malformed record, a file not used)
    stops its child: the output is the sequential run's and no process is left."""
    bad = tmp_path / "record.json"
    bad.write_text("{", encoding="utf-8")
    population = str(DRAW / "population.csv")
    teams = DATA / "golden_assignment"
    runs = [
        [str(bad), population],
        [
            str(teams / "record_partial.json"),
            *(str(teams / n) for n in ("directory.json", "visits.json", "conflicts.json")),
            population,
        ],
    ]
    results = run([job(argv, parallel) for argv in runs for parallel in (False, True)])
    one, two = results[::2], results[1::2]
    assert [(r["code"], r["out"], r["err"]) for r in one] == [
        (r["code"], r["out"], r["err"]) for r in two
    ]
    assert [1, 1] == [r["forks"] for r in two]
    assert [False, False] == [r["left"] for r in two]
    assert {2} == {r["code"] for r in two}


def test_a_child_that_dies_is_reported_not_replaced(tmp_path: Path) -> None:
    """A child killed before it answers makes the run fail loudly (exit 2, saying so),
    rather than compute the digest again in the first process."""
    path = tmp_path / "reversed.csv"  # out of id order: the digest sorts (and is killed)
    path.write_text("\n".join([HEADER, *LINES[::-1]]) + "\n", encoding="utf-8")
    [result] = run([job([str(DRAW / "record1.json"), str(path)], parallel=True, sort="kill")])
    assert 2 == result["code"]
    expected = "the process computing the population digest ended without a result"
    assert f"CANNOT VERIFY: {expected} (killed by signal 9)\n" == result["err"]
    assert not result["left"]


def test_an_error_in_the_child_is_the_error_of_one_process(tmp_path: Path) -> None:
    """An unexpected error while the child sorts (a bug) is reported as the sequential run
    reports it there, even an error that cannot be pickled to cross back."""
    path = tmp_path / "reversed.csv"
    path.write_text("\n".join([HEADER, *LINES[::-1]]) + "\n", encoding="utf-8")
    argv = [str(DRAW / "record1.json"), str(path)]
    sorts = ("fail", "unpicklable")
    results = run([job(argv, parallel, sort=sort) for sort in sorts for parallel in (False, True)])
    for sort, one, two in zip(sorts, results[::2], results[1::2], strict=True):
        assert (2, "", one["err"]) == (two["code"], two["out"], two["err"]), sort
        assert "please report this" in one["err"]
        assert (0, 1) == (one["forks"], two["forks"])


@pytest.mark.parametrize("plain", [True, False])
def test_the_first_process_keeps_no_rows_for_the_digest(
    plain: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a digest process attached, reading the file (in blocks or row by row) keeps and
    hashes nothing for the digest (the point of the second process), yet reads the same
    rows; the digest is the process's answer."""

    class Answer:
        def result(self) -> str:
            return "the child's digest"

    states: list[Any] = []

    class State(sv._ScanState):
        __slots__ = ()

        def __init__(self, expected: int, hashing: bool = True) -> None:
            super().__init__(expected, hashing)
            states.append(self)

    monkeypatch.setattr(sv, "_ScanState", State)
    for text in ("\n".join([HEADER, *LINES[::-1]]) + "\n", GOLDEN):  # out of id order, in
        path = tmp_path / "population.csv"
        path.write_text(text, encoding="utf-8")
        alone, aside = sv.PopulationFile(str(path)), sv.PopulationFile(str(path))
        alone._plain = aside._plain = plain and alone._plain
        aside.digest_process = Answer()  # type: ignore[assignment]
        rows = list(alone.rows())
        assert (len(rows), True) == (alone._prefix + len(states[-1].keyed), alone._plain == plain)
        assert alone.digest() != "the child's digest"
        nothing = sv._ScanState(aside._expected).digest.hexdigest()  # the head alone
        assert rows == list(aside.rows())
        assert ([], nothing) == (states[-1].keyed, states[-1].digest.hexdigest())
        assert (alone.units, "the child's digest") == (aside.units, aside.digest())


def test_a_digest_process_only_where_it_pays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process is used for a big enough file, with two cores or more, from a
    process running one thread; never for a missing file; PARALLEL overrides it all."""
    path = tmp_path / "population.csv"
    path.write_text(GOLDEN, encoding="utf-8")
    monkeypatch.setattr(sv, "PARALLEL", None)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "listdir", lambda _path: ["1"])
    assert not sv._digest_process_pays(str(path))  # too small
    monkeypatch.setattr(sv, "PARALLEL_BYTES", 100)
    assert sv._digest_process_pays(str(path))
    assert not sv._digest_process_pays(str(tmp_path / "missing.csv"))
    monkeypatch.setattr(os, "listdir", lambda _path: ["1", "2"])
    assert not sv._digest_process_pays(str(path))  # a second thread
    monkeypatch.setattr(os, "listdir", lambda _path: ["1"])
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert not sv._digest_process_pays(str(path))  # one core
    monkeypatch.setattr(sv, "PARALLEL", True)
    assert sv._digest_process_pays(str(tmp_path / "missing.csv"))
    monkeypatch.setattr(sv, "PARALLEL", False)
    monkeypatch.setattr(sv, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert not sv._digest_process_pays(str(path))


def test_no_fork_means_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the system refuses a new process (a process limit, no memory), the verifier
    computes the digest itself, as on one core, and leaves no pipe open."""

    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(sv, "PARALLEL", True)
    monkeypatch.setattr(os, "fork", refuse)
    descriptors = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    inputs = sv._Inputs([str(DRAW / "record1.json"), str(DRAW / "population.csv")])
    assert [] == inputs.processes
    [(_path, population)] = inputs.take("population")
    assert population.digest_process is None
    found = sv.verify_draw(inputs.take(sv.DRAW_FORMAT)[0][1], population)
    assert [] == found
    if descriptors:
        assert descriptors == len(os.listdir("/proc/self/fd"))


def test_one_process_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """--one-process keeps the digest in the verifier's own process, even where a second
    one would be started (forced here); the verdict is the same."""

    def no_fork() -> int:
        raise AssertionError("--one-process forked")

    monkeypatch.setattr(sv, "PARALLEL", True)
    monkeypatch.setattr(os, "fork", no_fork)
    args = sv._parser().parse_args(
        [str(DRAW / "record1.json"), str(DRAW / "population.csv"), "--one-process"]
    )
    assert "verified" == sv.run(args).status


# Loads the verifier file alone, starts a digest process whose answer takes a while, then
# does what argv[2] says; prints what it saw.
SLOW_CHILD = r"""
import importlib.util, os, signal, sys, time
spec = importlib.util.spec_from_file_location("standalone", sys.argv[1])
sv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sv)
def slow(path):
    time.sleep(30)
    open("slept", "w").close()
    return ("digest", "00" * 32)
sv._DigestProcess._answer = staticmethod(slow)
process = sv._DigestProcess("population.csv")
print(process.pid, flush=True)
if sys.argv[2] == "interrupt":
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        process.result()
    except KeyboardInterrupt:
        print("interrupted")
    other = os.open(os.devnull, os.O_RDONLY)  # may take the pipe's old number
    process.stop()
    os.fstat(other)  # raises if stop() closed it
    print("stopped", process.pid, process._pipe)
else:
    os.kill(os.getpid(), signal.SIGKILL)  # killed by a supervisor while the child works
"""


def test_an_interrupted_wait_stops_the_child_and_closes_only_its_pipe(tmp_path: Path) -> None:
    """Ctrl-C while waiting for the digest: stop() then kills the child and closes nothing
    else (the pipe was closed once, and its number may belong to another file by then)."""
    script = tmp_path / "slow.py"
    script.write_text(SLOW_CHILD, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), sv.__file__, "interrupt"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    _pid, *said = done.stdout.split("\n")
    assert ("", ["interrupted", "stopped None -1", ""]) == (done.stderr, said)


def test_a_killed_verifier_leaves_no_pipe_open(tmp_path: Path) -> None:
    """The child does not hold the caller's stdout and stderr: a verifier killed while its
    child works ends the caller's wait at once, not when the child is done."""
    script = tmp_path / "slow.py"
    script.write_text(SLOW_CHILD, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), sv.__file__, "kill"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    child = int(done.stdout.split()[0])
    try:
        assert -9 == done.returncode
        assert not (tmp_path / "slept").exists()  # the wait above did not wait for the child
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, 9)
