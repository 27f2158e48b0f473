"""The jupyter_kernel_test suite against the installed kernelspec (checklist item 33)."""
import time

import jupyter_kernel_test as jkt


class SwiftGrpoKernelTests(jkt.KernelTests):
    kernel_name = "swift-grpo"
    language_name = "swift"
    file_extension = ".swift"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'printError("oops")'
    code_generate_error = "undefinedName + 1"
    code_execute_result = [{"code": "6 * 7", "result": "42"}, {"code": '"a" + "b"', "result": '"ab"'}]
    code_display_data = [
        {"code": 'display(html: "<b>x</b>")', "mime": "text/html"},
        {"code": 'display(markdown: "**x**")', "mime": "text/markdown"},
    ]
    code_clear_output = "clearOutput()"
    code_page_something = "print?"
    code_inspect_sample = "print"
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")
    completion_samples = [{"text": "pri", "matches": {"print", "printError"}}]
    complete_code_samples = ["1", "let x = 2", "func f() {\n    return\n}"]
    incomplete_code_samples = ["func f() {", "let a = [1, 2,"]
    invalid_code_samples = ["let = 7q", "}"]

    def test_interrupt_keeps_state(self):
        self.flush_channels()
        self.execute_helper("var kept = 41")
        self.kc.execute("while true {}")
        time.sleep(1)
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=10)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "InterruptError")
        self.flush_channels()
        _, out = self.execute_helper("kept + 1")
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "42")


class SwiftGrpoWelcome(jkt.IopubWelcomeTests):
    """IOPub is an XPUB socket that greets each subscription with `iopub_welcome`."""

    kernel_name = "swift-grpo"
    support_iopub_welcome = True
