"""The REPL through a pseudo-terminal (checklist item 37): multi-line input, history across
runs, tab completion, Ctrl-C in a running loop and at the prompt, Ctrl-D."""
import os
import time

import pexpect
import pytest

from conftest import binary

PROMPT = r"\d+> "


def start(history):
    env = dict(os.environ, TERM="xterm", SWIFT_GRPO_HISTORY=str(history))
    env.setdefault("OPENBLAS_CORETYPE", "SkylakeX")
    child = pexpect.spawn(binary(), ["repl"], env=env, encoding="utf-8", timeout=20, dimensions=(40, 200))
    child.expect(PROMPT)
    return child


@pytest.fixture
def history(tmp_path):
    return tmp_path / "history"


def finish(child):
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_multi_line_input_with_continuation_prompt(history):
    child = start(history)
    child.sendline("func triple(_ x: Int) -> Int {")
    child.expect(r"\. ")
    child.sendline("return x * 3")
    child.expect(r"\. ")
    child.sendline("}")
    child.expect(PROMPT)
    child.sendline("triple(14)")
    child.expect("42")
    child.expect(PROMPT)
    finish(child)


def test_history_survives_a_restart(history):
    child = start(history)
    child.sendline("40 + 2")
    child.expect("42")
    child.expect(PROMPT)
    finish(child)
    assert "40 + 2" in history.read_text()
    child = start(history)
    child.send("\x1b[A")  # up arrow recalls the last cell of the previous run
    child.expect("40 \\+ 2")
    child.send("\r")
    child.expect("42")
    finish(child)


def test_tab_completion_from_the_engine(history):
    child = start(history)
    child.sendline("let uniqueCompletionTarget = 17")
    child.expect(PROMPT)
    child.send("uniqueCompletionT\t")
    child.expect("uniqueCompletionTarget")
    child.send("\r")
    child.expect("17")
    child.expect(PROMPT)
    finish(child)


def test_ctrl_c_interrupts_a_running_loop_and_keeps_state(history):
    child = start(history)
    child.sendline("var spins = 0")
    child.expect(PROMPT)
    child.sendline("while true { spins += 1 }")
    time.sleep(1.0)
    child.sendintr()
    child.expect("InterruptError")
    child.expect(PROMPT)
    child.sendline("spins > 0")
    child.expect("true")
    child.expect(PROMPT)
    finish(child)


def test_ctrl_c_at_the_prompt_clears_the_line(history):
    child = start(history)
    child.send("this is not code")
    time.sleep(0.2)
    child.sendintr()
    child.expect(r"\^C")
    child.expect(PROMPT)
    child.sendline("6 * 7")
    child.expect("42")
    finish(child)


def test_rich_output_falls_back_to_text_or_a_file(history):
    child = start(history)
    child.sendline('display(markdown: "**bold**")')
    child.expect(r"\*\*bold\*\*")
    child.expect(PROMPT)
    child.sendline('display(html: "<b>only html</b>")')
    child.expect(r"text/html output written to (\S+\.html)")
    path = child.match.group(1)
    child.expect(PROMPT)
    with open(path) as saved:
        assert saved.read() == "<b>only html</b>"
    finish(child)


def test_ctrl_d_exits(history):
    child = start(history)
    finish(child)
