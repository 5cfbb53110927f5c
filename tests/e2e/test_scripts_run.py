"""`bash scripts/run` installs once and then starts at once, until pyproject.toml changes."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fake_project(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of scripts/run next to a pyproject, with python3 and the venv's tools faked to log calls."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "run", project / "scripts" / "run")
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    log = tmp_path / "calls.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    real = shutil.which("python3")
    # python3 -c (the hash) runs for real; python3 -m venv makes a fake venv whose python logs pip calls
    (bin_dir / "python3").write_text(f"""#!/usr/bin/env bash
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  echo "venv" >> {log}
  mkdir -p .venv/bin
  printf '#!/usr/bin/env bash\\necho "pip $*" >> {log}\\n' > .venv/bin/python
  printf '#!/usr/bin/env bash\\necho "tiket $*" >> {log}\\n' > .venv/bin/tiket
  chmod +x .venv/bin/python .venv/bin/tiket
  exit 0
fi
exec {real} "$@"
""", encoding="utf-8")
    (bin_dir / "python3").chmod(0o755)
    return project, log


def run(project: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}
    subprocess.run(["bash", "scripts/run", "console"], cwd=project, env=env, check=True, timeout=60)


def test_second_start_does_not_reinstall(tmp_path):
    project, log = fake_project(tmp_path)
    run(project, tmp_path)
    first = log.read_text().splitlines()
    assert first[0] == "venv" and sum(line.startswith("pip") for line in first) == 2
    assert first[-1] == "tiket run console"
    log.write_text("")
    run(project, tmp_path)
    assert log.read_text().splitlines() == ["tiket run console"]  # no venv, no pip
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n", encoding="utf-8")
    log.write_text("")
    run(project, tmp_path)
    again = log.read_text().splitlines()
    assert again[0] == "venv" and again[-1] == "tiket run console"
