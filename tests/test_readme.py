"""The README opens with the two set-up commands, and CI runs the second one."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]


def code_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)]


def test_readme_opens_with_the_demo_then_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    before_rest = readme.split("\n---\n", 1)[0]
    install_and_run, run_tests = code_blocks(before_rest)
    assert "pip install" in install_and_run and "relances-xl demo" in install_and_run
    assert "pip install" in run_tests and "pytest" in run_tests


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    awk = re.search(r"test_command=\$\((awk .*?README\.md)\)", script, re.S).group(1)
    found = subprocess.run(["bash", "-c", awk], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.strip()
    assert found == code_blocks(readme)[1]


def test_readme_sends_french_readers_to_the_guide_right_after_the_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    before_rest = readme.split("\n---\n", 1)[0]
    after_commands = before_rest.rsplit("```", 1)[1]
    assert "](docs/guide/README.md)" in after_commands
    assert (ROOT / "docs" / "guide" / "README.md").is_file()
